//! A route as a feature declares it: method, path, access rule, body limit and handler.
//! The router is built from the features' lists and nothing else, so every route has an
//! access rule, and the authorisation-matrix test walks the same lists.

use crate::http::limits;
use crate::policy::Action;
use crate::AppState;
use axum::http::Method;
use axum::routing::MethodRouter;

/// Who may call a route, decided by the policy before the request body is read.
/// Data-dependent checks (a board's own leaders, one's own evidence) follow in the
/// handler, through the policy with the relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Accounts whose role the policy allows this action.
    Allowed(Action),
}

/// One route.
pub struct RouteDef {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// The most bytes its request body may have ([`limits`]).
    pub body_limit: usize,
    /// A GET that writes the audit log: refused when a browser says it came cross-site.
    pub same_site_only: bool,
    pub(crate) handler: MethodRouter<AppState>,
}

impl RouteDef {
    pub fn new(
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        Self {
            method,
            path,
            access,
            body_limit: limits::FORM_BODY,
            same_site_only: false,
            handler,
        }
    }

    /// Takes file uploads: a larger body limit.
    pub fn uploads(mut self) -> Self {
        self.body_limit = limits::UPLOAD_BODY;
        self
    }

    /// Reading it is recorded (an access-log entry): not from another site.
    pub fn same_site_only(mut self) -> Self {
        self.same_site_only = true;
        self
    }
}

/// A feature's part of the web layer: its routes and its part of the OpenAPI document.
pub struct Feature {
    pub routes: fn() -> Vec<RouteDef>,
    pub openapi: fn() -> utoipa::openapi::OpenApi,
}

/// `GET path` with an access rule.
pub fn get(path: &'static str, access: Access, h: MethodRouter<AppState>) -> RouteDef {
    RouteDef::new(Method::GET, path, access, h)
}

/// `POST path` with an access rule.
pub fn post(path: &'static str, access: Access, h: MethodRouter<AppState>) -> RouteDef {
    RouteDef::new(Method::POST, path, access, h)
}

/// `DELETE path` with an access rule.
pub fn delete(path: &'static str, access: Access, h: MethodRouter<AppState>) -> RouteDef {
    RouteDef::new(Method::DELETE, path, access, h)
}

/// A feature without API operations.
pub fn no_api() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new().build()
}
