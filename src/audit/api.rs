//! The audit log's server function: who is calling, one service call.

use super::{AuditFilters, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

/// One page of the audit log, newest first, under the filters of `AuditFilters` (each a plain
/// field, as the page's GET form has them); `older` is the place the previous page's "Older"
/// link carries.
#[server]
pub async fn audit_log(
    actor: Option<String>,
    entity_type: Option<String>,
    entity: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    older: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::auth::guard;
    let caller = guard::actor().await?;
    let filters = AuditFilters { actor, entity_type, entity, action, from, to };
    super::service::page(&guard::state()?.store, &caller, &filters, older).await
}

/// Calls `audit_log` with the filters as one value.
pub async fn audit_page(filters: AuditFilters, older: Option<i64>) -> Result<AuditPage, AppError> {
    let AuditFilters { actor, entity_type, entity, action, from, to } = filters;
    audit_log(actor, entity_type, entity, action, from, to, older).await
}
