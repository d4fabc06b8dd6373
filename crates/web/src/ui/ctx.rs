//! What every page template gets: language, translator, the signed-in account and its
//! menu, the reader's time zone and, when a form may be shown, the CSRF token.

use crate::http::authorize::user_of;
use crate::http::error::AppResult;
use crate::http::session;
use crate::policy::Menu;
use crate::ui::dates;
use crate::ui::i18n::{Lang, Tr};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::Html;
use headway_domain::accounts::Role;
use headway_domain::directory::{Country, OrgKind};
use headway_domain::refusal::Arg;
use headway_domain::Labelled;
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
    /// What the navigation offers this account (decided by the policy).
    pub menu: Menu,
    pub csrf: String,
    pub langs: Vec<LangLink>,
    /// The reader's time zone, for dates and times.
    pub tz: chrono_tz::Tz,
}

impl Ctx {
    /// A page's context for `user` (as the request's authorisation loaded it).
    pub async fn build(
        state: &AppState,
        session: &Session,
        lang: Lang,
        path_and_query: &str,
        user: Option<Account>,
    ) -> Ctx {
        // Anonymous pages carry no form, so they create no session (and no database write).
        let csrf = if user.is_some() {
            session::csrf_token(session).await.unwrap_or_default()
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
            menu: Menu::for_user(user.as_ref()),
            user,
            csrf,
            langs,
            tz: state.config.time_zone,
        }
    }

    /// A stored date (`YYYY-MM-DD`) or instant (RFC 3339) as the reader reads it: in the
    /// page's language, instants in the reader's time zone. Anything else is shown as is.
    pub fn date(&self, stored: &str) -> String {
        dates::show(&self.tr, self.tz, stored)
    }

    /// What went wrong, in the page's language when it is a field that did not parse
    /// (`input-<problem>` in the Fluent files), else the error's own message.
    pub fn error_text(&self, e: &crate::http::error::AppError) -> String {
        let Some(said) = &e.said else {
            return e.message.clone();
        };
        let args: Vec<(&str, String)> = said
            .args
            .iter()
            .map(|(k, v)| match v {
                Arg::Text(t) => (*k, t.clone()),
                Arg::Label(id) => (*k, self.t(id)),
            })
            .collect();
        let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.tr.args(&said.id, &pairs)
    }

    /// The name of a typed value (a status, a position) in the reader's language.
    pub fn label<T: Labelled>(&self, v: &T) -> String {
        self.t(&v.label_id())
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

    /// A number with `digits` decimals and the reader's decimal sign.
    pub fn decimal(&self, v: f64, digits: usize) -> String {
        let s = format!("{v:.digits$}");
        match self.tr.lang {
            Lang::En => s,
            _ => s.replace('.', ","),
        }
    }

    /// Makes sure a CSRF token exists for a page that shows a form to anyone.
    pub async fn with_form(mut self, session: &Session) -> AppResult<Self> {
        if self.csrf.is_empty() {
            self.csrf = session::csrf_token(session).await?;
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
        let user = user_of(parts, state).await.ok().flatten();
        let session = parts.extensions.get::<Session>().cloned();
        Ok(match session {
            Some(s) => Ctx::build(state, &s, lang, &pq, user).await,
            None => Ctx {
                tr: Tr {
                    i18n: state.i18n.clone(),
                    lang,
                },
                menu: Menu::for_user(user.as_ref()),
                user,
                csrf: String::new(),
                langs: vec![],
                tz: state.config.time_zone,
            },
        })
    }
}

/// Renders a template into a response body.
pub fn render<T: Template>(t: &T) -> AppResult<Html<String>> {
    Ok(Html(t.render()?))
}
