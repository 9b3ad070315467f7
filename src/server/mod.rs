//! The HTTP server: state, router, layers, start-up and graceful shutdown.

mod client_address;
mod cross_site;
mod error_status;
mod files;
pub mod listen;
mod no_js_forms;
mod security_headers;
pub mod server_fn_bodies;

pub use client_address::client_address;

use crate::app::{shell, App};
use crate::state::AppState;
use crate::store::SharedStore;
use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Where the server functions live (leptos' default prefix).
const SERVER_FN_PREFIX: &str = "/api/";

/// The largest request body accepted, in bytes.
pub const MAX_REQUEST_BODY: usize = 4 * 1024 * 1024;
/// The longest a request may take, body included, before it is answered 408: what a slow
/// upload or a stuck query may hold a connection for.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Leptos' build settings. They are fixed by `[package.metadata.leptos]` except the site root,
/// which the binary takes as an option so it can run from anywhere.
pub fn leptos_options(site_root: &std::path::Path, addr: SocketAddr) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("insignia")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(env)
        .build()
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading switched off through a process-global flag (leptos issue #4773), which would stall any
/// page another router in the process (the tests run many) happens to render meanwhile.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let config = state.config.clone();
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(healthz))
        .route("/icons/{file}", get(files::library_icon))
        .route("/uploads/{id}", get(files::upload))
        .route("/dashboard/audit.csv", get(crate::audit::export::audit_csv))
        .route(crate::live::PATH, get(crate::live::stream::live))
        .merge(crate::rest::router())
        .leptos_routes_with_context(&state, routes, security_headers::use_page_nonce, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            security_headers::use_page_nonce,
            shell,
        ))
        .layer(axum::middleware::from_fn(server_fn_bodies::check))
        .layer(axum::middleware::from_fn(cross_site::refuse_cross_site))
        .layer(axum::middleware::from_fn(error_status::set_error_status))
        .layer(axum::middleware::from_fn_with_state(state.store.clone(), no_js_forms::redirect_form_errors))
        .layer(axum::middleware::from_fn_with_state(state.store.clone(), no_js_forms::verify_form_errors))
        // no request needs more: images are at most 1 MB, forms far less
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        // The WASM bundle is not compressed per request: release builds ship it precompressed
        // (served as .br/.gz by the static handler), and squeezing the 27 MB debug bundle took
        // ~4.5 s of CPU per page load in the browser tests.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/wasm"))),
        )
        .layer(axum::middleware::from_fn_with_state(config, security_headers::add))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// 200 when the database answers, 503 when it does not: for load balancers and monitors.
async fn healthz(State(store): State<SharedStore>) -> (StatusCode, &'static str) {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Binds, serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(state: AppState, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    spawn_sweeper(state.store.clone(), state.config.audit_retention);
    let max_connections = listen::max_connections();
    tracing::info!(max_connections, "Insignia listening on http://{addr}");
    listen::serve(listener, router(state), max_connections, shutdown_signal()).await;
    tracing::info!("Insignia stopped");
    Ok(())
}

/// Once an hour, removes expired sessions, login failures too old to count, delivered webhook
/// attempts and (if the owner set an age) old audit entries, so no table grows without bound.
fn spawn_sweeper(store: SharedStore, audit_retention: Option<chrono::Duration>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            let now = chrono::Utc::now();
            match store.delete_expired_sessions(now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
                Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
            }
            let cutoff = now - crate::auth::service::THROTTLE_WINDOW;
            if let Err(e) = store.delete_login_failures_before(cutoff).await {
                tracing::warn!(error = %e, "could not remove old login failures");
            }
            match crate::audit::retention::sweep(&store, now, audit_retention).await {
                Ok(swept) if swept != Default::default() => tracing::info!(?swept, "old history removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove old history"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
