//! One error type for every handler, mapped to HTTP once. API clients get
//! `{"error": {"code": …, "message": …}}`; page routes re-render it as an HTML page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use headway_domain::refusal::Said;
use headway_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable, machine-readable (`not_found`, `bad_request`, …).
    pub code: &'static str,
    /// In English, for API clients and logs.
    pub message: String,
    /// The field that did not parse or the rule that refused the step, when that is the
    /// error: pages say it in the reader's language ([`crate::ui::Ctx::error_text`]).
    pub said: Option<Said>,
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `not_found`, `bad_request`, `unauthorized`, `forbidden`, `csrf`,
    /// `conflict`, `too_many_requests`, `too_large`, `busy`, `internal`.
    pub code: String,
    pub message: String,
}

impl AppError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            said: None,
        }
    }
    /// A well-formed request that the current state cannot meet (a population that cannot
    /// be split as asked): `409 conflict`, keeping what to say.
    pub fn into_conflict(self) -> Self {
        if self.code == "bad_request" {
            Self {
                status: StatusCode::CONFLICT,
                code: "conflict",
                ..self
            }
        } else {
            self
        }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }
    /// Not found, saying why (in the reader's language, already written).
    pub fn not_found_because(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in first")
    }
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "not allowed for your role",
        )
    }
    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf", "missing or wrong CSRF token")
    }
    pub fn too_many() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many attempts; wait a minute",
        )
    }
    /// The server is at its limit for this kind of work (password hashing); the answer
    /// carries `Retry-After`.
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is busy; try again in a moment",
        )
    }
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is larger than the {limit} bytes allowed"),
        )
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            StoreError::Forbidden => AppError::forbidden(),
            StoreError::Refused(r) => AppError {
                said: Some(Said::of(r.as_ref())),
                ..AppError::bad_request(r.to_string())
            },
            StoreError::Import(e) => AppError::bad_request(e.to_string()),
            StoreError::Input(e) => e.into(),
            StoreError::Busy => AppError::busy(),
            other => AppError::internal(other),
        }
    }
}

impl From<headway_domain::input::InputError> for AppError {
    fn from(e: headway_domain::input::InputError) -> Self {
        AppError {
            said: Some(Said::from(&e)),
            ..AppError::bad_request(e.to_string())
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
            },
        };
        let mut res = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        res.extensions_mut().insert(self);
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// `Path`, `Query` and `Form` whose rejections are [`AppError`]s, so a malformed
/// parameter gets the same JSON shape (or translated page) as every other error.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ValidPath<T>(pub T);

#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ValidQuery<T>(pub T);

#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct ValidForm<T>(pub T);

#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ValidJson<T>(pub T);

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        AppError::new(e.status(), "bad_request", e.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(e: axum::extract::rejection::PathRejection) -> Self {
        AppError::bad_request(e.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        AppError::bad_request(e.body_text())
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(e: axum::extract::rejection::FormRejection) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::too_large(crate::http::limits::FORM_BODY);
        }
        AppError::bad_request(e.body_text())
    }
}
