//! Headway's web layer: server-rendered pages (askama) that work without JavaScript,
//! the JSON API under `/api/v1` (described by utoipa at `/api/openapi.json`), sessions,
//! CSRF protection, languages, and the one policy module that decides access.

pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod map;
pub mod middleware;
pub mod pages;
pub mod policy;

use axum::routing::{get, post};
use axum::Router;
use headway_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use error::{AppError, AppResult};

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
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            session_idle_minutes: 8 * 60,
            register: headway_domain::register::RegisterRules::default(),
        }
    }
}

/// Shared, read-only state of every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub i18n: Arc<i18n::I18n>,
    pub maps: map::Maps,
    pub config: WebConfig,
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
            i18n: Arc::new(i18n::I18n::new()),
            maps: map::Maps::load(&headway_store::import::bundled::OUTLINES),
            config,
        }))
    }
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

    let pages = Router::new()
        .route("/", get(pages::home::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(pages::dashboard::dashboard))
        .route("/directory", get(pages::directory::search))
        .route("/organizations/{id}", get(pages::directory::organization))
        .route(
            "/admin/accounts",
            get(pages::admin::accounts).post(pages::admin::create_account),
        )
        .route("/admin/audit", get(pages::admin::audit))
        .route("/admin/outbox", get(pages::admin::outbox))
        .merge(pages::register::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::html_errors,
        ));

    let api = Router::new()
        .route(
            "/api/v1/organizations",
            get(api::directory::list_organizations),
        )
        .route(
            "/api/v1/organizations/{id}",
            get(api::directory::get_organization),
        )
        .route("/api/v1/register/search", get(api::register::search))
        .route("/api/v1/register/leaders/{id}", get(api::register::entry))
        .route(
            "/api/v1/register/board/leaders",
            get(api::register::board_leaders),
        )
        .route(
            "/api/v1/register/board/leaders/{id}/activities",
            get(api::register::board_activities),
        )
        .route(
            "/api/v1/register/board/leaders/{id}/activities/{activity}",
            get(api::register::board_activity),
        )
        .route("/api/openapi.json", get(api::openapi_json));

    let app = Router::new()
        .merge(pages)
        .merge(api)
        .route("/healthz", get(middleware::healthz))
        .route("/static/style.css", get(middleware::stylesheet))
        .fallback(middleware::not_found)
        .layer(axum::middleware::from_fn(middleware::csrf_guard))
        .layer(axum::middleware::from_fn(middleware::language))
        .layer(sessions);
    middleware::with_security_headers(app)
        .layer(tower_http::trace::TraceLayer::new_for_http())
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
