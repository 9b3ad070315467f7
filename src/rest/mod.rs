//! The REST API of REST_CONTRACT.md: thin handlers over the same services as the dashboard.
//! Each handler resolves the caller, parses the wire request into the domain input the
//! dashboard uses, calls the service, and maps the answer to the wire shape; errors become the
//! contract's envelope in one place (`error`). The OpenAPI document is generated from the same
//! route table the router is built from.

pub mod assignments_v4;
pub mod badge_fields;
pub mod badges_v3;
pub mod badges_v4;
pub mod body;
pub mod bulk;
pub mod caller;
pub mod docs;
pub mod error;
pub mod icon;
pub mod member_wire;
pub mod members_v1;
pub mod paging;
pub mod params;
pub mod query;
pub mod wire;

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Insignia REST API", description = "The hosted Members, Badges V4, Badge Assignments V4 and Badges V3 APIs, served by Insignia."),
    modifiers(&KeyAuth),
    security(("api_key" = []))
)]
struct ApiDoc;

/// Every operation takes a key (or member token) in `Authorization`, raw or as `Bearer`.
struct KeyAuth;

impl Modify for KeyAuth {
    fn modify(&self, doc: &mut Document) {
        let scheme = SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Authorization",
            "An API key (Dashboard → Settings → API keys) or a member's personal token, raw or as `Bearer <key>`.",
        )));
        doc.components.get_or_insert_with(Default::default).add_security_scheme("api_key", scheme);
    }
}

/// The prefixes that lead to REST routes: anything under them answers JSON, found or not.
const REST_PREFIXES: [&str; 5] = ["/badges/v4", "/badges/v3", "/members/v1", "/members/v3", "/_api"];

/// Whether a path belongs to the REST API (which authenticates by `Authorization` only).
pub fn is_rest_path(path: &str) -> bool {
    path == "/openapi.json"
        || REST_PREFIXES
            .iter()
            .any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// The REST routes and their OpenAPI document, built from one table.
pub fn routes() -> (Router<AppState>, Document) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(badges_v4::routes())
        .merge(assignments_v4::routes())
        .nest("/_api/members/v3", badges_v3::routes())
        .nest("/_api/members/v1", members_v1::routes())
        .split_for_parts();
    // the other prefixes the SDK's mappings use for the same operations (REST_CONTRACT §1.1)
    let (v4, _) = badges_v4::routes().split_for_parts();
    let (v3, _) = badges_v3::routes().split_for_parts();
    let (members_v1, _) = members_v1::routes().split_for_parts();
    let mut router = router.nest("/_api", v4).nest("/badges/v3", v3.clone()).nest("/members/v3", v3);
    router = router.nest("/members/v1", members_v1);
    for prefix in REST_PREFIXES {
        router = router.route(&format!("{prefix}/{{*rest}}"), axum::routing::any(unknown_route));
    }
    let router = router.layer(axum::middleware::from_fn(rest_layer));
    (router, doc)
}

/// The REST routes, the document at `/openapi.json` and the same for people at `/api`.
pub fn router() -> Router<AppState> {
    let (router, doc) = routes();
    let page = axum::response::Html(docs::page(&doc));
    router
        .route("/openapi.json", get(move || async move { Json(doc.clone()) }))
        .route("/api", get(move || async move { page.clone() }))
}

async fn unknown_route() -> Response {
    error::ApiError::from(AppError::NOT_FOUND).into_response()
}

/// What every REST answer carries and every REST call leaves in the log: the request id (as
/// `X-Wix-Request-Id`, where the SDK reads it) and the key's prefix, never the key.
async fn rest_layer(req: Request, next: Next) -> Response {
    let request_id = req.headers().get("x-request-id").cloned();
    let key =
        crate::auth::api_key::from_headers(req.headers()).and_then(crate::auth::api_key::prefix_of).map(str::to_owned);
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let mut response = next.run(req).await;
    if response.status() == http::StatusCode::METHOD_NOT_ALLOWED {
        let body = serde_json::json!({
            "message": "This path does not take that method",
            "details": { "applicationError": { "code": "METHOD_NOT_ALLOWED", "description": "This path does not take that method", "data": {} } },
        });
        let allow = response.headers().get(http::header::ALLOW).cloned();
        response = (http::StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(http::header::ALLOW, allow);
        }
    }
    tracing::info!(%method, %path, status = response.status().as_u16(), key = key.as_deref().unwrap_or("-"), "rest call");
    if let Some(id) = request_id {
        response.headers_mut().insert("x-wix-request-id", id);
    }
    response.headers_mut().entry(http::header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}
