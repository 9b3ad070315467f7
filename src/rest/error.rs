//! The REST error envelope (REST_CONTRACT §2.1) and the one place a REST answer gets its
//! status: validation → 400 with `validationError.fieldViolations`, anything else
//! `applicationError {code, description, data}` with the status `AppError` gives it. Internal
//! errors were logged where they happened; the body says only that something went wrong.

use crate::error::{AppError, Rule};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An error as a REST handler returns it, with the wire name of the field it is about.
#[derive(Debug)]
pub struct ApiError {
    error: AppError,
    /// Extra `data` for an application error (e.g. `{slug}` for SLUG_ALREADY_EXISTS).
    data: Value,
    /// The `ruleName` of a validation error whose rule is `OTHER` (e.g. `BADGE_NOT_PROVIDED`).
    rule_name: Option<&'static str>,
    /// Seconds for `Retry-After` on a 429.
    retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError { error, data: json!({}), rule_name: None, retry_after: None }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl ApiError {
    /// A 400 about one wire field (`badge.title`).
    pub fn invalid(field: &str, invalid: impl Into<crate::error::Invalid>) -> Self {
        AppError::validation(field, invalid).into()
    }

    /// Renames the field of a validation error raised with a dashboard name (`title`) to its
    /// wire path (`badge.title`), by the table given.
    pub fn on_fields(mut self, names: &[(&str, &str)]) -> Self {
        if let AppError::Validation { field, .. } = &mut self.error {
            if let Some((_, wire)) = names.iter().find(|(from, _)| from == field) {
                *field = (*wire).to_owned();
            }
        }
        self
    }

    /// Marks a validation error as the contract's named rule (`violatedRule: OTHER`).
    pub fn with_rule_name(mut self, name: &'static str) -> Self {
        if let AppError::Validation { rule, .. } = &mut self.error {
            *rule = Rule::Other;
        }
        self.rule_name = Some(name);
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = data;
        self
    }

    pub fn app_error(&self) -> &AppError {
        &self.error
    }
}

fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::Required => "REQUIRED_FIELD",
        Rule::MinLength => "MIN_LENGTH",
        Rule::MaxLength => "MAX_LENGTH",
        Rule::Format => "FORMAT",
        Rule::Taken | Rule::Other => "OTHER",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = self.error.to_string();
        let (status, details) = match &self.error {
            AppError::Validation { field, rule, message } => {
                let mut violation = json!({ "field": field, "description": message, "violatedRule": rule_name(*rule) });
                if matches!(rule, Rule::Taken | Rule::Other) {
                    violation["ruleName"] = json!(self.rule_name.unwrap_or(self.error.code().as_str()));
                }
                // a named rule's payload (e.g. `{memberId}` for OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN)
                if self.data.as_object().is_some_and(|d| !d.is_empty()) {
                    violation["data"] = self.data.clone();
                }
                (StatusCode::BAD_REQUEST, json!({ "validationError": { "fieldViolations": [violation] } }))
            }
            other => {
                let status = StatusCode::from_u16(other.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let application = json!({ "code": other.code().as_str(), "description": message, "data": self.data });
                (status, json!({ "applicationError": application }))
            }
        };
        let mut response = (status, Json(json!({ "message": message, "details": details }))).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let seconds = self.retry_after.unwrap_or(60).to_string();
            if let Ok(value) = axum::http::HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, Invalid};

    async fn body(e: ApiError) -> (u16, Value) {
        let response = e.into_response();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn validation_errors_name_the_wire_field_and_rule() {
        let e = ApiError::from(AppError::validation("title", Invalid::max_length("At most 50 characters")))
            .on_fields(&[("title", "badge.title")]);
        let (status, json) = body(e).await;
        assert_eq!(status, 400);
        let v = &json["details"]["validationError"]["fieldViolations"][0];
        assert_eq!((v["field"].as_str(), v["violatedRule"].as_str()), (Some("badge.title"), Some("MAX_LENGTH")));
        assert_eq!(json["message"], "At most 50 characters");
    }

    #[tokio::test]
    async fn application_errors_carry_a_string_code_and_no_internals() {
        let (status, json) = body(AppError::conflict(ErrorCode::RevisionConflict, "Stale").into()).await;
        assert_eq!((status, json["details"]["applicationError"]["code"].as_str()), (409, Some("REVISION_CONFLICT")));
        let (status, json) = body(AppError::Internal.into()).await;
        assert_eq!(status, 500);
        assert_eq!(json["details"]["applicationError"]["code"], "INTERNAL");
        let (status, _) = body(AppError::Unauthorized.into()).await;
        assert_eq!(status, 401);
    }
}
