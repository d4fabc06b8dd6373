//! Server-rendered pages. Every page template gets a [`Ctx`]: language, translator,
//! the signed-in account and, when a form may be shown, the CSRF token.

pub mod admin;
pub mod dashboard;
pub mod directory;
pub mod home;
pub mod register;

use crate::auth;
use crate::error::AppResult;
use crate::i18n::{Lang, Tr};
use crate::policy::{self, Action};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::Html;
use headway_domain::accounts::Role;
use headway_domain::directory::{Country, OrgKind};
use headway_store::accounts::Account;
use tower_sessions::Session;

/// A link in the language switcher.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What every page needs.
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<Account>,
    pub csrf: String,
    pub langs: Vec<LangLink>,
}

impl Ctx {
    pub async fn build(
        state: &AppState,
        session: &Session,
        lang: Lang,
        path_and_query: &str,
    ) -> Ctx {
        let user = auth::current_user(state, session).await.ok().flatten();
        // Anonymous pages carry no form, so they create no session (and no database write).
        let csrf = if user.is_some() {
            auth::csrf_token(session).await.unwrap_or_default()
        } else {
            String::new()
        };
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .collect();
        let langs = Lang::ALL
            .into_iter()
            .map(|l| {
                let mut q = kept.clone();
                let lp = format!("lang={}", l.code());
                q.push(&lp);
                LangLink {
                    code: l.code(),
                    name: l.native_name(),
                    href: format!("{path}?{}", q.join("&")),
                    current: l == lang,
                }
            })
            .collect();
        Ctx {
            tr: Tr {
                i18n: state.i18n.clone(),
                lang,
            },
            user,
            csrf,
            langs,
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.code()
    }

    pub fn kind_label(&self, k: &OrgKind) -> String {
        self.t(&format!("kind-{}", k.code()))
    }

    pub fn country_label(&self, c: &Country) -> String {
        self.t(&format!("country-{}", c.code().to_lowercase()))
    }

    pub fn role_label(&self, r: &Role) -> String {
        self.t(&format!("role-{}", r.code()))
    }

    /// The translation of a stored code (`stype-primary`, `gov-public`), or the value
    /// itself when it is source text with no translation (a Dutch denomination).
    pub fn value_label(&self, prefix: &str, value: &str) -> String {
        let id = format!("{prefix}-{value}");
        if self.tr.i18n.has(self.tr.lang, &id) {
            self.t(&id)
        } else {
            value.to_owned()
        }
    }

    pub fn can(&self, action: &str) -> bool {
        let a = match action {
            "accounts" => Action::ManageAccounts,
            "audit" => Action::ViewAudit,
            "committee" => Action::Committee,
            "board" => Action::BoardRegister,
            "own_registration" => Action::KeepOwnRegistration,
            "outbox" => Action::ViewOutbox,
            _ => Action::ViewDashboard,
        };
        policy::allows(self.user.as_ref(), a)
    }

    /// Makes sure a CSRF token exists for a page that shows a form to anyone.
    pub async fn with_form(mut self, session: &Session) -> AppResult<Self> {
        if self.csrf.is_empty() {
            self.csrf = auth::csrf_token(session).await?;
        }
        Ok(self)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or(Lang::En);
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        let pq = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let session = parts.extensions.get::<Session>().cloned();
        Ok(match session {
            Some(s) => Ctx::build(state, &s, lang, &pq).await,
            None => Ctx {
                tr: Tr {
                    i18n: state.i18n.clone(),
                    lang,
                },
                user: None,
                csrf: String::new(),
                langs: vec![],
            },
        })
    }
}

/// Renders a template into a response body.
pub fn render<T: Template>(t: &T) -> AppResult<Html<String>> {
    Ok(Html(t.render()?))
}
