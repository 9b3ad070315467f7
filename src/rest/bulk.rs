//! The bulk answer shape of REST_CONTRACT §4, shared by Badge Assignments and Members: one
//! result per item in order, and the counters. Items fail alone; the call itself is a 200.

use crate::error::AppError;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// Why one item failed: the error's stable code and its sentence.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemError {
    code: String,
    description: String,
    #[schema(value_type = Object)]
    data: Value,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemMetadata {
    /// The item's id: the one made, or the one asked about.
    id: Option<String>,
    original_index: usize,
    success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ItemError>,
}

impl ItemMetadata {
    pub fn new(original_index: usize, id: Option<String>, outcome: Result<(), &AppError>) -> Self {
        ItemMetadata {
            id,
            original_index,
            success: outcome.is_ok(),
            error: outcome.err().map(|e| ItemError {
                code: e.code().as_str().to_owned(),
                description: e.to_string(),
                data: json!({}),
            }),
        }
    }

    pub fn success(&self) -> bool {
        self.success
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkActionMetadata {
    total_successes: usize,
    total_failures: usize,
    undetailed_failures: usize,
}

impl BulkActionMetadata {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a ItemMetadata>) -> Self {
        let (mut total_successes, mut total_failures) = (0, 0);
        for item in items {
            if item.success {
                total_successes += 1;
            } else {
                total_failures += 1;
            }
        }
        BulkActionMetadata { total_successes, total_failures, undetailed_failures: 0 }
    }
}

/// `{jobId}`: a by-filter call started a background job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobStarted {
    pub job_id: String,
}
