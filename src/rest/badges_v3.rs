//! Badges V3 (REST_CONTRACT §7, deprecated upstream but still called): a second view of the
//! same badges, served at `/_api/members/v3/badges` (and `/badges/v3/badges`,
//! `/members/v3/badges`). A V3 badge has no revision and its icon is a plain URL string.

use super::badge_fields;
use super::body::{same_id, Body};
use super::caller::Caller;
use super::error::{ApiError, ApiResult};
use super::icon::{from_icon, to_icon, WireImage};
use super::params::{guid, number, path_id, query_params};
use super::wire::{self, Empty, ErrorEnvelope};
use crate::assignments::service as assignments;
use crate::badges::service;
use crate::domain::badge_order::Reorder;
use crate::domain::BadgeDescription;
use crate::error::Invalid;
use crate::state::AppState;
use crate::store::{BadgeChanges, BadgeQuery, BadgeRecord, BadgeSort, NewBadge};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

const TAG: &str = "Badges V3";
/// V3 lists page by offset, 100 by default and at most 1000.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeV3 {
    id: Uuid,
    title: String,
    description: String,
    background_color: String,
    text_color: String,
    /// The icon's URL (V4's `icon.url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<String>,
    permissions_enabled: bool,
    slug: String,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    created_date: DateTime<Utc>,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    updated_date: DateTime<Utc>,
}

impl BadgeV3 {
    fn of(b: BadgeRecord, base: &str) -> Self {
        BadgeV3 {
            id: b.id,
            title: b.title,
            description: b.description,
            background_color: b.background_color,
            text_color: b.text_color,
            icon: b.icon.as_ref().and_then(|i| from_icon(i, base).url),
            permissions_enabled: b.permissions_enabled,
            slug: b.slug,
            created_date: b.created_at,
            updated_date: b.updated_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeInputV3 {
    id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    background_color: Option<String>,
    text_color: Option<String>,
    /// An image URL; `""` or `null` removes the icon (in an update).
    #[serde(default, deserialize_with = "wire::double_option")]
    icon: Option<Option<String>>,
    permissions_enabled: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BadgeRequestV3 {
    badge: Option<BadgeInputV3>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeResponseV3 {
    badge: BadgeV3,
}

/// `PagingMetadata` of offset lists.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    count: usize,
    offset: i64,
    total: i64,
    too_many_to_count: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListBadgesResponse {
    badges: Vec<BadgeV3>,
    metadata: Metadata,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgesV3Response {
    badges: Vec<BadgeV3>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberIdsRequest {
    id: Option<String>,
    member_ids: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberIdsResponse {
    member_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MembersByBadgeResponse {
    member_ids: Vec<Uuid>,
    metadata: Metadata,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberBadgeIds {
    member_id: Uuid,
    badge_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgesPerMemberResponse {
    member_badge_ids: Vec<MemberBadgeIds>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeMemberCount {
    badge_id: Uuid,
    member_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberCountsResponse {
    badge_member_counts: Vec<BadgeMemberCount>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisplayOrderRequestV3 {
    badge_ids: Option<Vec<String>>,
}

/// Relative to the V3 prefix (`/_api/members/v3`), under which `rest::routes` nests them.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_badge, list_badges))
        .routes(routes!(get_badge, update_badge, delete_badge))
        .routes(routes!(assign_badge, unassign_badge, list_members_by_badge))
        .routes(routes!(list_badges_per_member))
        .routes(routes!(get_member_counts_per_badge))
        .routes(routes!(update_badges_display_order))
}

fn changes(input: BadgeInputV3, base: &str) -> ApiResult<BadgeChanges> {
    let icon = match input.icon {
        None => None,
        Some(None) => Some(None),
        Some(Some(url)) if url.trim().is_empty() => Some(None),
        Some(Some(url)) => Some(Some(to_icon(&WireImage { url: Some(url), ..Default::default() }, base)?)),
    };
    let fields = badge_fields::changes(
        input.title,
        input.description,
        input.background_color,
        input.text_color,
        input.permissions_enabled,
    )?;
    Ok(BadgeChanges { icon, ..fields })
}

const ICON_FIELDS: &[(&str, &str)] = &[("icon_library", "badge.icon"), ("icon_file", "badge.icon")];

#[utoipa::path(post, path = "/badges", tag = TAG,
    request_body(content = BadgeRequestV3, example = json!({"badge": {"title": "Old Guard", "backgroundColor": "#796EFF", "textColor": "#FFFFFF", "icon": "https://cdn.example.com/guard.svg"}})),
    responses((status = 200, body = BadgeResponseV3), (status = "4XX", body = ErrorEnvelope)))]
async fn create_badge(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<BadgeRequestV3>,
) -> ApiResult<Json<BadgeResponseV3>> {
    let c = changes(req.badge.unwrap_or_default(), &caller.base)?;
    let required =
        |name: &str| ApiError::invalid(&format!("badge.{name}"), Invalid::required(format!("{name} is required")));
    let new = NewBadge {
        title: c.title.ok_or_else(|| required("title"))?,
        description: c.description.unwrap_or_else(|| BadgeDescription::parse("").expect("empty is a description")),
        background_color: c.background_color.ok_or_else(|| required("backgroundColor"))?,
        text_color: c.text_color.ok_or_else(|| required("textColor"))?,
        icon: c.icon.flatten(),
        permissions_enabled: c.permissions_enabled.unwrap_or(false),
    };
    let badge = service::create(&state.store, &caller.actor, &new)
        .await
        .map_err(|e| ApiError::from(e).on_fields(ICON_FIELDS))?;
    Ok(Json(BadgeResponseV3 { badge: BadgeV3::of(badge, &caller.base) }))
}

/// Badges in display order.
#[utoipa::path(get, path = "/badges", tag = TAG,
    params(("paging.limit" = Option<i64>, Query), ("paging.offset" = Option<i64>, Query)),
    responses((status = 200, body = ListBadgesResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn list_badges(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<ListBadgesResponse>> {
    let limit = number(&q, "paging.limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let offset = number(&q, "paging.offset", 0, 0, 1_000_000)?;
    let query = BadgeQuery { sort: BadgeSort::Position, limit, offset, ..Default::default() };
    let badges = service::list(&state.store, &caller.actor, &query).await?;
    let total = service::count(&state.store, &caller.actor, &BadgeQuery::default()).await?;
    let metadata = Metadata { count: badges.len(), offset, total, too_many_to_count: false };
    Ok(Json(ListBadgesResponse {
        badges: badges.into_iter().map(|b| BadgeV3::of(b, &caller.base)).collect(),
        metadata,
    }))
}

#[utoipa::path(get, path = "/badges/{id}", tag = TAG, params(("id" = String, Path)),
    responses((status = 200, body = BadgeResponseV3), (status = "4XX", body = ErrorEnvelope)))]
async fn get_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<BadgeResponseV3>> {
    let id = path_id(&raw, &q, "id")?;
    let badge = service::get(&state.store, &caller.actor, id).await?;
    Ok(Json(BadgeResponseV3 { badge: BadgeV3::of(badge, &caller.base) }))
}

/// Changes the fields sent; the slug follows the title.
#[utoipa::path(patch, path = "/badges/{id}", tag = TAG, request_body = BadgeRequestV3, params(("id" = String, Path)),
    responses((status = 200, body = BadgeResponseV3), (status = "4XX", body = ErrorEnvelope)))]
async fn update_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    Body(req): Body<BadgeRequestV3>,
) -> ApiResult<Json<BadgeResponseV3>> {
    let id = guid(&raw, "badge.id")?;
    let Some(input) = req.badge else {
        return Err(ApiError::invalid("badge", Invalid::required("badge is required")));
    };
    same_id(id, input.id.as_deref(), "badge.id")?;
    let changes = changes(input, &caller.base)?;
    let badge = service::update(&state.store, &caller.actor, id, None, &changes)
        .await
        .map_err(|e| ApiError::from(e).on_fields(ICON_FIELDS))?;
    Ok(Json(BadgeResponseV3 { badge: BadgeV3::of(badge, &caller.base) }))
}

#[utoipa::path(delete, path = "/badges/{id}", tag = TAG, params(("id" = String, Path)),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Empty>> {
    let id = path_id(&raw, &q, "id")?;
    service::delete(&state.store, &caller.actor, id).await?;
    Ok(Json(Empty {}))
}

fn member_ids(raw: &[String]) -> ApiResult<Vec<Uuid>> {
    raw.iter().map(|id| guid(id, "memberIds")).collect()
}

/// Gives the badge to each member; answers the ids that were assigned by this call.
#[utoipa::path(post, path = "/badges/{id}/members", tag = TAG, params(("id" = String, Path)),
    request_body(content = MemberIdsRequest, example = json!({"memberIds": ["0b7e5a9c-0000-4000-8000-000000000002"]})),
    responses((status = 200, body = MemberIdsResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn assign_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    Body(req): Body<MemberIdsRequest>,
) -> ApiResult<Json<MemberIdsResponse>> {
    let id = guid(&raw, "id")?;
    same_id(id, req.id.as_deref(), "id")?;
    let members = member_ids(&req.member_ids.unwrap_or_default())?;
    let report = assignments::assign(&state.store, &caller.actor, id, &members, "")
        .await
        .map_err(|e| ApiError::from(e).on_fields(&[("member_ids", "memberIds")]))?;
    let assigned = report.results.iter().filter(|r| r.outcome.success()).map(|r| r.member_id).collect();
    Ok(Json(MemberIdsResponse { member_ids: assigned }))
}

/// Takes the badge from each member (`?memberIds=a&memberIds=b`).
#[utoipa::path(delete, path = "/badges/{id}/members", tag = TAG,
    params(("id" = String, Path), ("memberIds" = Vec<String>, Query)),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn unassign_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Empty>> {
    let id = path_id(&raw, &q, "id")?;
    let members = member_ids(&query_params(&q, "memberIds"))?;
    assignments::unassign(&state.store, &caller.actor, id, &members)
        .await
        .map_err(|e| ApiError::from(e).on_fields(&[("member_ids", "memberIds")]))?;
    Ok(Json(Empty {}))
}

/// The members holding the badge, most recently assigned first.
#[utoipa::path(get, path = "/badges/{id}/members", tag = TAG,
    params(("id" = String, Path), ("paging.limit" = Option<i64>, Query), ("paging.offset" = Option<i64>, Query)),
    responses((status = 200, body = MembersByBadgeResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn list_members_by_badge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MembersByBadgeResponse>> {
    let id = path_id(&raw, &q, "id")?;
    let limit = number(&q, "paging.limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let offset = number(&q, "paging.offset", 0, 0, 1_000_000)?;
    let (ids, total) = assignments::holder_ids(&state.store, &caller.actor, id, limit, offset).await?;
    let metadata = Metadata { count: ids.len(), offset, total, too_many_to_count: false };
    Ok(Json(MembersByBadgeResponse { member_ids: ids, metadata }))
}

/// For each member (1 to 100), the badges they hold.
#[utoipa::path(post, path = "/badges/members", tag = TAG, request_body = MemberIdsRequest,
    responses((status = 200, body = BadgesPerMemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn list_badges_per_member(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<MemberIdsRequest>,
) -> ApiResult<Json<BadgesPerMemberResponse>> {
    let members = member_ids(&req.member_ids.unwrap_or_default())?;
    let held = assignments::badge_ids_of(&state.store, &caller.actor, &members)
        .await
        .map_err(|e| ApiError::from(e).on_fields(&[("member_ids", "memberIds")]))?;
    let member_badge_ids =
        held.into_iter().map(|(member_id, badge_ids)| MemberBadgeIds { member_id, badge_ids }).collect();
    Ok(Json(BadgesPerMemberResponse { member_badge_ids }))
}

/// How many members hold each badge, in display order.
#[utoipa::path(get, path = "/badges/members/count", tag = TAG,
    responses((status = 200, body = MemberCountsResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn get_member_counts_per_badge(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<MemberCountsResponse>> {
    let badges = service::in_display_order(&state.store, &caller.actor).await?;
    let counts =
        badges.into_iter().map(|b| BadgeMemberCount { badge_id: b.id, member_count: b.member_count }).collect();
    Ok(Json(MemberCountsResponse { badge_member_counts: counts }))
}

/// Puts these badges first, in this order; answers every badge in the new order.
#[utoipa::path(patch, path = "/badges/order", tag = TAG, request_body = DisplayOrderRequestV3,
    responses((status = 200, body = BadgesV3Response), (status = "4XX", body = ErrorEnvelope)))]
async fn update_badges_display_order(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<DisplayOrderRequestV3>,
) -> ApiResult<Json<BadgesV3Response>> {
    let ids = req.badge_ids.unwrap_or_default();
    if ids.is_empty() || ids.len() > 1000 {
        return Err(ApiError::invalid("badgeIds", Invalid::format("send 1 to 1000 badge ids")));
    }
    let ids = ids.iter().map(|id| guid(id, "badgeIds")).collect::<ApiResult<Vec<_>>>()?;
    service::reorder(&state.store, &caller.actor, &Reorder::SetFirst(ids)).await?;
    let badges = service::in_display_order(&state.store, &caller.actor).await?;
    Ok(Json(BadgesV3Response { badges: badges.into_iter().map(|b| BadgeV3::of(b, &caller.base)).collect() }))
}
