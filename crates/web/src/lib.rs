//! Headway's web layer: server-rendered pages (askama) that work without JavaScript,
//! the JSON API under `/api/v1` (described by utoipa at `/api/openapi.json`), sessions,
//! CSRF protection, languages, and the one policy module that decides access.

pub mod api;
pub mod auth;
pub mod error;
pub mod export;
pub mod i18n;
pub mod limits;
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
    /// The home page's directory totals and when they were counted: counting a million
    /// people on every visit is wasted work for figures that change with imports.
    pub home_counts: std::sync::Mutex<
        Option<(
            std::time::Instant,
            headway_store::directory::DirectoryCounts,
        )>,
    >,
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
            home_counts: std::sync::Mutex::new(None),
        }))
    }
}

/// Who may call a route, decided by the policy before the request body is read.
/// Data-dependent checks (a board's own leaders, one's own evidence) follow in the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Accounts whose role the policy allows this action.
    Allowed(policy::Action),
}

/// One route: method, path, access rule and handler. The router is built from this list
/// and nothing else, so every route has an access rule (and the authorisation-matrix test
/// walks the same list).
pub struct RouteDef {
    pub method: axum::http::Method,
    pub path: &'static str,
    pub access: Access,
    /// The most bytes its request body may have ([`limits`]).
    pub body_limit: usize,
    /// A GET that writes the audit log: refused when a browser says it came cross-site.
    pub same_site_only: bool,
    handler: axum::routing::MethodRouter<AppState>,
}

impl RouteDef {
    /// Takes file uploads: a larger body limit.
    fn uploads(mut self) -> Self {
        self.body_limit = limits::UPLOAD_BODY;
        self
    }

    /// Reading it is recorded (an access-log entry): not from another site.
    fn same_site_only(mut self) -> Self {
        self.same_site_only = true;
        self
    }
}

fn def(
    method: axum::http::Method,
    path: &'static str,
    access: Access,
    handler: axum::routing::MethodRouter<AppState>,
) -> RouteDef {
    RouteDef {
        method,
        path,
        access,
        body_limit: limits::FORM_BODY,
        same_site_only: false,
        handler,
    }
}

/// Every route of the application.
pub fn route_table() -> Vec<RouteDef> {
    use axum::http::Method as M;
    use pages::register as reg;
    use policy::Action as A;
    use Access::{Allowed, Public, SignedIn};
    vec![
        def(M::GET, "/", Public, get(pages::home::home)),
        def(M::GET, "/login", Public, get(auth::login_page)),
        def(M::POST, "/login", Public, post(auth::login)),
        def(M::POST, "/logout", SignedIn, post(auth::logout)),
        def(
            M::GET,
            "/me",
            Allowed(A::ViewDashboard),
            get(pages::dashboard::dashboard),
        ),
        def(M::GET, "/directory", Public, get(pages::directory::search)),
        def(
            M::GET,
            "/organizations/{id}",
            Public,
            get(pages::directory::organization),
        ),
        def(
            M::GET,
            "/admin/accounts",
            Allowed(A::ManageAccounts),
            get(pages::admin::accounts),
        ),
        def(
            M::POST,
            "/admin/accounts",
            Allowed(A::ManageAccounts),
            post(pages::admin::create_account),
        ),
        def(
            M::GET,
            "/admin/audit",
            Allowed(A::ViewAudit),
            get(pages::admin::audit),
        ),
        def(
            M::GET,
            "/admin/outbox",
            Allowed(A::ViewOutbox),
            get(pages::admin::outbox),
        ),
        def(M::GET, "/register", Public, get(reg::public_search)),
        def(
            M::GET,
            "/register/leaders/{id}",
            Public,
            get(reg::public_entry),
        ),
        def(
            M::GET,
            "/register/enrol",
            Allowed(A::KeepOwnRegistration),
            get(reg::enrol_page),
        ),
        def(
            M::POST,
            "/register/enrol",
            Allowed(A::KeepOwnRegistration),
            post(reg::enrol),
        ),
        def(
            M::GET,
            "/register/me",
            Allowed(A::KeepOwnRegistration),
            get(reg::my_page),
        ),
        def(
            M::POST,
            "/register/me/activities",
            Allowed(A::KeepOwnRegistration),
            post(reg::add_activity),
        )
        .uploads(),
        def(
            M::POST,
            "/register/me/objection",
            Allowed(A::KeepOwnRegistration),
            post(reg::objection),
        ),
        def(
            M::POST,
            "/register/me/deferral",
            Allowed(A::KeepOwnRegistration),
            post(reg::deferral),
        ),
        def(
            M::POST,
            "/register/me/reregister",
            Allowed(A::KeepOwnRegistration),
            post(reg::reregister),
        ),
        def(
            M::POST,
            "/register/me/consent",
            Allowed(A::KeepOwnRegistration),
            post(reg::consent),
        ),
        def(
            M::POST,
            "/register/me/schools",
            Allowed(A::KeepOwnRegistration),
            post(reg::change_schools),
        ),
        def(
            M::GET,
            "/register/evidence/{id}",
            SignedIn,
            get(reg::evidence),
        ),
        def(
            M::GET,
            "/register/committee",
            Allowed(A::Committee),
            get(reg::committee),
        ),
        def(
            M::POST,
            "/register/committee/decide",
            Allowed(A::Committee),
            post(reg::decide),
        ),
        def(
            M::POST,
            "/register/committee/validate",
            Allowed(A::Committee),
            post(reg::validate),
        ),
        def(
            M::POST,
            "/register/committee/deferral",
            Allowed(A::Committee),
            post(reg::decide_deferral),
        ),
        def(
            M::POST,
            "/register/committee/schools",
            Allowed(A::Committee),
            post(reg::confirm_schools),
        ),
        def(
            M::GET,
            "/register/board",
            Allowed(A::BoardRegister),
            get(reg::board),
        ),
        def(
            M::GET,
            "/register/board/export.csv",
            Allowed(A::BoardRegister),
            get(reg::board_csv),
        ),
        def(
            M::GET,
            "/register/board/export.xlsx",
            Allowed(A::BoardRegister),
            get(reg::board_xlsx),
        ),
        def(
            M::GET,
            "/register/board/leaders/{id}",
            Allowed(A::BoardRegister),
            get(reg::board_leader),
        )
        .same_site_only(),
        def(M::GET, "/register/offers", Public, get(reg::offers)),
        def(
            M::POST,
            "/register/offers",
            Allowed(A::AddOffer),
            post(reg::add_offer),
        ),
        def(
            M::POST,
            "/register/offers/{id}/status",
            Allowed(A::ManageOffers),
            post(reg::offer_status),
        ),
        def(
            M::GET,
            "/api/v1/organizations",
            Public,
            get(api::directory::list_organizations),
        ),
        def(
            M::GET,
            "/api/v1/organizations/{id}",
            Public,
            get(api::directory::get_organization),
        ),
        def(
            M::GET,
            "/api/v1/register/search",
            Public,
            get(api::register::search),
        ),
        def(
            M::GET,
            "/api/v1/register/leaders/{id}",
            Public,
            get(api::register::entry),
        ),
        def(
            M::GET,
            "/api/v1/register/board/leaders",
            Allowed(A::BoardRegister),
            get(api::register::board_leaders),
        ),
        def(
            M::GET,
            "/api/v1/register/board/leaders/{id}/activities",
            Allowed(A::BoardRegister),
            get(api::register::board_activities),
        )
        .same_site_only(),
        def(
            M::GET,
            "/api/v1/register/board/leaders/{id}/activities/{activity}",
            Allowed(A::BoardRegister),
            get(api::register::board_activity),
        )
        .same_site_only(),
        def(M::GET, "/api/openapi.json", Public, get(api::openapi_json)),
        def(M::GET, "/healthz", Public, get(middleware::healthz)),
        def(
            M::GET,
            "/static/style.css",
            Public,
            get(middleware::stylesheet),
        ),
    ]
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
                  next| { middleware::authorize(st, session, access, req, next) },
        ));
        // Route layers run only for a matched route and method, so a method a path does
        // not serve is answered 405 before any check. Outermost first: the declared body
        // length, then the CSRF check, then the policy.
        let guarded = guarded.route_layer(axum::middleware::from_fn(middleware::csrf_guard));
        let guarded = if r.same_site_only {
            guarded.route_layer(axum::middleware::from_fn(middleware::same_site_reads))
        } else {
            guarded
        };
        let limit = r.body_limit;
        let guarded = guarded
            .route_layer(axum::middleware::from_fn(move |req, next| {
                limits::content_length(limit, req, next)
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
        middleware::html_errors,
    ));

    let app = Router::new()
        .merge(pages)
        .merge(api)
        .fallback(middleware::not_found)
        .layer(axum::middleware::from_fn(middleware::language))
        .layer(sessions);
    // Spans name the path only: a query string may carry a CSRF token (uploads) or a
    // search, neither of which belongs in logs.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |req: &axum::http::Request<axum::body::Body>| {
            tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
        },
    );
    middleware::with_security_headers(app)
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
