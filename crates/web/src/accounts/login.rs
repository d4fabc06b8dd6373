//! Login and logout.

use crate::http::csrf::CSRF_KEY;
use crate::http::error::AppResult;
use crate::http::error::{ValidForm, ValidQuery};
use crate::http::session::{new_token, USER_KEY};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use headway_store::accounts::LoginOutcome;
use serde::Deserialize;
use tower_sessions::Session;

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed() {
        for ok in ["/register/me", "/register?q=%C5%A0ola&x=1", "/"] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\u{0}/x",
            "/\u{7f}/x",
            "/\\evil.example",
            "\\/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "evil.example",
            "/Šola",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/me", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/me");
    }
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: Ctx,
    error: Option<String>,
    username: String,
    next: String,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

/// Where to go after login: `next` when it is a path on this site, else `/me`.
///
/// Accepted is only a path-absolute reference (`/…`, never `//…`) of printable ASCII
/// without a backslash, which parses as a URI path and query. Browsers drop tabs and line
/// breaks inside URLs (`/\t/evil.example` becomes `//evil.example`, another host), and
/// read `\` as `/`; refusing every control character, space, backslash and non-ASCII
/// byte leaves nothing for them to rewrite. Non-ASCII paths arrive percent-encoded.
pub fn safe_next(next: Option<&str>) -> String {
    const DEFAULT: &str = "/me";
    let Some(n) = next else {
        return DEFAULT.to_owned();
    };
    let printable = n.bytes().all(|b| (b'!'..=b'~').contains(&b) && b != b'\\');
    let path_absolute = n.starts_with('/') && !n.starts_with("//");
    let parses = n.parse::<axum::http::uri::PathAndQuery>().is_ok();
    if printable && path_absolute && parses && n.len() <= 2048 {
        n.to_owned()
    } else {
        DEFAULT.to_owned()
    }
}

pub async fn login_page(
    ctx: Ctx,
    session: Session,
    ValidQuery(q): ValidQuery<NextParam>,
) -> AppResult<Response> {
    let ctx = ctx.with_form(&session).await?;
    Ok(render(&LoginPage {
        ctx,
        error: None,
        username: String::new(),
        next: safe_next(q.next.as_deref()),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidForm(f): ValidForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let (status, key) = match state.store.login(&f.username, &f.password).await? {
        LoginOutcome::Ok(account) => {
            // Mail to this person is written in the language they sign in with.
            state.store.set_language(&account, ctx.tr.lang).await?;
            // A new id at every login: a session id planted before login is worthless after.
            session.cycle_id().await?;
            // Signed in, the session lives as long as the configured idle time.
            session.set_expiry(None);
            session.insert(USER_KEY, account.id).await?;
            session.insert(CSRF_KEY, new_token()).await?;
            tracing::info!(user = %account.username, role = %account.role, "login");
            return Ok(Redirect::to(&next).into_response());
        }
        LoginOutcome::Invalid => (StatusCode::UNAUTHORIZED, "login-invalid"),
        LoginOutcome::Throttled => (StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
    };
    let ctx = ctx.with_form(&session).await?;
    let error = Some(ctx.t(key));
    Ok((
        status,
        render(&LoginPage {
            ctx,
            error,
            username: f.username,
            next,
        })?,
    )
        .into_response())
}

pub async fn logout(session: Session) -> AppResult<Response> {
    session.flush().await?;
    Ok(Redirect::to("/").into_response())
}
