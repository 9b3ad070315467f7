//! The delivery worker: runs in every instance, claims due deliveries (never one another worker
//! holds), sends each signed afresh, and writes what came of it. At least once: a delivery is
//! done only when a receiver answered 2xx; a worker that dies mid-attempt leaves it to another
//! once its claim runs out.

use super::{keys, payload};
use crate::store::{AttemptOutcome, ClaimedDelivery, SharedStore, Store};
use chrono::Utc;
use rand::Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How deliveries are sent and retried.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// This server's address as receivers should see it (`https://badges.example.com`), for the
    /// URLs in entities (icons, photos).
    pub public_url: String,
    /// The wait before each retry; after the last, the delivery gives up. Each wait is spread
    /// ±20 % so that many deliveries failing together do not all come back at once.
    pub retry_after: Vec<Duration>,
    /// How often the queue is looked at when nothing wakes the worker.
    pub poll: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
}

impl WorkerConfig {
    /// About a day of retries: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h (nine attempts,
    /// the last about 23 hours after the first).
    pub fn new(public_url: String) -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        WorkerConfig {
            public_url,
            retry_after: vec![
                Duration::from_secs(30),
                minutes(2),
                minutes(10),
                minutes(30),
                minutes(60),
                minutes(180),
                minutes(360),
                minutes(720),
            ],
            poll: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Deliveries claimed at once; they are sent concurrently.
const BATCH: i64 = 16;
/// How long a claim holds: longer than an attempt can take.
const LEASE_SECONDS: i64 = 120;

/// The handle of the worker: wakes it when there is something to send now.
#[derive(Clone)]
pub struct DeliveryWorker {
    wake: Arc<Notify>,
}

impl DeliveryWorker {
    /// Starts the worker on the store.
    pub fn start(store: SharedStore, config: WorkerConfig) -> Self {
        let wake = Arc::new(Notify::new());
        tokio::spawn(run(store, Arc::new(config), wake.clone()));
        DeliveryWorker { wake }
    }

    /// A handle with no worker behind it: deliveries are queued and never sent (for tools that
    /// only look at what is queued, e.g. a test of who may call what, whose database must not
    /// change behind its back).
    pub fn idle() -> Self {
        DeliveryWorker { wake: Arc::new(Notify::new()) }
    }

    /// Looks at the queue now rather than at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

async fn run(store: SharedStore, config: Arc<WorkerConfig>, wake: Arc<Notify>) {
    let client = match reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        // a receiver answers; it does not send deliveries elsewhere
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Insignia-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "webhooks: no HTTP client; nothing will be delivered");
            return;
        }
    };
    loop {
        let claimed = match store.claim_deliveries(Utc::now(), chrono::Duration::seconds(LEASE_SECONDS), BATCH).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks: could not read the queue");
                Vec::new()
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(config.poll) => {}
            }
            continue;
        }
        let signing = Arc::new(signing(&store, &claimed).await);
        let mut sends = tokio::task::JoinSet::new();
        for delivery in claimed {
            let (store, client, config, signing) = (store.clone(), client.clone(), config.clone(), signing.clone());
            sends.spawn(async move { attempt(&store, &client, &config, &signing, delivery).await });
        }
        while sends.join_next().await.is_some() {}
    }
}

/// What signing a batch of deliveries needs from the database, read once for the batch: the
/// site's instance id, and its private key when an SDK-format delivery is among them.
struct Signing {
    instance: String,
    private_pem: String,
}

async fn signing(store: &Store, claimed: &[ClaimedDelivery]) -> Result<Signing, String> {
    let sdk = claimed.iter().any(|d| d.endpoint.format == crate::domain::webhook::WebhookFormat::Sdk);
    let private_pem = if sdk { keys::private_pem(store).await.map_err(|e| e.to_string())? } else { String::new() };
    let instance =
        store.site_secret("instance_id", &uuid::Uuid::new_v4().to_string()).await.map_err(|e| e.to_string())?;
    Ok(Signing { instance, private_pem })
}

/// When an attempt that failed is tried again, or `None` after the last.
fn next_attempt(config: &WorkerConfig, attempt: i64) -> Option<Duration> {
    let wait = config.retry_after.get(usize::try_from(attempt).ok()?.checked_sub(1)?)?;
    let spread = rand::thread_rng().gen_range(0.8..1.2);
    Some(wait.mul_f64(spread))
}

/// One attempt of one delivery, and its outcome written.
async fn attempt(
    store: &Store,
    client: &reqwest::Client,
    config: &WorkerConfig,
    signing: &Result<Signing, String>,
    delivery: ClaimedDelivery,
) {
    let started = Instant::now();
    let at = Utc::now();
    let (status, error) = match send(client, config, signing, &delivery, at).await {
        Ok(status) if (200..300).contains(&status) => (Some(status), None),
        Ok(status) => (Some(status), Some(format!("answered {status}"))),
        Err(e) => (None, Some(e)),
    };
    let duration_ms = started.elapsed().as_millis() as i64;
    let outcome = match (&error, next_attempt(config, delivery.attempt)) {
        (None, _) => AttemptOutcome::Delivered,
        (Some(_), Some(wait)) => {
            AttemptOutcome::RetryAt(Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)))
        }
        (Some(_), None) => AttemptOutcome::GaveUp,
    };
    if let Some(error) = &error {
        tracing::info!(endpoint = %delivery.endpoint.id, delivery = delivery.id, attempt = delivery.attempt, %error, "webhook attempt failed");
    }
    if let Err(e) = store.record_attempt(&delivery, at, status, duration_ms, error.as_deref(), outcome).await {
        // the claim runs out and the delivery is tried again: at least once, never lost
        tracing::warn!(error = %e, delivery = delivery.id, "webhooks: could not record an attempt");
    }
}

/// Signs and posts the delivery; the receiver's status code, or why there was none.
async fn send(
    client: &reqwest::Client,
    config: &WorkerConfig,
    signing: &Result<Signing, String>,
    delivery: &ClaimedDelivery,
    now: chrono::DateTime<Utc>,
) -> Result<u16, String> {
    let Signing { instance, private_pem } = signing.as_ref().map_err(Clone::clone)?;
    let signed = payload::sign(
        &delivery.endpoint,
        &delivery.event,
        delivery.event_type,
        &config.public_url,
        instance,
        private_pem,
        now,
    )
    .map_err(|e| e.to_string())?;
    let mut request = client
        .post(&delivery.endpoint.url)
        .header(reqwest::header::CONTENT_TYPE, signed.content_type)
        .body(signed.body);
    for (name, value) in signed.headers {
        request = request.header(name, value);
    }
    match request.send().await {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) if e.is_timeout() => Err(format!("no answer within {} s", config.timeout.as_secs())),
        Err(e) if e.is_connect() => Err("could not connect".to_owned()),
        Err(e) => Err(format!("could not send: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_spread_over_about_a_day_then_stop() {
        let config = WorkerConfig::new("http://x".into());
        let total: Duration = config.retry_after.iter().sum();
        assert!(total > Duration::from_secs(20 * 3600) && total < Duration::from_secs(26 * 3600), "{total:?}");
        for attempt in 1..=8 {
            let wait = next_attempt(&config, attempt).unwrap();
            let nominal = config.retry_after[attempt as usize - 1];
            assert!(wait >= nominal.mul_f64(0.8) && wait <= nominal.mul_f64(1.2));
        }
        assert_eq!(next_attempt(&config, 9), None, "nine attempts in all");
        assert_eq!(next_attempt(&config, 0), None);
    }
}
