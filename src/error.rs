//! The one error type of the app. Server functions return it; the UI shows it; the HTTP layer
//! maps it to a status code. Internal errors are logged where they happen and reach the client
//! only as a generic message, never with their details.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A stable, machine-readable name for an error: what the REST error envelope carries as
/// `applicationError.code`, and what clients and tests can match on instead of message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    NotFound,
    BadgeNotFound,
    MemberNotFound,
    AssignmentNotFound,
    JobNotFound,
    PageNotFound,
    Unauthorized,
    Forbidden,
    ValidationFailed,
    /// An update named a revision that is no longer the current one.
    RevisionConflict,
    SlugAlreadyExists,
    EmailAlreadyExists,
    OwnerAlreadyExists,
    JobAlreadyRunning,
    AlreadyExists,
    TooManyRequests,
    Internal,
    /// Members V1: a member who is not approved cannot join the community.
    CommunityJoinImpossible,
    /// Members V1: nobody blocks their own member.
    MemberSelfBlockForbidden,
    /// Members V1: a member linked to an owner's or admin's account is never blocked.
    OwnerMemberBlockForbidden,
    /// Members V1: a member linked to an owner's or admin's account is never deleted.
    OwnerOrContributorMemberDeleteForbidden,
    /// Members V1: another member has that login email.
    MemberAlreadyExists,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadgeNotFound => "BADGE_NOT_FOUND",
            ErrorCode::MemberNotFound => "MEMBER_NOT_FOUND",
            ErrorCode::AssignmentNotFound => "ASSIGNMENT_NOT_FOUND",
            ErrorCode::JobNotFound => "JOB_NOT_FOUND",
            ErrorCode::PageNotFound => "PAGE_NOT_FOUND",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::ValidationFailed => "VALIDATION_FAILED",
            ErrorCode::RevisionConflict => "REVISION_CONFLICT",
            ErrorCode::SlugAlreadyExists => "SLUG_ALREADY_EXISTS",
            ErrorCode::EmailAlreadyExists => "EMAIL_ALREADY_EXISTS",
            ErrorCode::OwnerAlreadyExists => "OWNER_ALREADY_EXISTS",
            ErrorCode::JobAlreadyRunning => "JOB_ALREADY_RUNNING",
            ErrorCode::AlreadyExists => "ALREADY_EXISTS",
            ErrorCode::TooManyRequests => "TOO_MANY_REQUESTS",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::CommunityJoinImpossible => "COMMUNITY_JOIN_IMPOSSIBLE",
            ErrorCode::MemberSelfBlockForbidden => "MEMBER_SELF_BLOCK_FORBIDDEN",
            ErrorCode::OwnerMemberBlockForbidden => "OWNER_MEMBER_BLOCK_FORBIDDEN",
            ErrorCode::OwnerOrContributorMemberDeleteForbidden => "OWNER_OR_CONTRIBUTOR_MEMBER_DELETE_FORBIDDEN",
            ErrorCode::MemberAlreadyExists => "MEMBER_ALREADY_EXISTS",
        }
    }
}

/// The rule a bad value broke, as the REST contract's `violatedRule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rule {
    Required,
    MinLength,
    MaxLength,
    /// Not of the expected form (a colour, an email, a slug, one line of text…).
    Format,
    /// Unique, and another record has it already.
    Taken,
    Other,
}

/// Why a value was refused: the rule and a sentence for the person who typed it. What the
/// domain types' `parse` return; an edge adds the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub rule: Rule,
    pub message: String,
}

impl Invalid {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Invalid { rule, message: message.into() }
    }
    pub fn required(message: impl Into<String>) -> Self {
        Invalid::new(Rule::Required, message)
    }
    pub fn min_length(message: impl Into<String>) -> Self {
        Invalid::new(Rule::MinLength, message)
    }
    pub fn max_length(message: impl Into<String>) -> Self {
        Invalid::new(Rule::MaxLength, message)
    }
    pub fn format(message: impl Into<String>) -> Self {
        Invalid::new(Rule::Format, message)
    }
}

/// A message without a more precise rule.
impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Invalid::new(Rule::Other, message)
    }
}

impl From<&str> for Invalid {
    fn from(message: &str) -> Self {
        Invalid::new(Rule::Other, message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Nothing there, or nothing the caller may see (the two answer alike); the code says what.
    #[error("Not found")]
    NotFound(ErrorCode),
    #[error("Please log in to continue")]
    Unauthorized,
    #[error("You do not have permission to do that")]
    Forbidden,
    /// Bad input for one named field; shown next to that field.
    #[error("{message}")]
    Validation { field: String, rule: Rule, message: String },
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// A request the server could not read: a server function's arguments missing or
    /// malformed, or its body over the limit.
    #[error("The request could not be read: {0}")]
    BadRequest(String),
    /// A failure of the server-function transport itself (network, encoding).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    pub const NOT_FOUND: AppError = AppError::NotFound(ErrorCode::NotFound);
    pub const BADGE_NOT_FOUND: AppError = AppError::NotFound(ErrorCode::BadgeNotFound);
    pub const MEMBER_NOT_FOUND: AppError = AppError::NotFound(ErrorCode::MemberNotFound);
    pub const JOB_NOT_FOUND: AppError = AppError::NotFound(ErrorCode::JobNotFound);
    pub const PAGE_NOT_FOUND: AppError = AppError::NotFound(ErrorCode::PageNotFound);
    pub const ASSIGNMENT_NOT_FOUND: AppError = AppError::NotFound(ErrorCode::AssignmentNotFound);

    /// Bad input for `field`: the rule comes with an `Invalid`, and is `OTHER` for a bare message.
    pub fn validation(field: &str, invalid: impl Into<Invalid>) -> Self {
        let Invalid { rule, message } = invalid.into();
        AppError::Validation { field: field.to_owned(), rule, message }
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }

    /// The message for `field` if this error is about that field.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation { field: f, message, .. } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound(code) | AppError::Conflict { code, .. } => *code,
            AppError::Unauthorized => ErrorCode::Unauthorized,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::Validation { field, rule: Rule::Taken, .. } if field == "slug" => ErrorCode::SlugAlreadyExists,
            AppError::Validation { field, rule: Rule::Taken, .. } if field == "email" => ErrorCode::EmailAlreadyExists,
            AppError::Validation { .. } | AppError::BadRequest(_) => ErrorCode::ValidationFailed,
            AppError::TooManyRequests(_) => ErrorCode::TooManyRequests,
            AppError::Internal | AppError::Transport(_) => ErrorCode::Internal,
        }
    }

    /// The HTTP status of this error, for every edge: server functions get it from one layer
    /// (`server::error_status`), plain handlers from `IntoResponse`.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest(_) => 400,
            AppError::Validation { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // on the server, these come from the request: the caller's fault, not ours
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) | ServerFnErrorErr::Deserialization(m)
                if cfg!(feature = "ssr") =>
            {
                AppError::BadRequest(m)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Internal
        }
    }

    impl From<sqlx::migrate::MigrateError> for AppError {
        fn from(e: sqlx::migrate::MigrateError) -> Self {
            tracing::error!(error = %e, "migration error");
            AppError::Internal
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, self.to_string()).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_their_field() {
        let e = AppError::validation("email", "Enter a valid email address");
        assert_eq!(e.field_message("email").as_deref(), Some("Enter a valid email address"));
        assert_eq!(e.field_message("password"), None);
        assert_eq!(e.status_code(), 422);
        assert_eq!(e.code(), ErrorCode::ValidationFailed);
    }

    #[test]
    fn validation_errors_carry_the_rule_broken() {
        let e = AppError::validation("title", Invalid::max_length("At most 50 characters"));
        assert!(matches!(e, AppError::Validation { rule: Rule::MaxLength, .. }));
        let e = AppError::validation("slug", Invalid::new(Rule::Taken, "Taken"));
        assert_eq!(e.code().as_str(), "SLUG_ALREADY_EXISTS");
        let json = serde_json::to_string(&Rule::MinLength).unwrap();
        assert_eq!(json, "\"MIN_LENGTH\"");
    }

    #[test]
    fn codes_are_stable_names() {
        assert_eq!(AppError::BADGE_NOT_FOUND.code().as_str(), "BADGE_NOT_FOUND");
        assert_eq!(AppError::BADGE_NOT_FOUND.status_code(), 404);
        let conflict = AppError::conflict(ErrorCode::RevisionConflict, "Someone saved first");
        assert_eq!((conflict.status_code(), conflict.code().as_str()), (409, "REVISION_CONFLICT"));
        // the serialised code is its stable name too
        assert_eq!(serde_json::to_string(&ErrorCode::RevisionConflict).unwrap(), "\"REVISION_CONFLICT\"");
    }

    #[test]
    fn internal_errors_do_not_leak_details() {
        assert_eq!(AppError::Internal.to_string(), "Something went wrong on our side. Please try again.");
        assert_eq!(AppError::Internal.status_code(), 500);
    }
}
