//! `GET /dashboard/audit.csv?…`: the audit log under the page's filters, as CSV.

use super::service::{self, MAX_EXPORT};
use super::AuditFilters;
use crate::auth::actor::Actor;
use crate::error::AppError;
use crate::store::SharedStore;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A cell as written: text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or
/// a carriage return first) gets a leading apostrophe, so opening an export never runs what a
/// member typed into their nickname.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn csv(entries: &[super::AuditEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["time", "actor", "actor kind", "entity type", "entity id", "entity", "action", "changes"])?;
    for e in entries {
        out.write_record([
            e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            cell(&e.actor),
            e.actor_kind.as_str().to_owned(),
            e.entity_type.as_str().to_owned(),
            e.entity_id.to_string(),
            cell(&e.entity_name),
            e.action.as_str().to_owned(),
            cell(&e.changes.join("; ")),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

pub async fn audit_csv(
    State(store): State<SharedStore>,
    actor: Actor,
    Query(filters): Query<AuditFilters>,
) -> Response {
    let entries = match service::all(&store, &actor, &filters).await {
        Ok(Some(entries)) => entries,
        Ok(None) => {
            let message =
                format!("More than {MAX_EXPORT} entries match: narrow the filters (a time range) and export again.");
            return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
        }
        Err(AppError::Unauthorized) => {
            return (StatusCode::UNAUTHORIZED, "Log in as an owner or admin").into_response()
        }
        Err(AppError::Forbidden) => return (StatusCode::FORBIDDEN, "Owners and admins only").into_response(),
        Err(AppError::Validation { field, message, .. }) => {
            return (StatusCode::BAD_REQUEST, format!("{field}: {message}")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not export the audit log");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match csv(&entries) {
        Ok(body) => {
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"audit-log.csv\""),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "could not write the audit log as CSV");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(cell("=HYPERLINK(\"http://evil\")"), "'=HYPERLINK(\"http://evil\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Night Owl"), "Night Owl");
        assert_eq!(cell(""), "");
    }
}
