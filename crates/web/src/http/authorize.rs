//! Who is asking, decided once per request. [`authorize`] loads the account of a route
//! that needs one, applies the route's [`Access`] rule before anything reads the body, and
//! keeps the account in the request's extensions; handlers receive it through [`Authorized`] (for
//! a permission named by type) or [`SignedIn`], and pages through [`crate::ui::Ctx`],
//! without loading it again.

use crate::http::error::AppError;
use crate::http::session;
use crate::policy::{allows, Permission};
use crate::{Access, AppState};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use headway_store::accounts::Account;
use std::marker::PhantomData;
use tower_sessions::Session;

/// The account of the request, as [`authorize`] loaded it.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<Account>);

/// Applies a route's rule: 401 for a route that needs an account, 403 when the policy
/// refuses the account's role.
pub async fn authorize(
    State(state): State<AppState>,
    session: Session,
    access: Access,
    mut req: Request,
    next: Next,
) -> Response {
    // A public route needs no account to be decided: a page loads it through `Ctx` when it
    // shows the menu, an API route or the stylesheet not at all.
    if access == Access::Public {
        return next.run(req).await;
    }
    let user = match session::current_user(&state, &session).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let verdict = match (access, &user) {
        (Access::Public, _) => Ok(()),
        (_, None) => Err(AppError::unauthorized()),
        (Access::SignedIn, Some(_)) => Ok(()),
        (Access::Allowed(a), Some(u)) if allows(Some(u), a) => Ok(()),
        (Access::Allowed(_), Some(_)) => Err(AppError::forbidden()),
    };
    if let Err(e) = verdict {
        return e.into_response();
    }
    req.extensions_mut().insert(CurrentUser(user));
    next.run(req).await
}

/// The request's account: from [`authorize`], or loaded here on a path it did not run on.
pub async fn user_of(parts: &mut Parts, state: &AppState) -> Result<Option<Account>, AppError> {
    if let Some(CurrentUser(u)) = parts.extensions.get::<CurrentUser>() {
        return Ok(u.clone());
    }
    let Some(s) = parts.extensions.get::<Session>().cloned() else {
        return Ok(None);
    };
    let u = session::current_user(state, &s).await?;
    parts.extensions.insert(CurrentUser(u.clone()));
    Ok(u)
}

/// The signed-in account, allowed the permission `P` by the policy (else 401 or 403).
pub struct Authorized<P>(pub Account, pub PhantomData<P>);

impl<P: Permission> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match user_of(parts, state).await? {
            None => Err(AppError::unauthorized()),
            Some(u) if allows(Some(&u), P::ACTION) => Ok(Authorized(u, PhantomData)),
            Some(_) => Err(AppError::forbidden()),
        }
    }
}

/// Any signed-in account (else 401); what it may do with an object is the policy's to
/// say, asked with the relation.
pub struct SignedIn(pub Account);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        user_of(parts, state)
            .await?
            .map(SignedIn)
            .ok_or_else(AppError::unauthorized)
    }
}
