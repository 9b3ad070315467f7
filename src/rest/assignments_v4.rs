//! Badge Assignments V4 (REST_CONTRACT §6): `/badges/v4/badge-assignments` and
//! `/badges/v4/bulk/badge-assignments`, over `assignments::records`.

use super::body::Body;
use super::bulk::{BulkActionMetadata, ItemMetadata, JobStarted};
use super::caller::Caller;
use super::error::{ApiError, ApiResult};
use super::paging::Page;
use super::params::{guid, path_id};
use super::query::{parse_filter, parse_sort};
use super::wire::{self, Empty, ErrorEnvelope, PagingMetadata};
use crate::assignments::{records, service};
use crate::domain::query::AssignmentField;
use crate::domain::tags::{tag_ids, TagChange, Tags};
use crate::error::{AppError, Invalid};
use crate::state::AppState;
use crate::store::{AssignmentRecord, NewAssignment};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

const TAG: &str = "Badge Assignments V4";

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagList {
    #[serde(default)]
    tag_ids: Vec<String>,
}

/// `{tags: {tagIds}, privateTags: {tagIds}}`: public tags, and tags only site keys and admins see.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WireTags {
    #[serde(default)]
    private_tags: Option<TagList>,
    #[serde(default)]
    tags: Option<TagList>,
}

impl WireTags {
    fn of(tags: Tags) -> Self {
        WireTags { private_tags: Some(TagList { tag_ids: tags.private }), tags: Some(TagList { tag_ids: tags.public }) }
    }

    /// The tags as checked lists; `path` names this object in errors.
    fn parse(self, path: &str) -> ApiResult<Tags> {
        let list = |l: Option<TagList>, name: &str| {
            let at = format!("{path}.{name}.tagIds");
            tag_ids(&l.unwrap_or_default().tag_ids, "A tag list").map_err(|e| ApiError::invalid(&at, e))
        };
        Ok(Tags { public: list(self.tags, "tags")?, private: list(self.private_tags, "privateTags")? })
    }
}

/// A badge assignment on the wire.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeAssignment {
    id: Uuid,
    badge_id: Uuid,
    member_id: Uuid,
    tags: WireTags,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    created_date: DateTime<Utc>,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    updated_date: DateTime<Utc>,
}

impl From<AssignmentRecord> for BadgeAssignment {
    fn from(a: AssignmentRecord) -> Self {
        BadgeAssignment {
            id: a.id,
            badge_id: a.badge_id,
            member_id: a.member_id,
            tags: WireTags::of(a.tags),
            created_date: a.created_at,
            updated_date: a.updated_at,
        }
    }
}

/// An assignment as sent: `badgeId` and `memberId` are required; read-only fields are ignored,
/// and so is `extendedFields` (schema-plugin data: Insignia has no schema plugins).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadgeAssignmentInput {
    badge_id: Option<String>,
    member_id: Option<String>,
    tags: Option<WireTags>,
}

impl BadgeAssignmentInput {
    fn parse(self, path: &str) -> ApiResult<NewAssignment> {
        let id = |v: Option<String>, name: &str| {
            let at = format!("{path}.{name}");
            match v {
                Some(v) => guid(&v, &at),
                None => Err(ApiError::invalid(&at, Invalid::required(format!("{name} is required")))),
            }
        };
        Ok(NewAssignment {
            badge_id: id(self.badge_id, "badgeId")?,
            member_id: id(self.member_id, "memberId")?,
            tags: self.tags.unwrap_or_default().parse(&format!("{path}.tags"))?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateRequest {
    badge_assignment: Option<BadgeAssignmentInput>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentResponse {
    badge_assignment: BadgeAssignment,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkCreateRequest {
    badge_assignments: Option<Vec<BadgeAssignmentInput>>,
    /// Answer each assignment made in `item`.
    return_entity: Option<bool>,
}

/// One item's result; `item` only where asked for (create) or deleted (delete).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    item_metadata: ItemMetadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<BadgeAssignment>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResponse {
    results: Vec<BulkResult>,
    bulk_action_metadata: BulkActionMetadata,
}

impl BulkResponse {
    fn of(results: Vec<BulkResult>) -> Self {
        let bulk_action_metadata = BulkActionMetadata::of(results.iter().map(|r| &r.item_metadata));
        BulkResponse { results, bulk_action_metadata }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QueryRequest {
    /// `{filter?, sort?: [{fieldName, order}], cursorPaging?: {limit, cursor}}`; filter and sort
    /// by `badgeId`, `memberId`, `id`, `createdDate`, `updatedDate`, and filter by
    /// `tags.tags.tagIds` / `tags.privateTags.tagIds` with `$hasSome` or `$hasAll`.
    #[schema(value_type = Object)]
    query: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse {
    badge_assignments: Vec<BadgeAssignment>,
    paging_metadata: PagingMetadata,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleteRequest {
    badge_assignment_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateTagsRequest {
    ids: Option<Vec<String>>,
    assign_tags: Option<WireTags>,
    unassign_tags: Option<WireTags>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTagsByFilterRequest {
    /// Which assignments (`{}`: all of them), as in a query.
    #[schema(value_type = Object)]
    filter: Option<Value>,
    assign_tags: Option<WireTags>,
    unassign_tags: Option<WireTags>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_badge_assignment))
        .routes(routes!(delete_badge_assignment))
        .routes(routes!(query_badge_assignments))
        .routes(routes!(bulk_create_badge_assignments))
        .routes(routes!(bulk_delete_badge_assignments))
        .routes(routes!(bulk_update_badge_assignment_tags))
        .routes(routes!(bulk_update_badge_assignment_tags_by_filter))
}

/// Assigns a badge to a member. A key that may manage badges may assign any badge; a member's
/// token only a badge the owner delegated to them, to another member they can see.
#[utoipa::path(post, path = "/badges/v4/badge-assignments", tag = TAG,
    request_body(content = CreateRequest, example = json!({"badgeAssignment": {"badgeId": "6f1c2b9e-0000-4000-8000-000000000001", "memberId": "0b7a4c21-0000-4000-8000-000000000002", "tags": {"tags": {"tagIds": ["loyalty"]}}}})),
    responses((status = 200, body = AssignmentResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn create_badge_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateRequest>,
) -> ApiResult<Json<AssignmentResponse>> {
    let item = req.badge_assignment.unwrap_or_default().parse("badgeAssignment")?;
    let made = records::create(&state.store, &caller.actor, item).await?;
    Ok(Json(AssignmentResponse { badge_assignment: made.into() }))
}

/// Assigns 1 to 100 badges, each to its member; an item that cannot be made (an unknown badge
/// or member, a badge the member holds already) fails alone.
#[utoipa::path(post, path = "/badges/v4/bulk/badge-assignments/create", tag = TAG,
    request_body(content = BulkCreateRequest, example = json!({"badgeAssignments": [{"badgeId": "6f1c2b9e-0000-4000-8000-000000000001", "memberId": "0b7a4c21-0000-4000-8000-000000000002"}], "returnEntity": true})),
    responses((status = 200, body = BulkResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_create_badge_assignments(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<BulkCreateRequest>,
) -> ApiResult<Json<BulkResponse>> {
    // how many items a call may hold is the service's rule (1 to 100)
    let items = req
        .badge_assignments
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, input)| input.parse(&format!("badgeAssignments[{i}]")))
        .collect::<ApiResult<Vec<_>>>()?;
    let return_entity = req.return_entity.unwrap_or(false);
    let made = records::create_many(&state.store, &caller.actor, items).await?;
    let results = made
        .into_iter()
        .enumerate()
        .map(|(i, outcome)| match outcome {
            Ok(record) => BulkResult {
                item_metadata: ItemMetadata::new(i, Some(record.id.to_string()), Ok(())),
                item: return_entity.then(|| record.into()),
            },
            Err(e) => BulkResult { item_metadata: ItemMetadata::new(i, None, Err(&e)), item: None },
        })
        .collect();
    Ok(Json(BulkResponse::of(results)))
}

/// Assignments by badge, member, tags or dates, newest first unless sorted otherwise. Later
/// pages are asked for by the cursor alone: it carries the filter, the sort and the position.
#[utoipa::path(post, path = "/badges/v4/badge-assignments/query", tag = TAG,
    request_body(content = QueryRequest, example = json!({"query": {"filter": {"badgeId": "6f1c2b9e-0000-4000-8000-000000000001"}, "cursorPaging": {"limit": 50}}})),
    responses((status = 200, body = QueryResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn query_badge_assignments(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<QueryRequest>,
) -> ApiResult<Json<QueryResponse>> {
    let query = req.query.unwrap_or(Value::Null);
    let page = Page::of(&state.store, &query, "query", "sort").await?;
    let filter = parse_filter::<AssignmentField>(page.filter.as_ref(), "query.filter")?;
    let sort = parse_sort(page.sort.as_ref(), "query.sort")?;
    let (found, total) = records::query(&state.store, &caller.actor, &filter, &sort, page.window()).await?;
    let paging_metadata = page.metadata(&state.store, found.len(), total).await?;
    Ok(Json(QueryResponse { badge_assignments: found.into_iter().map(Into::into).collect(), paging_metadata }))
}

/// Takes the badge from the member (and with it what the badge unlocked); cannot be undone.
#[utoipa::path(delete, path = "/badges/v4/badge-assignments/{badgeAssignmentId}", tag = TAG,
    params(("badgeAssignmentId" = String, Path, description = "The assignment's GUID")),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_badge_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Empty>> {
    let id = path_id(&raw, &q, "badgeAssignmentId")?;
    records::delete(&state.store, &caller.actor, id).await?;
    Ok(Json(Empty {}))
}

/// The ids sent as GUIDs; how many a call may hold is the service's rule (1 to 100).
fn ids_of(raw: Option<Vec<String>>, field: &str) -> ApiResult<Vec<Uuid>> {
    raw.unwrap_or_default().iter().enumerate().map(|(i, id)| guid(id, &format!("{field}[{i}]"))).collect()
}

/// Deletes 1 to 100 assignments; an id that names none fails alone.
#[utoipa::path(post, path = "/badges/v4/bulk/badge-assignments/delete", tag = TAG,
    request_body(content = BulkDeleteRequest, example = json!({"badgeAssignmentIds": ["2d0c0c55-0000-4000-8000-000000000003"]})),
    responses((status = 200, body = BulkResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_delete_badge_assignments(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<BulkDeleteRequest>,
) -> ApiResult<Json<BulkResponse>> {
    let ids = ids_of(req.badge_assignment_ids, "badgeAssignmentIds")?;
    let deleted = records::delete_many(&state.store, &caller.actor, &ids).await?;
    Ok(Json(BulkResponse::of(by_id(&ids, deleted, true))))
}

/// One result per id asked about: the record where there was one, ASSIGNMENT_NOT_FOUND where not.
fn by_id(ids: &[Uuid], found: Vec<Option<AssignmentRecord>>, with_item: bool) -> Vec<BulkResult> {
    ids.iter()
        .zip(found)
        .enumerate()
        .map(|(i, (id, record))| {
            let outcome = if record.is_some() { Ok(()) } else { Err(&AppError::ASSIGNMENT_NOT_FOUND) };
            BulkResult {
                item_metadata: ItemMetadata::new(i, Some(id.to_string()), outcome),
                item: record.filter(|_| with_item).map(Into::into),
            }
        })
        .collect()
}

/// The change asked for: `assignTags` is required (it may be empty); a tag in both lists ends
/// up assigned.
fn tag_change(assign: Option<WireTags>, unassign: Option<WireTags>) -> ApiResult<TagChange> {
    let assign = assign.ok_or_else(|| ApiError::invalid("assignTags", Invalid::required("assignTags is required")))?;
    Ok(TagChange { assign: assign.parse("assignTags")?, unassign: unassign.unwrap_or_default().parse("unassignTags")? })
}

/// Adds and removes tags on 1 to 100 assignments.
#[utoipa::path(post, path = "/badges/v4/bulk/badge-assignments/bulk-update-tags", tag = TAG,
    request_body(content = BulkUpdateTagsRequest, example = json!({"ids": ["2d0c0c55-0000-4000-8000-000000000003"], "assignTags": {"tags": {"tagIds": ["gold"]}}, "unassignTags": {"tags": {"tagIds": ["silver"]}}})),
    responses((status = 200, body = BulkResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_update_badge_assignment_tags(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<BulkUpdateTagsRequest>,
) -> ApiResult<Json<BulkResponse>> {
    let ids = ids_of(req.ids, "ids")?;
    let change = tag_change(req.assign_tags, req.unassign_tags)?;
    let updated = records::update_tags(&state.store, &caller.actor, &ids, &change).await?;
    Ok(Json(BulkResponse::of(by_id(&ids, updated, false))))
}

/// Adds and removes tags on every assignment matching the filter, in the background; answers
/// the job's id at once. The run shows in the dashboard's runs list.
#[utoipa::path(post, path = "/badges/v4/bulk/badge-assignments/update-tags-by-filter", tag = TAG,
    request_body(content = UpdateTagsByFilterRequest, example = json!({"filter": {"badgeId": "6f1c2b9e-0000-4000-8000-000000000001"}, "assignTags": {"tags": {"tagIds": ["gold"]}}})),
    responses((status = 200, body = JobStarted), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_update_badge_assignment_tags_by_filter(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<UpdateTagsByFilterRequest>,
) -> ApiResult<Json<JobStarted>> {
    let Some(filter) = req.filter else {
        return Err(ApiError::invalid("filter", Invalid::required("filter is required ({} for every assignment)")));
    };
    let filter = parse_filter::<AssignmentField>(Some(&filter), "filter")?;
    let change = tag_change(req.assign_tags, req.unassign_tags)?;
    let job = service::update_tags_by_filter(&state.store, &state.jobs, &caller.actor, filter, change).await?;
    Ok(Json(JobStarted { job_id: job.id.to_string() }))
}
