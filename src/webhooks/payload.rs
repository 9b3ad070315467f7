//! What a delivery carries (REST_CONTRACT §9 and §12): the event as a DomainEvent with the
//! entity in its REST shape, then either the SDK's envelope signed as a JWT (RS256) or a
//! Standard Webhooks JSON body with its signature headers. Each attempt is signed afresh, so a
//! retry a day later is not refused as expired.

use crate::domain::event::{ActorKind, EntityType, EventAction};
use crate::domain::webhook::{EventType, WebhookFormat};
use crate::members::Fieldset;
use crate::rest::assignments_v4::BadgeAssignment;
use crate::rest::badges_v4::Badge;
use crate::rest::member_wire::Member;
use crate::store::{AssignmentRecord, BadgeRecord, EndpointRecord, EventRecord, MemberRecord};
use serde_json::{json, Map, Value};

/// Why a body could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("the event's record does not read: {0}")]
    Snapshot(#[from] serde_json::Error),
    #[error("the event has no record to send")]
    Missing,
    #[error("signing failed: {0}")]
    Signing(String),
}

/// The entity of a snapshot in its REST shape (members through the FULL fieldset: receivers
/// are the owner's own systems).
fn wire(entity: EntityType, snapshot: Option<&str>, base: &str) -> Result<Value, PayloadError> {
    let snapshot = snapshot.ok_or(PayloadError::Missing)?;
    Ok(match entity {
        EntityType::Badge => serde_json::to_value(Badge::of(serde_json::from_str::<BadgeRecord>(snapshot)?, base))?,
        EntityType::BadgeAssignment => {
            serde_json::to_value(BadgeAssignment::from(serde_json::from_str::<AssignmentRecord>(snapshot)?))?
        }
        EntityType::Member => {
            serde_json::to_value(Member::of(&serde_json::from_str::<MemberRecord>(snapshot)?, Fieldset::Full, base))?
        }
    })
}

/// The top-level fields whose values differ (`modifiedFields`), in name order.
fn modified(before: &Value, after: &Value) -> Vec<String> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else { return Vec::new() };
    after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect()
}

/// The event as the contract's DomainEvent, for an endpoint receiving it as `event_type`.
pub fn domain_event(event: &EventRecord, event_type: EventType, base: &str) -> Result<Value, PayloadError> {
    let (fqdn, slug) = match event_type {
        EventType::BadgeAssignedV3 => ("wix.badges.v3.badge", "badge_assigned"),
        EventType::BadgeUnassignedV3 => ("wix.badges.v3.badge", "badge_unassigned"),
        _ => {
            let fqdn = match event.entity_type {
                EntityType::Badge => "wix.badges.v4.badge",
                EntityType::BadgeAssignment => "wix.badges.v4.badge_assignment",
                EntityType::Member => "wix.members.v1.member",
            };
            let slug = match event.action {
                EventAction::Created => "created",
                EventAction::Deleted => "deleted",
                _ => "updated",
            };
            (fqdn, slug)
        }
    };
    let mut domain = Map::new();
    domain.insert("id".into(), json!(event.id));
    domain.insert("entityFqdn".into(), json!(fqdn));
    domain.insert("slug".into(), json!(slug));
    domain.insert("eventTime".into(), json!(event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)));
    domain.insert("entityEventSequence".into(), json!(event.entity_sequence.to_string()));
    let entity = event.entity_type;
    match event_type {
        EventType::BadgeAssignedV3 | EventType::BadgeUnassignedV3 => {
            // the V3 events are about the badge, with the member in the body
            let snapshot = event.after.as_deref().or(event.before.as_deref()).ok_or(PayloadError::Missing)?;
            let assignment: AssignmentRecord = serde_json::from_str(snapshot)?;
            domain.insert("entityId".into(), json!(assignment.badge_id));
            domain.insert("actionEvent".into(), json!({ "body": { "memberId": assignment.member_id } }));
        }
        _ => {
            domain.insert("entityId".into(), json!(event.entity_id));
            match event.action {
                EventAction::Created => {
                    domain.insert(
                        "createdEvent".into(),
                        json!({ "entity": wire(entity, event.after.as_deref(), base)? }),
                    );
                }
                EventAction::Deleted if entity == EntityType::BadgeAssignment => {
                    let deleted = wire(entity, event.before.as_deref(), base)?;
                    domain.insert("deletedEvent".into(), json!({ "deletedEntity": deleted }));
                }
                EventAction::Deleted => {
                    domain.insert("deletedEvent".into(), json!({}));
                }
                _ => {
                    let after = wire(entity, event.after.as_deref(), base)?;
                    let fields = event.before.as_deref().map(|b| wire(entity, Some(b), base)).transpose()?;
                    let fields = fields.map(|before| modified(&before, &after)).unwrap_or_default();
                    domain.insert("updatedEvent".into(), json!({ "currentEntity": after, "modifiedFields": fields }));
                }
            }
        }
    }
    Ok(Value::Object(domain))
}

/// Who made the change, as the contract's IdentificationData.
fn identity(event: &EventRecord) -> Value {
    let id = event.by.id;
    match event.by.kind {
        ActorKind::ApiKey => json!({ "identityType": "APP", "appId": id }),
        ActorKind::Account => json!({ "identityType": "WIX_USER", "wixUserId": id }),
        ActorKind::MemberToken => json!({ "identityType": "MEMBER" }),
        ActorKind::Visitor => json!({ "identityType": "ANONYMOUS_VISITOR" }),
        ActorKind::System => json!({ "identityType": "UNKNOWN" }),
    }
}

/// A request to send: the body, its content type and the headers that sign it.
#[derive(Debug, Clone)]
pub struct Signed {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
}

/// What an attempt sends, signed now. `instance_id` names this Insignia (the envelope's
/// `instanceId`); `private_pem` is the site key, for the SDK format.
pub fn sign(
    endpoint: &EndpointRecord,
    event: &EventRecord,
    event_type: EventType,
    base: &str,
    instance_id: &str,
    private_pem: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Signed, PayloadError> {
    let domain = domain_event(event, event_type, base)?;
    // the same id on every attempt and redelivery of this event to this endpoint, and distinct
    // for the V3 copy of an assignment event
    let message_id = format!("{}_{}", event.id, event_type.as_str().rsplit('.').next().unwrap_or_default());
    match endpoint.format {
        WebhookFormat::Sdk => {
            let envelope = json!({
                "eventType": event_type.as_str(),
                "instanceId": instance_id,
                "identity": identity(event).to_string(),
                "data": domain.to_string(),
                "accountInfo": { "accountId": instance_id, "siteId": instance_id },
            });
            let claims = json!({
                "data": envelope.to_string(),
                "iat": now.timestamp(),
                // signed per attempt: ten minutes is ample for the receiver to check it
                "exp": now.timestamp() + 600,
            });
            let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem.as_bytes())
                .map_err(|e| PayloadError::Signing(e.to_string()))?;
            let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            let token =
                jsonwebtoken::encode(&header, &claims, &key).map_err(|e| PayloadError::Signing(e.to_string()))?;
            Ok(Signed { body: token.into_bytes(), content_type: "text/plain", headers: Vec::new() })
        }
        WebhookFormat::Standard => {
            let body = json!({
                "type": event_type.as_str(),
                "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "data": domain,
            })
            .to_string()
            .into_bytes();
            let signer =
                standardwebhooks::Webhook::new(&endpoint.secret).map_err(|e| PayloadError::Signing(e.to_string()))?;
            let signature =
                signer.sign(&message_id, now.timestamp(), &body).map_err(|e| PayloadError::Signing(e.to_string()))?;
            let headers = vec![
                ("webhook-id", message_id),
                ("webhook-timestamp", now.timestamp().to_string()),
                ("webhook-signature", signature),
            ];
            Ok(Signed { body, content_type: "application/json", headers })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_fields_are_the_top_level_fields_that_differ() {
        let before = json!({"id": 1, "title": "Night Owl", "revision": "1", "same": true});
        let after = json!({"id": 1, "title": "Night Owls", "revision": "2", "same": true});
        assert_eq!(modified(&before, &after), ["revision", "title"]);
        assert!(modified(&json!(1), &after).is_empty());
    }
}
