//! Keeping history bounded: delivered webhook deliveries (with their attempts) go after 30 days,
//! audit entries after the age the owner chose (`--audit-retention-days`; kept by default).
//! Both are deleted in batches, so a first sweep over years of history never holds the database
//! in one long transaction.

use crate::store::Store;
use chrono::{DateTime, Duration, Utc};

/// How long delivered webhook attempts are kept.
pub const DELIVERED_KEPT_DAYS: i64 = 30;
/// Rows deleted per statement.
const BATCH: i64 = 1000;

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub deliveries: u64,
    pub events: u64,
}

/// Deletes what is older than it is kept, as of `now`; `audit_kept` is how long audit entries
/// are kept (`None`: for good).
pub async fn sweep(
    store: &Store,
    now: DateTime<Utc>,
    audit_kept: Option<Duration>,
) -> crate::store::StoreResult<Swept> {
    let mut swept = Swept::default();
    loop {
        let n = store.delete_delivered_before(now - Duration::days(DELIVERED_KEPT_DAYS), BATCH).await?;
        swept.deliveries += n;
        if n < BATCH as u64 {
            break;
        }
    }
    if let Some(kept) = audit_kept {
        loop {
            let n = store.delete_events_before(now - kept, BATCH).await?;
            swept.events += n;
            if n < BATCH as u64 {
                break;
            }
        }
    }
    Ok(swept)
}
