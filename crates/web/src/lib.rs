//! Headway's web layer: server-rendered pages (askama) that work without JavaScript,
//! the JSON API under `/api/v1` (described by utoipa at `/api/openapi.json`), sessions,
//! CSRF protection, languages, and the one policy module that decides access.

pub mod accounts;
pub mod audit;
pub mod directory;
pub mod events;
pub mod feedback;
pub mod guidance;
pub mod http;
pub mod networks;
pub mod policy;
pub mod register;
pub mod rounds;
pub mod routes;
pub mod site;
pub mod ui;

use axum::Router;
use headway_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use http::error::{AppError, AppResult};
pub use routes::{Access, Feature, RouteDef};

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// `host:port`; port 0 picks a free one (tests).
    pub listen: String,
    /// Send cookies with `Secure` (on whenever Headway is served over HTTPS).
    pub secure_cookies: bool,
    /// Idle time after which a session ends.
    pub session_idle_minutes: i64,
    /// The register's rules (cycle length, points, grace, reminders, levels, themes).
    pub register: headway_domain::register::RegisterRules,
    /// The time zone dates and times are shown in.
    pub time_zone: chrono_tz::Tz,
    /// The installation's language: mail to people who never signed in is written in it.
    pub language: headway_domain::language::Lang,
    /// The address people reach Headway at (`https://headway.example.org`), printed in
    /// certificates' verification links; without it, the address a request came to.
    pub public_url: Option<String>,
    /// Days after a session that a counsellor's confidential notes are kept.
    pub counselling_note_days: u32,
    /// The rules the guidance assessment is made by, shown with every result.
    pub guidance: headway_domain::guidance::assessment::Rules,
    /// What counts as a small school owner and how large its suggested networks are.
    pub small_owners: headway_domain::guidance::places::SmallOwnerRules,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            session_idle_minutes: 8 * 60,
            register: headway_domain::register::RegisterRules::default(),
            time_zone: chrono_tz::Europe::Amsterdam,
            language: headway_domain::language::Lang::En,
            public_url: None,
            counselling_note_days: headway_domain::events::counselling::NOTE_RETENTION_DAYS,
            guidance: Default::default(),
            small_owners: headway_domain::guidance::places::SmallOwnerRules::new(2, 5)
                .expect("the defaults are in range"),
        }
    }
}

/// Shared, read-only state of every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub i18n: Arc<ui::i18n::I18n>,
    pub maps: ui::map::Maps,
    pub config: WebConfig,
    /// Networks suggested to small owners, kept while the owners are the same.
    pub small_networks: guidance::networks::SuggestionCache,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState(Arc::new(Inner {
            store,
            i18n: Arc::new(ui::i18n::I18n::new()),
            maps: ui::map::Maps::load(&headway_store::import::bundled::OUTLINES),
            config,
            small_networks: Default::default(),
        }))
    }
}

/// The features of the web layer. A new feature adds its folder and one line here.
pub const FEATURES: [Feature; 10] = [
    site::FEATURE,
    accounts::FEATURE,
    audit::FEATURE,
    directory::FEATURE,
    register::FEATURE,
    networks::FEATURE,
    rounds::FEATURE,
    events::FEATURE,
    guidance::FEATURE,
    feedback::FEATURE,
];

/// Every route of the application: the features' routes, in order.
pub fn route_table() -> Vec<RouteDef> {
    FEATURES.iter().flat_map(|f| (f.routes)()).collect()
}

/// Every route of the application, with its layers.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(state.store.clone())
        .with_name("headway.sid")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            state.config.session_idle_minutes,
        )));

    let mut pages = Router::new();
    let mut api = Router::new();
    for r in route_table() {
        let access = r.access;
        let guarded = r.handler.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            move |st: axum::extract::State<AppState>,
                  session: tower_sessions::Session,
                  req,
                  next| { http::authorize::authorize(st, session, access, req, next) },
        ));
        // Route layers run only for a matched route and method, so a method a path does
        // not serve is answered 405 before any check. Outermost first: the declared body
        // length, then the CSRF check, then the policy.
        let guarded = guarded.route_layer(axum::middleware::from_fn(http::csrf::csrf_guard));
        let guarded = if r.same_site_only {
            guarded.route_layer(axum::middleware::from_fn(http::csrf::same_site_reads))
        } else {
            guarded
        };
        let limit = r.body_limit;
        let guarded = guarded
            .route_layer(axum::middleware::from_fn(move |req, next| {
                http::limits::content_length(limit, req, next)
            }))
            .layer(axum::extract::DefaultBodyLimit::max(limit));
        if r.path.starts_with("/api/") || r.path == "/healthz" || r.path.starts_with("/static/") {
            api = api.route(r.path, guarded);
        } else {
            pages = pages.route(r.path, guarded);
        }
    }
    let pages = pages.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        http::error_pages::html_errors,
    ));

    let app = Router::new()
        .merge(pages)
        .merge(api)
        .fallback(http::error_pages::not_found)
        .layer(axum::middleware::from_fn(http::language::language))
        .layer(sessions);
    // Spans name the path only: a query string may carry a CSRF token (uploads) or a
    // search, neither of which belongs in logs.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |req: &axum::http::Request<axum::body::Body>| {
            tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
        },
    );
    http::headers::with_security_headers(app)
        .layer(trace)
        .with_state(state)
}

/// A bound, not yet serving, application (the listener is bound in `build`, so tests
/// can use port 0 and read the port before serving).
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn build(config: WebConfig, store: Store) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&config.listen).await?;
        let router = router(AppState::new(store, config));
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}
