//! What the session holds: the signed-in account's id and the CSRF token.

use crate::http::csrf::CSRF_KEY;
use crate::http::error::AppResult;
use crate::AppState;
use headway_store::accounts::Account;
use rand::RngCore;
use tower_sessions::Session;

pub const USER_KEY: &str = "uid";

/// The account of the session, if any; one query.
pub async fn current_user(state: &AppState, session: &Session) -> AppResult<Option<Account>> {
    let Some(id) = session.get::<i32>(USER_KEY).await? else {
        return Ok(None);
    };
    match state.store.account(id).await {
        Ok(a) => Ok(Some(a)),
        Err(headway_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// How long an anonymous session (a visit of the login form) lives without use. Each
/// such visit stores a session row for its CSRF token; a short life bounds what a flood
/// of visits leaves in the database (rows are swept every ten minutes).
const ANONYMOUS_IDLE_MINUTES: i64 = 30;

/// The session's CSRF token, created on first use.
pub async fn csrf_token(session: &Session) -> AppResult<String> {
    if let Some(t) = session.get::<String>(CSRF_KEY).await? {
        return Ok(t);
    }
    if session.get::<i32>(USER_KEY).await?.is_none() {
        session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(
            time::Duration::minutes(ANONYMOUS_IDLE_MINUTES),
        )));
    }
    let t = new_token();
    session.insert(CSRF_KEY, &t).await?;
    Ok(t)
}

/// A fresh CSRF token for a session that was just signed in.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}
