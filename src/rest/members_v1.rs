//! Members V1 (REST_CONTRACT §8): `/_api/members/v1/members` (and `/members/v1/members`), over
//! `members::records`. Wire shapes and their parsing are in `member_wire`.

use super::body::{same_id, Body};
use super::bulk::{BulkActionMetadata, ItemMetadata, JobStarted};
use super::caller::Caller;
use super::error::{ApiError, ApiResult};
use super::member_wire::{fieldsets_of, list_request, widest, with_member_data, Member, MemberInput, MemberResponse};
use super::paging::Page;
use super::params::{guid, path_id, query_params};
use super::query::{parse_filter, parse_sort};
use super::wire::{Empty, ErrorEnvelope, PagingMetadata};
use crate::auth::actor::Actor;
use crate::domain::job::JobAction;
use crate::domain::query::{Field, MemberField, MemberQuery, MemberSearch};
use crate::error::{AppError, ErrorCode, Invalid};
use crate::members::records::{self, ContactList, StatusChange};
use crate::members::visibility::fieldset_for;
use crate::members::{Fieldset, MemberAction};
use crate::state::AppState;
use crate::store::MemberRecord;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

const TAG: &str = "Members V1";

/// The fields a search may look in; `profile.nickname` when none are named.
const SEARCH_FIELDS: [MemberField; 6] = [
    MemberField::LoginEmail,
    MemberField::FirstName,
    MemberField::LastName,
    MemberField::Title,
    MemberField::Nickname,
    MemberField::Slug,
];

/// A caller of the Members API: a key without a `members.*` scope is refused (403) before its
/// request is read, whatever the call.
struct MembersCaller(Caller);

impl FromRequestParts<AppState> for MembersCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        records::may_call(&caller.actor)?;
        Ok(MembersCaller(caller))
    }
}

impl MembersCaller {
    fn actor(&self) -> &Actor {
        &self.0.actor
    }

    /// The member as this caller may see it: in full when they changed it (a manager, or
    /// themself).
    fn shown(&self, m: &MemberRecord) -> MemberResponse {
        let fieldset = fieldset_for(self.actor(), m, Fieldset::Full).unwrap_or(Fieldset::Public);
        MemberResponse::of(m, fieldset, &self.0.base)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SlugRequest {
    id: Option<String>,
    /// Lowercase letters, digits and single hyphens; at most 100 characters.
    slug: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberRequest {
    member: Option<MemberInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IdRequest {
    id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Search {
    /// 1 to 100 characters, matched as a substring (case-insensitive).
    expression: Option<String>,
    /// At most 4 of `loginEmail`, `contact.firstName`, `contact.lastName`, `profile.title`,
    /// `profile.nickname`, `profile.slug`; `profile.nickname` when none.
    fields: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QueryMembersRequest {
    /// `{filter?, sorting?: [{fieldName, order}] (or sort), paging?: {limit ≤ 100, offset}}`
    #[schema(value_type = Object)]
    query: Option<Value>,
    /// `PUBLIC` (the default), `EXTENDED`, `FULL`: the widest wins.
    #[schema(value_type = Option<Vec<String>>)]
    fieldsets: Option<Value>,
    search: Option<Search>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembersResponse {
    members: Vec<Member>,
    metadata: PagingMetadata,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleteRequest {
    member_ids: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    item_metadata: ItemMetadata,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResponse {
    results: Vec<BulkResult>,
    bulk_action_metadata: BulkActionMetadata,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ByFilterRequest {
    /// Which members, as in a query's filter (`{}`: all of them). Required.
    #[schema(value_type = Object)]
    filter: Option<Value>,
    /// Accepted and not used: Insignia has no member content to hand over.
    #[allow(dead_code)]
    content_assignee_id: Option<String>,
    /// Delete-by-filter only: narrows the filter further.
    search: Option<Search>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members, create_member))
        .routes(routes!(get_current_member, delete_my_member))
        .routes(routes!(update_current_member_slug))
        .routes(routes!(join_community))
        .routes(routes!(leave_community))
        .routes(routes!(query_members))
        .routes(routes!(bulk_delete_members))
        .routes(routes!(bulk_delete_members_by_filter))
        .routes(routes!(bulk_approve_members))
        .routes(routes!(bulk_block_members))
        .routes(routes!(get_member, update_member, delete_member))
        .routes(routes!(update_member_slug))
        .routes(routes!(mute_member))
        .routes(routes!(unmute_member))
        .routes(routes!(approve_member))
        .routes(routes!(block_member))
        .routes(routes!(disconnect_member))
        .routes(routes!(delete_member_phones))
        .routes(routes!(delete_member_emails))
        .routes(routes!(delete_member_addresses))
}

/// A slug clash answers the slug asked for in `data`.
fn slug_error(e: AppError, slug: &str) -> ApiError {
    if e.code() == ErrorCode::SlugAlreadyExists {
        ApiError::from(e).with_data(json!({ "slug": slug }))
    } else {
        ApiError::from(e)
    }
}

/// A member linked to staff is refused as the typings say: a validation error named by rule.
fn delete_error(e: AppError, member_id: Uuid) -> ApiError {
    match e {
        AppError::Conflict { code: ErrorCode::OwnerOrContributorMemberDeleteForbidden, message } => {
            ApiError::invalid("id", Invalid::from(message))
                .with_rule_name("OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN")
                .with_data(json!({ "memberId": member_id }))
        }
        other => other.into(),
    }
}

fn search_of(search: Option<Search>, path: &str) -> ApiResult<Option<MemberSearch>> {
    let Some(search) = search else { return Ok(None) };
    let expression = records::search_expression(search.expression.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::invalid(&format!("{path}.expression"), e))?;
    let names = search.fields.unwrap_or_default();
    if names.len() > 4 {
        return Err(ApiError::invalid(&format!("{path}.fields"), Invalid::max_length("search at most 4 fields")));
    }
    let mut fields = names
        .iter()
        .map(|name| {
            MemberField::from_wire(name).filter(|f| SEARCH_FIELDS.contains(f)).ok_or_else(|| {
                ApiError::invalid(&format!("{path}.fields"), Invalid::format(format!("cannot search {name:?}")))
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    if fields.is_empty() {
        fields.push(MemberField::Nickname);
    }
    Ok(Some(MemberSearch { expression, fields }))
}

/// Lists members, newest first unless sorted; `paging` and `sorting` arrive inside `.r`.
#[utoipa::path(get, path = "/members", tag = TAG,
    params(
        ("fieldsets" = Option<Vec<String>>, Query, description = "PUBLIC (the default), EXTENDED or FULL; repeated"),
        (".r" = Option<String>, Query, description = "The whole request `{paging, fieldsets, sorting}` as base64url JSON, as the SDK sends it"),
    ),
    responses((status = 200, body = MembersResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn list_members(
    State(state): State<AppState>,
    caller: MembersCaller,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MembersResponse>> {
    let request = list_request(&q)?;
    let sort_key = if request.get("sorting").is_some() { "sorting" } else { "sort" };
    let page = Page::of(&state.store, &request, "", sort_key)
        .await
        .map_err(|e| e.on_fields(&[(".paging.limit", "paging.limit"), (".paging.offset", "paging.offset")]))?;
    let sort = parse_sort(page.sort.as_ref(), sort_key)?;
    let wanted = fieldsets_of(request.get("fieldsets"), "fieldsets")?;
    let (found, total) =
        records::query(&state.store, caller.actor(), MemberQuery::default(), &sort, page.window(), wanted).await?;
    let metadata = page.metadata(&state.store, found.len(), total).await?;
    Ok(Json(MembersResponse {
        members: found.iter().map(|(m, f)| Member::of(m, *f, &caller.0.base)).collect(),
        metadata,
    }))
}

/// Filter, search, sort and page members (at most 100 a page), newest first unless sorted.
#[utoipa::path(post, path = "/members/query", tag = TAG,
    request_body(content = QueryMembersRequest, example = json!({"query": {"filter": {"status": "APPROVED"}, "sorting": [{"fieldName": "profile.nickname", "order": "ASC"}], "paging": {"limit": 50, "offset": 0}}, "fieldsets": ["FULL"], "search": {"expression": "ann"}})),
    responses((status = 200, body = MembersResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn query_members(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<QueryMembersRequest>,
) -> ApiResult<Json<MembersResponse>> {
    let query = req.query.unwrap_or(Value::Null);
    // a cursor would carry the filter and sort but not the search: Members pages by offset only
    if query.get("cursorPaging").is_some_and(|c| !c.is_null()) {
        return Err(ApiError::invalid("query.cursorPaging", Invalid::format("members are paged by offset (paging)")));
    }
    let sort_key = if query.get("sorting").is_some() { "sorting" } else { "sort" };
    let page = Page::of(&state.store, &query, "query", sort_key).await?;
    let parsed = MemberQuery {
        filter: parse_filter(page.filter.as_ref(), "query.filter")?,
        search: search_of(req.search, "search")?,
        public_only: false,
    };
    let sort = parse_sort(page.sort.as_ref(), &format!("query.{sort_key}"))?;
    let wanted = fieldsets_of(req.fieldsets.as_ref(), "fieldsets")?;
    let (found, total) = records::query(&state.store, caller.actor(), parsed, &sort, page.window(), wanted).await?;
    let metadata = page.metadata(&state.store, found.len(), total).await?;
    Ok(Json(MembersResponse {
        members: found.iter().map(|(m, f)| Member::of(m, *f, &caller.0.base)).collect(),
        metadata,
    }))
}

/// Creates a member without a login: APPROVED (PENDING when the site requires approval),
/// PRIVATE, ACTIVE. `loginEmail` is required and unique.
#[utoipa::path(post, path = "/members", tag = TAG,
    request_body(content = MemberRequest, example = json!({"member": {"loginEmail": "ann@example.com", "profile": {"nickname": "Ann"}, "contact": {"firstName": "Ann", "phones": ["+1 555 0100"]}}})),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn create_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<MemberRequest>,
) -> ApiResult<Json<MemberResponse>> {
    let input = req.member.unwrap_or_default();
    let email = match input.login_email.as_deref() {
        Some(email) => crate::domain::Email::parse(email).map_err(|e| ApiError::invalid("member.loginEmail", e))?,
        None => return Err(ApiError::invalid("member.loginEmail", Invalid::required("loginEmail is required"))),
    };
    let patch = input.patch("member")?;
    let member = records::create(&state.store, caller.actor(), &email, &patch).await?;
    Ok(Json(caller.shown(&member)))
}

#[utoipa::path(get, path = "/members/my", tag = TAG,
    params(("fieldsets" = Option<Vec<String>>, Query, description = "PUBLIC (the default), EXTENDED or FULL; repeated")),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn get_current_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MemberResponse>> {
    let wanted = widest(&query_params(&q, "fieldsets"), "fieldsets")?;
    let member = records::get_current(&state.store, caller.actor()).await?;
    Ok(Json(MemberResponse::of(&member, wanted, &caller.0.base)))
}

/// The calling member deletes their own member, their login and their tokens with it.
#[utoipa::path(delete, path = "/members/my", tag = TAG,
    params(("contentAssigneeId" = Option<String>, Query, description = "Accepted and not used")),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_my_member(State(state): State<AppState>, caller: MembersCaller) -> ApiResult<Json<Empty>> {
    let me = caller.actor().own_member().map(|m| m.id).unwrap_or_default();
    records::delete_own(&state.store, caller.actor()).await.map_err(|e| delete_error(e, me))?;
    Ok(Json(Empty {}))
}

#[utoipa::path(post, path = "/members/my/slug", tag = TAG,
    request_body(content = SlugRequest, example = json!({"slug": "ann-lee"})),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn update_current_member_slug(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<SlugRequest>,
) -> ApiResult<Json<MemberResponse>> {
    let slug = req.slug.unwrap_or_default();
    let member = records::set_own_slug(&state.store, caller.actor(), &slug).await.map_err(|e| slug_error(e, &slug))?;
    Ok(Json(caller.shown(&member)))
}

/// The calling member joins the community: PUBLIC. Only an approved member can.
#[utoipa::path(post, path = "/members/join-community", tag = TAG,
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn join_community(State(state): State<AppState>, caller: MembersCaller) -> ApiResult<Json<MemberResponse>> {
    let member = records::set_community(&state.store, caller.actor(), true).await?;
    Ok(Json(caller.shown(&member)))
}

/// The calling member leaves the community: PRIVATE.
#[utoipa::path(post, path = "/members/leave-community", tag = TAG,
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn leave_community(State(state): State<AppState>, caller: MembersCaller) -> ApiResult<Json<MemberResponse>> {
    let member = records::set_community(&state.store, caller.actor(), false).await?;
    Ok(Json(caller.shown(&member)))
}

/// One member, through the widest fieldset asked for that the caller may see.
#[utoipa::path(get, path = "/members/{id}", tag = TAG,
    params(("id" = String, Path, description = "The member's GUID"),
           ("fieldsets" = Option<Vec<String>>, Query, description = "PUBLIC (the default), EXTENDED or FULL; repeated")),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn get_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MemberResponse>> {
    let id = path_id(&raw, &q, "id")?;
    let wanted = widest(&query_params(&q, "fieldsets"), "fieldsets")?;
    let (member, fieldset) = records::get(&state.store, caller.actor(), id, wanted).await?;
    Ok(Json(MemberResponse::of(&member, fieldset, &caller.0.base)))
}

/// Changes the fields sent, and only those: `""` clears a text field; a non-empty `phones`,
/// `emails` or `addresses` replaces that list, an empty one changes nothing.
#[utoipa::path(patch, path = "/members/{id}", tag = TAG,
    params(("id" = String, Path, description = "The member's GUID")),
    request_body(content = MemberRequest, example = json!({"member": {"profile": {"title": "Head chef"}, "contact": {"company": ""}}})),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn update_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<MemberRequest>,
) -> ApiResult<Json<MemberResponse>> {
    let id = guid(&raw, "member.id")?;
    let Some(input) = req.member else {
        return Err(ApiError::invalid("member", Invalid::required("member is required")));
    };
    same_id(id, input.id.as_deref(), "member.id")?;
    let patch = input.patch("member")?;
    let member = records::update(&state.store, caller.actor(), id, &patch).await?;
    Ok(Json(caller.shown(&member)))
}

/// Deletes a member with their login and badge assignments; never one linked to the owner or
/// an admin.
#[utoipa::path(delete, path = "/members/{id}", tag = TAG,
    params(("id" = String, Path, description = "The member's GUID")),
    responses((status = 200, body = Empty), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Empty>> {
    let id = path_id(&raw, &q, "id")?;
    records::delete(&state.store, caller.actor(), id).await.map_err(|e| delete_error(e, id))?;
    Ok(Json(Empty {}))
}

#[utoipa::path(post, path = "/members/{id}/slug", tag = TAG,
    params(("id" = String, Path, description = "The member's GUID")),
    request_body(content = SlugRequest, example = json!({"slug": "ann-lee"})),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn update_member_slug(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<SlugRequest>,
) -> ApiResult<Json<MemberResponse>> {
    let id = guid(&raw, "id")?;
    same_id(id, req.id.as_deref(), "id")?;
    let slug = req.slug.unwrap_or_default();
    let member = records::set_slug(&state.store, caller.actor(), id, &slug).await.map_err(|e| slug_error(e, &slug))?;
    Ok(Json(caller.shown(&member)))
}

async fn status_change(
    state: &AppState,
    caller: &MembersCaller,
    raw: &str,
    req: IdRequest,
    change: StatusChange,
) -> ApiResult<Json<MemberResponse>> {
    let id = guid(raw, "id")?;
    same_id(id, req.id.as_deref(), "id")?;
    let member =
        records::change_status(&state.store, caller.actor(), id, change).await.map_err(|e| with_member_data(e, id))?;
    Ok(Json(caller.shown(&member)))
}

/// activityStatus MUTED.
#[utoipa::path(post, path = "/members/{id}/mute", tag = TAG, params(("id" = String, Path)),
    request_body = IdRequest, responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn mute_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<IdRequest>,
) -> ApiResult<Json<MemberResponse>> {
    status_change(&state, &caller, &raw, req, StatusChange::Action(MemberAction::Mute)).await
}

/// activityStatus ACTIVE.
#[utoipa::path(post, path = "/members/{id}/unmute", tag = TAG, params(("id" = String, Path)),
    request_body = IdRequest, responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn unmute_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<IdRequest>,
) -> ApiResult<Json<MemberResponse>> {
    status_change(&state, &caller, &raw, req, StatusChange::Action(MemberAction::Unmute)).await
}

/// status APPROVED; also unblocks.
#[utoipa::path(post, path = "/members/{id}/approve", tag = TAG, params(("id" = String, Path)),
    request_body = IdRequest, responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn approve_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<IdRequest>,
) -> ApiResult<Json<MemberResponse>> {
    status_change(&state, &caller, &raw, req, StatusChange::Action(MemberAction::Approve)).await
}

/// status BLOCKED: the member's logins and tokens stop working. Never yourself, nor a member
/// linked to the owner or an admin.
#[utoipa::path(post, path = "/members/{id}/block", tag = TAG, params(("id" = String, Path)),
    request_body = IdRequest, responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn block_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<IdRequest>,
) -> ApiResult<Json<MemberResponse>> {
    status_change(&state, &caller, &raw, req, StatusChange::Action(MemberAction::Block)).await
}

/// status OFFLINE.
#[utoipa::path(post, path = "/members/{id}/disconnect", tag = TAG, params(("id" = String, Path)),
    request_body = IdRequest, responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn disconnect_member(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    Body(req): Body<IdRequest>,
) -> ApiResult<Json<MemberResponse>> {
    status_change(&state, &caller, &raw, req, StatusChange::Disconnect).await
}

async fn clear_list(
    state: &AppState,
    caller: &MembersCaller,
    raw: &str,
    q: &Option<String>,
    list: ContactList,
) -> ApiResult<Json<MemberResponse>> {
    let id = path_id(raw, q, "id")?;
    let member = records::clear(&state.store, caller.actor(), id, list).await?;
    Ok(Json(caller.shown(&member)))
}

#[utoipa::path(delete, path = "/members/{id}/phones", tag = TAG, params(("id" = String, Path)),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_member_phones(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MemberResponse>> {
    clear_list(&state, &caller, &raw, &q, ContactList::Phones).await
}

#[utoipa::path(delete, path = "/members/{id}/emails", tag = TAG, params(("id" = String, Path)),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_member_emails(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MemberResponse>> {
    clear_list(&state, &caller, &raw, &q, ContactList::Emails).await
}

#[utoipa::path(delete, path = "/members/{id}/addresses", tag = TAG, params(("id" = String, Path)),
    responses((status = 200, body = MemberResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn delete_member_addresses(
    State(state): State<AppState>,
    caller: MembersCaller,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<MemberResponse>> {
    clear_list(&state, &caller, &raw, &q, ContactList::Addresses).await
}

/// Deletes 1 to 100 members; each fails alone (not found, or linked to the owner or an admin).
#[utoipa::path(post, path = "/members/bulk/delete", tag = TAG,
    request_body(content = BulkDeleteRequest, example = json!({"memberIds": ["0b7a4c21-0000-4000-8000-000000000002"]})),
    responses((status = 200, body = BulkResponse), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_delete_members(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<BulkDeleteRequest>,
) -> ApiResult<Json<BulkResponse>> {
    let raw = req.member_ids.unwrap_or_default();
    if raw.is_empty() || raw.len() > records::MAX_BULK {
        return Err(ApiError::invalid("memberIds", Invalid::format(format!("send 1 to {} ids", records::MAX_BULK))));
    }
    let ids =
        raw.iter().enumerate().map(|(i, id)| guid(id, &format!("memberIds[{i}]"))).collect::<ApiResult<Vec<_>>>()?;
    let outcomes = records::delete_many(&state.store, caller.actor(), &ids).await?;
    let results: Vec<BulkResult> = ids
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(i, (id, outcome))| BulkResult {
            item_metadata: ItemMetadata::new(i, Some(id.to_string()), outcome.as_ref().map(|_| ())),
        })
        .collect();
    let bulk_action_metadata = BulkActionMetadata::of(results.iter().map(|r| &r.item_metadata));
    Ok(Json(BulkResponse { results, bulk_action_metadata }))
}

async fn start_run(
    state: &AppState,
    caller: &MembersCaller,
    req: ByFilterRequest,
    action: JobAction,
) -> ApiResult<Json<JobStarted>> {
    let Some(filter) = req.filter else {
        return Err(ApiError::invalid("filter", Invalid::required("filter is required ({} for every member)")));
    };
    let query = MemberQuery {
        filter: parse_filter(Some(&filter), "filter")?,
        search: if action == JobAction::DeleteMembers { search_of(req.search, "search")? } else { None },
        public_only: false,
    };
    let job = records::start_run(&state.store, &state.jobs, caller.actor(), action, query).await?;
    Ok(Json(JobStarted { job_id: job.id.to_string() }))
}

/// Deletes every member matching the filter (and search) in the background; answers the run's
/// id at once. Members linked to the owner or an admin are left.
#[utoipa::path(post, path = "/members/bulk/delete-by-filter", tag = TAG,
    request_body(content = ByFilterRequest, example = json!({"filter": {"status": "PENDING"}, "search": {"expression": "spam"}})),
    responses((status = 200, body = JobStarted), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_delete_members_by_filter(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<ByFilterRequest>,
) -> ApiResult<Json<JobStarted>> {
    start_run(&state, &caller, req, JobAction::DeleteMembers).await
}

/// Approves (and unblocks) every member matching the filter, in the background.
#[utoipa::path(post, path = "/members/bulk/approve-by-filter", tag = TAG,
    request_body(content = ByFilterRequest, example = json!({"filter": {"status": "PENDING"}})),
    responses((status = 200, body = JobStarted), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_approve_members(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<ByFilterRequest>,
) -> ApiResult<Json<JobStarted>> {
    start_run(&state, &caller, req, JobAction::ApproveMembers).await
}

/// Blocks every member matching the filter, in the background; never the owner's or an
/// admin's member.
#[utoipa::path(post, path = "/members/bulk/block-by-filter", tag = TAG,
    request_body(content = ByFilterRequest, example = json!({"filter": {"loginEmail": {"$startsWith": "spam"}}})),
    responses((status = 200, body = JobStarted), (status = "4XX", body = ErrorEnvelope)))]
async fn bulk_block_members(
    State(state): State<AppState>,
    caller: MembersCaller,
    Body(req): Body<ByFilterRequest>,
) -> ApiResult<Json<JobStarted>> {
    start_run(&state, &caller, req, JobAction::BlockMembers).await
}
