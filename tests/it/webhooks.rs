//! Webhooks, on both backends, against receivers on this machine: deliveries are retried until a
//! receiver answers (and then stop), signed so that the Standard Webhooks library and a JWT
//! check accept them, never fetched while an endpoint is saved, never sent twice at once by two
//! workers, dropped while paused; a dead receiver leaves the change untouched and the endpoint
//! marked failing.

use crate::common::{by_system, plain_badge, webhook_config, TestDb};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use insignia::auth::actor::Actor;
use insignia::domain::event::ChangedBy;
use insignia::domain::webhook::{EventType, WebhookFormat};
use insignia::store::SharedStore;
use insignia::webhooks::{service, worker::DeliveryWorker};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

crate::on_both_backends!(
    a_failing_receiver_gets_three_attempts_and_one_success,
    sdk_deliveries_are_jwts_signed_with_the_site_key,
    saving_an_endpoint_fetches_nothing_and_bad_input_is_refused_by_field,
    a_dead_receiver_is_marked_failing_after_the_last_attempt,
    two_workers_never_send_one_delivery_twice,
    paused_endpoints_get_nothing_and_tests_and_redeliveries_send_real_events,
);

/// A receiver on a free port that records every request and answers 500 to the first
/// `failures` of them, 200 after.
#[derive(Clone)]
struct Receiver {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let seen: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
        let record = seen.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let record = record.clone();
                async move {
                    let mut seen = record.lock().unwrap();
                    seen.push((headers, body));
                    if seen.len() <= failures {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    fn requests(&self) -> Vec<(HeaderMap, Bytes)> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until it has seen `n` requests.
    async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, Bytes)> {
        for _ in 0..200 {
            if self.requests().len() >= n {
                return self.requests();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver saw {} requests, not {n}", self.requests().len());
    }
}

fn owner() -> Actor {
    let account = insignia::store::AccountRecord {
        id: uuid::Uuid::new_v4(),
        email: "owner@example.com".into(),
        role: insignia::domain::Role::Owner,
        password_hash: String::new(),
        member: None,
    };
    Actor::Account(Box::new(account), insignia::auth::actor::Via::Session)
}

async fn add(store: &SharedStore, url: &str, format: &str, types: &[EventType]) -> insignia::webhooks::Endpoint {
    let types: Vec<String> = types.iter().map(|t| t.as_str().to_owned()).collect();
    service::add(store, &owner(), url, format, &types).await.unwrap()
}

fn worker(store: &SharedStore) -> DeliveryWorker {
    DeliveryWorker::start(store.clone(), webhook_config("127.0.0.1:3000".parse().unwrap()))
}

/// Waits (up to 10 s) until the endpoint's log has `n` attempts; newest first.
async fn log_of(store: &SharedStore, endpoint: uuid::Uuid, n: usize) -> Vec<insignia::webhooks::LogEntry> {
    for _ in 0..200 {
        let log = service::log(store, &owner(), endpoint, None).await.unwrap();
        if log.entries.len() >= n {
            return log.entries;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the log never reached {n} attempts");
}

async fn a_failing_receiver_gets_three_attempts_and_one_success(db: TestDb) {
    let receiver = Receiver::start(2).await;
    let endpoint = add(&db.store, &receiver.url(), "standard", &[EventType::BadgeCreated]).await;
    let _worker = worker(&db.store);
    let owl = db.store.acting(&by_system()).create_badge(&plain_badge("Night Owl")).await.unwrap();

    let requests = receiver.wait_for(3).await;
    let log = log_of(&db.store, endpoint.id, 3).await;
    let attempts: Vec<_> = log.iter().rev().map(|e| (e.attempt, e.status_code, e.delivery_status.as_str())).collect();
    assert_eq!(attempts, [(1, Some(500), "DELIVERED"), (2, Some(500), "DELIVERED"), (3, Some(200), "DELIVERED")]);
    assert!(log.iter().all(|e| e.next_retry.is_none()), "nothing left to retry");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.requests().len(), 3, "a delivered event is not sent again");

    // every attempt verifies with the Standard Webhooks library, under one message id
    let verifier = standardwebhooks::Webhook::new(endpoint.secret.as_deref().unwrap()).unwrap();
    for (headers, body) in &requests {
        verifier.verify(body, headers).expect("a valid signature");
    }
    let ids: Vec<_> = requests.iter().map(|(h, _)| h["webhook-id"].clone()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "the same webhook-id on every retry");
    let (headers, body) = &requests[2];
    let mut forged = body.to_vec();
    forged[10] ^= 1;
    assert!(verifier.verify(&forged, headers).is_err(), "a changed body does not verify");

    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["type"], "wix.badges.v4.badge_created");
    assert_eq!(body["data"]["entityFqdn"], "wix.badges.v4.badge");
    assert_eq!(body["data"]["entityEventSequence"], "1");
    assert_eq!(body["data"]["createdEvent"]["entity"]["title"], "Night Owl");
    assert_eq!(body["data"]["entityId"], owl.id.to_string());
}

async fn sdk_deliveries_are_jwts_signed_with_the_site_key(db: TestDb) {
    let receiver = Receiver::start(0).await;
    let endpoint = add(&db.store, &receiver.url(), "sdk", &[EventType::BadgeUpdated, EventType::BadgeAssignedV3]).await;
    assert_eq!(endpoint.format, WebhookFormat::Sdk);
    assert_eq!(endpoint.secret, None, "the SDK format is signed with the site's key");
    let _worker = worker(&db.store);
    let key = ChangedBy::api_key(uuid::Uuid::new_v4(), "ins_Loyalty1");
    let owl = db.store.acting(&by_system()).create_badge(&plain_badge("Night Owl")).await.unwrap();
    let changes = insignia::store::BadgeChanges {
        title: Some(insignia::domain::BadgeTitle::parse("Night Owls").unwrap()),
        ..Default::default()
    };
    db.store.acting(&key).update_badge(owl.id, None, &changes).await.unwrap();

    let (_, body) = receiver.wait_for(1).await.remove(0);
    let public = insignia::webhooks::keys::public_pem(&db.store).await.unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"), "SPKI PEM with its line breaks");
    let decoding = jsonwebtoken::DecodingKey::from_rsa_pem(public.as_bytes()).unwrap();
    let token = std::str::from_utf8(&body).unwrap();
    let claims =
        jsonwebtoken::decode::<Value>(token, &decoding, &jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256))
            .expect("signed by the site's key")
            .claims;
    let envelope: Value = serde_json::from_str(claims["data"].as_str().expect("data is a JSON string")).unwrap();
    assert_eq!(envelope["eventType"], "wix.badges.v4.badge_updated");
    let identity: Value = serde_json::from_str(envelope["identity"].as_str().unwrap()).unwrap();
    assert_eq!(identity["identityType"], "APP");
    let event: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
    assert_eq!(event["slug"], "updated");
    assert_eq!(event["entityEventSequence"], "2");
    assert_eq!(event["updatedEvent"]["currentEntity"]["title"], "Night Owls");
    let modified = event["updatedEvent"]["modifiedFields"].as_array().unwrap();
    assert!(modified.contains(&Value::from("title")) && !modified.contains(&Value::from("id")));
    // another site's key does not verify it
    let other = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let other =
        rsa::pkcs8::EncodePublicKey::to_public_key_pem(&other.to_public_key(), rsa::pkcs8::LineEnding::LF).unwrap();
    let other = jsonwebtoken::DecodingKey::from_rsa_pem(other.as_bytes()).unwrap();
    assert!(jsonwebtoken::decode::<Value>(
        token,
        &other,
        &jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256)
    )
    .is_err());
}

async fn saving_an_endpoint_fetches_nothing_and_bad_input_is_refused_by_field(db: TestDb) {
    let receiver = Receiver::start(0).await;
    add(&db.store, &receiver.url(), "standard", &[EventType::MemberCreated]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.requests().is_empty(), "nothing is sent when an endpoint is saved");
    let field = |r: Result<insignia::webhooks::Endpoint, insignia::error::AppError>| match r {
        Err(insignia::error::AppError::Validation { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    let all = vec![EventType::MemberCreated.as_str().to_owned()];
    assert_eq!(field(service::add(&db.store, &owner(), "http://crm.example/hook", "sdk", &all).await), "url");
    assert_eq!(field(service::add(&db.store, &owner(), "https://crm.example/hook", "xml", &all).await), "format");
    assert_eq!(field(service::add(&db.store, &owner(), "https://crm.example/hook", "sdk", &[]).await), "event_types");
    let bogus = vec!["wix.everything".to_owned()];
    assert_eq!(
        field(service::add(&db.store, &owner(), "https://crm.example/hook", "sdk", &bogus).await),
        "event_types"
    );
    let member = Actor::Account(
        Box::new(insignia::store::AccountRecord { role: insignia::domain::Role::Member, ..owner_account() }),
        insignia::auth::actor::Via::Session,
    );
    assert!(service::add(&db.store, &member, "https://crm.example/hook", "sdk", &all).await.is_err());
    assert_eq!(db.store.endpoints().await.unwrap().len(), 1);
}

fn owner_account() -> insignia::store::AccountRecord {
    match owner() {
        Actor::Account(a, _) => *a,
        _ => unreachable!(),
    }
}

async fn a_dead_receiver_is_marked_failing_after_the_last_attempt(db: TestDb) {
    // nothing listens on a port just freed
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let endpoint = add(&db.store, &format!("http://{closed}/hook"), "standard", &[EventType::BadgeCreated]).await;
    let _worker = worker(&db.store);
    db.store.acting(&by_system()).create_badge(&plain_badge("Night Owl")).await.unwrap();
    // the change is done and its delivery waits; the receiver only fails the attempts
    assert!(db.store.badge_by_slug("night-owl").await.unwrap().is_some());
    let log = log_of(&db.store, endpoint.id, 4).await;
    assert!(log.iter().all(|e| e.status_code.is_none() && e.error.is_some()));
    assert_eq!(log[0].delivery_status, "FAILED", "four attempts with the test's three retries, then it gives up");
    let failing = db.store.endpoint(endpoint.id).await.unwrap().unwrap();
    assert!(failing.failing_since.is_some(), "the owner sees it failing");
}

async fn two_workers_never_send_one_delivery_twice(db: TestDb) {
    let receiver = Receiver::start(0).await;
    add(&db.store, &receiver.url(), "standard", &[EventType::BadgeCreated]).await;
    let (_a, _b) = (worker(&db.store), worker(&db.store));
    for n in 0..40 {
        db.store.acting(&by_system()).create_badge(&plain_badge(&format!("Badge {n}"))).await.unwrap();
    }
    let requests = receiver.wait_for(40).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ids: Vec<String> =
        receiver.requests().iter().map(|(h, _)| h["webhook-id"].to_str().unwrap().to_owned()).collect();
    assert_eq!(requests.len(), 40);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "each delivery sent once, by one of the two workers");
}

async fn paused_endpoints_get_nothing_and_tests_and_redeliveries_send_real_events(db: TestDb) {
    let receiver = Receiver::start(0).await;
    let endpoint = add(&db.store, &receiver.url(), "standard", &[EventType::BadgeCreated]).await;
    let worker = worker(&db.store);
    let owner = owner();
    // nothing has happened yet: a test has nothing real to send
    assert!(service::send_test(&db.store, &worker, &owner, endpoint.id).await.is_err());
    service::set_paused(&db.store, &owner, endpoint.id, true).await.unwrap();
    db.store.acting(&by_system()).create_badge(&plain_badge("Quiet")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(receiver.requests().is_empty(), "a paused endpoint is sent nothing");
    assert!(service::send_test(&db.store, &worker, &owner, endpoint.id).await.is_err(), "not while paused");

    service::set_paused(&db.store, &owner, endpoint.id, false).await.unwrap();
    service::send_test(&db.store, &worker, &owner, endpoint.id).await.unwrap();
    let (_, body) = receiver.wait_for(1).await.remove(0);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["type"], "wix.badges.v4.badge_created");
    assert_eq!(body["data"]["createdEvent"]["entity"]["title"], "Quiet", "the latest real event of its types");

    let delivery = log_of(&db.store, endpoint.id, 1).await[0].delivery_id;
    service::redeliver(&db.store, &worker, &owner, endpoint.id, delivery).await.unwrap();
    let requests = receiver.wait_for(2).await;
    assert_eq!(requests[0].0["webhook-id"], requests[1].0["webhook-id"], "a redelivery is the same event");
    assert!(service::redeliver(&db.store, &worker, &owner, endpoint.id, delivery + 1000).await.is_err());
}
