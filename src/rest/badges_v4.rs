//! Badges V4 (REST_CONTRACT §5): `/badges/v4/badges`, over `badges::service`.

use super::badge_fields;
use super::body::{same_id, Body};
use super::caller::Caller;
use super::error::{ApiError, ApiResult};
use super::icon::{from_icon, to_icon, WireImage};
use super::paging::Page;
use super::params::{guid as badge_id, path_id};
use super::query::{parse_filter, parse_sort};
use super::wire::{self, Empty, ErrorEnvelope, PagingMetadata};
use crate::badges::service;
use crate::domain::badge_order::{MoveTo, Reorder};
use crate::domain::query::{BadgeField, Query};
use crate::domain::BadgeDescription;
use crate::error::Invalid;
use crate::state::AppState;
use crate::store::{BadgeChanges, BadgeRecord, NewBadge};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

const TAG: &str = "Badges V4";

/// A badge on the wire.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    id: Uuid,
    /// Goes up by one with every update; an int64, so a string.
    revision: String,
    title: String,
    description: String,
    background_color: String,
    text_color: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<WireImage>,
    permissions_enabled: bool,
    slug: String,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    created_date: DateTime<Utc>,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    updated_date: DateTime<Utc>,
}

impl Badge {
    pub(crate) fn of(b: BadgeRecord, base: &str) -> Self {
        Badge {
            id: b.id,
            revision: b.revision.to_string(),
            title: b.title,
            description: b.description,
            background_color: b.background_color,
            text_color: b.text_color,
            icon: b.icon.as_ref().map(|i| from_icon(i, base)),
            permissions_enabled: b.permissions_enabled,
            slug: b.slug,
            created_date: b.created_at,
            updated_date: b.updated_at,
        }
    }
}

/// A badge as sent: every field optional (the create checks that the required ones are there);
/// read-only fields (`slug`, dates) are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeInput {
    id: Option<String>,
    revision: Option<String>,
    title: Option<String>,
    description: Option<String>,
    background_color: Option<String>,
    text_color: Option<String>,
    /// `null` removes the icon (in an update).
    #[serde(default, deserialize_with = "wire::double_option")]
    icon: Option<Option<WireImage>>,
    permissions_enabled: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BadgeRequest {
    badge: Option<BadgeInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeResponse {
    badge: Badge,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgesResponse {
    badges: Vec<Badge>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryBadgesResponse {
    badges: Vec<Badge>,
    paging_metadata: PagingMetadata,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QueryBadgesRequest {
    /// `{filter?, sort?: [{fieldName, order}], paging?: {limit, offset} | cursorPaging?: {limit, cursor}}`
    #[schema(value_type = Object)]
    query: Option<Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DisplayOrderRequest {
    ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MoveBadgeRequest {
    badge_id: Option<String>,
    /// `FIRST`, `LAST` (the default) or `AFTER` (with `moveAfterBadgeId`).
    position: Option<String>,
    move_after_badge_id: Option<String>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_badge))
        .routes(routes!(get_badge, update_badge, delete_badge))
        .routes(routes!(query_badges))
        .routes(routes!(update_badges_display_order))
        .routes(routes!(move_badge))
}

/// The fields of a badge input, parsed as the dashboard's editor parses them.
fn changes(input: BadgeInput, base: &str) -> ApiResult<BadgeChanges> {
    let mut changes = badge_fields::changes(
        input.title,
        input.description,
        input.background_color,
        input.text_color,
        input.permissions_enabled,
    )?;
    changes.icon = input.icon.map(|i| i.map(|i| to_icon(&i, base)).transpose()).transpose()?;
    Ok(changes)
}

/// Service errors about the icon name the editor's fields; on the wire it is `badge.icon`.
const ICON_FIELDS: &[(&str, &str)] = &[("icon_library", "badge.icon"), ("icon_file", "badge.icon")];

/// Creates a badge, last in the display order.
#[utoipa::path(post, path = "/badges/v4/badges", tag = TAG,
    request_body(content = BadgeRequest, example = json!({"badge": {"title": "Night Owl", "description": "Posts after midnight", "backgroundColor": "#1E1B4B", "textColor": "#FEF3C7", "permissionsEnabled": false}})),
    responses((status = 200, body = BadgeResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn create_badge(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<BadgeRequest>,
) -> ApiResult<Json<BadgeResponse>> {
    let input = req.badge.unwrap_or_default();
    let required = |v: &Option<String>, name: &str| match v {
        Some(_) => Ok(()),
        None => Err(ApiError::invalid(&format!("badge.{name}"), Invalid::required(format!("{name} is required")))),
    };
    required(&input.title, "title")?;
    required(&input.background_color, "backgroundColor")?;
    required(&input.text_color, "textColor")?;
    let c = changes(input, &caller.base)?;
    let new = NewBadge {
        title: c.title.ok_or(crate::error::AppError::Internal)?,
        description: c.description.unwrap_or_else(|| BadgeDescription::parse("").expect("empty is a description")),
        background_color: c.background_color.ok_or(crate::error::AppError::Internal)?,
        text_color: c.text_color.ok_or(crate::error::AppError::Internal)?,
        icon: c.icon.flatten(),
        permissions_enabled: c.permissions_enabled.unwrap_or(false),
    };
    let badge = service::create(&state.store, &caller.actor, &new)
        .await
        .map_err(|e| ApiError::from(e).on_fields(ICON_FIELDS))?;
    Ok(Json(BadgeResponse { badge: Badge::of(badge, &caller.base) }))
}

#[utoipa::path(get, path = "/badges/v4/badges/{badgeId}", tag = TAG,
    params(("badgeId" = String, Path, description = "The badge's GUID")),
    responses((status = 200, body = BadgeResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn get_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<BadgeResponse>> {
    let id = path_id(&raw, &q, "badgeId")?;
    let badge = service::get(&state.store, &caller.actor, id).await?;
    Ok(Json(BadgeResponse { badge: Badge::of(badge, &caller.base) }))
}

/// Changes the fields sent, and only those; a `revision` that is no longer current is a 409
/// and changes nothing.
#[utoipa::path(patch, path = "/badges/v4/badges/{badgeId}", tag = TAG,
    request_body(content = BadgeRequest, example = json!({"badge": {"revision": "1", "description": "Owls only"}})),
    params(("badgeId" = String, Path, description = "The badge's GUID")),
    responses((status = 200, body = BadgeResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn update_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    Body(req): Body<BadgeRequest>,
) -> ApiResult<Json<BadgeResponse>> {
    let id = badge_id(&raw, "badge.id")?;
    let Some(input) = req.badge else {
        return Err(
            ApiError::invalid("badge", Invalid::required("badge is required")).with_rule_name("BADGE_NOT_PROVIDED")
        );
    };
    same_id(id, input.id.as_deref(), "badge.id")?;
    let revision = match input.revision.as_deref().filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => Some(
            r.parse::<i64>()
                .map_err(|_| ApiError::invalid("badge.revision", Invalid::format("a revision is a whole number")))?,
        ),
    };
    let changes = changes(input, &caller.base)?;
    let badge = service::update(&state.store, &caller.actor, id, revision, &changes)
        .await
        .map_err(|e| ApiError::from(e).on_fields(ICON_FIELDS))?;
    Ok(Json(BadgeResponse { badge: Badge::of(badge, &caller.base) }))
}

/// Deletes a badge; every member who held it loses it.
#[utoipa::path(delete, path = "/badges/v4/badges/{badgeId}", tag = TAG,
    params(("badgeId" = String, Path, description = "The badge's GUID")),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Empty>> {
    let id = path_id(&raw, &q, "badgeId")?;
    service::delete(&state.store, &caller.actor, id).await?;
    Ok(Json(Empty {}))
}

/// Filter, sort and page badges; newest first when no sort is given.
#[utoipa::path(post, path = "/badges/v4/badges/query", tag = TAG,
    request_body(content = QueryBadgesRequest, example = json!({"query": {"filter": {"title": {"$startsWith": "night"}}, "sort": [{"fieldName": "title", "order": "ASC"}], "paging": {"limit": 50, "offset": 0}}})),
    responses((status = 200, body = QueryBadgesResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn query_badges(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<QueryBadgesRequest>,
) -> ApiResult<Json<QueryBadgesResponse>> {
    let query = req.query.unwrap_or(Value::Null);
    let page = Page::of(&state.store, &query, "query", "sort").await?;
    let parsed = Query {
        filter: parse_filter::<BadgeField>(page.filter.as_ref(), "query.filter")?,
        sort: parse_sort(page.sort.as_ref(), "query.sort")?,
        window: page.window(),
    };
    let (badges, total) = service::query(&state.store, &caller.actor, &parsed).await?;
    let paging_metadata = page.metadata(&state.store, badges.len(), total).await?;
    Ok(Json(QueryBadgesResponse {
        badges: badges.into_iter().map(|b| Badge::of(b, &caller.base)).collect(),
        paging_metadata,
    }))
}

/// Puts these badges first, in this order; the others follow as they were. Answers every badge
/// in the new order.
#[utoipa::path(post, path = "/badges/v4/badges/order", tag = TAG,
    request_body(content = DisplayOrderRequest, example = json!({"ids": ["6f1c2b9e-0000-4000-8000-000000000001"]})),
    responses((status = 200, body = BadgesResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn update_badges_display_order(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<DisplayOrderRequest>,
) -> ApiResult<Json<BadgesResponse>> {
    let ids = req.ids.unwrap_or_default();
    if ids.is_empty() || ids.len() > 100 {
        return Err(ApiError::invalid("ids", Invalid::format("send 1 to 100 badge ids")));
    }
    let ids = ids.iter().map(|id| badge_id(id, "ids")).collect::<ApiResult<Vec<_>>>()?;
    service::reorder(&state.store, &caller.actor, &Reorder::SetFirst(ids)).await?;
    let badges = service::in_display_order(&state.store, &caller.actor).await?;
    Ok(Json(BadgesResponse { badges: badges.into_iter().map(|b| Badge::of(b, &caller.base)).collect() }))
}

/// Moves one badge first, last, or after another.
#[utoipa::path(post, path = "/badges/v4/badges/{badgeId}/move", tag = TAG,
    request_body(content = MoveBadgeRequest, example = json!({"position": "AFTER", "moveAfterBadgeId": "6f1c2b9e-0000-4000-8000-000000000001"})),
    params(("badgeId" = String, Path, description = "The badge's GUID")),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn move_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    Body(req): Body<MoveBadgeRequest>,
) -> ApiResult<Json<Empty>> {
    let id = badge_id(&raw, "badgeId")?;
    same_id(id, req.badge_id.as_deref(), "badgeId")?;
    let to = match req.position.as_deref() {
        None | Some("LAST") => MoveTo::Last,
        Some("FIRST") => MoveTo::First,
        Some("AFTER") => match req.move_after_badge_id.as_deref().filter(|s| !s.is_empty()) {
            Some(after) => MoveTo::After(badge_id(after, "moveAfterBadgeId")?),
            None => {
                return Err(ApiError::invalid("moveAfterBadgeId", Invalid::required("AFTER needs moveAfterBadgeId")))
            }
        },
        Some(other) => {
            return Err(ApiError::invalid(
                "position",
                Invalid::format(format!("position is FIRST, LAST or AFTER, not {other:?}")),
            ))
        }
    };
    service::reorder(&state.store, &caller.actor, &Reorder::Move(id, to)).await?;
    Ok(Json(Empty {}))
}
