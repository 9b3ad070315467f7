//! An event in words: what the entity is called and what changed, field by field
//! ("title: Night Owl → Night Owls"). The snapshots are the store's records as JSON, read back
//! into those records, so every field is compared by its type.

use crate::domain::event::EntityType;
use crate::domain::IconSource;
use crate::store::{AssignmentRecord, BadgeRecord, MemberRecord};
use serde::de::DeserializeOwned;

/// A snapshot read back; `None` when there is none or it does not read (a record of an older
/// shape shows without its differences rather than failing the whole log).
fn read<T: DeserializeOwned>(json: Option<&str>) -> Option<T> {
    json.and_then(|j| serde_json::from_str(j).ok())
}

/// How a value shows in a difference.
fn shown(value: &str) -> String {
    if value.is_empty() {
        "(none)".to_owned()
    } else {
        value.to_owned()
    }
}

fn optional(value: &Option<String>) -> String {
    shown(value.as_deref().unwrap_or_default())
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn icon(badge: &BadgeRecord) -> String {
    match badge.icon.as_ref().map(|i| &i.source) {
        None => "(none)".to_owned(),
        Some(IconSource::Library(name)) => format!("library icon {name}"),
        Some(IconSource::Upload(_)) => "uploaded image".to_owned(),
        Some(IconSource::Url(url)) => url.clone(),
    }
}

/// The lines of the fields that differ: `(label, before, after)` for each field, kept when the
/// two differ.
fn lines(fields: Vec<(&str, String, String)>) -> Vec<String> {
    fields.into_iter().filter(|(_, b, a)| b != a).map(|(label, b, a)| format!("{label}: {b} → {a}")).collect()
}

fn badge_changes(b: &BadgeRecord, a: &BadgeRecord) -> Vec<String> {
    lines(vec![
        ("title", shown(&b.title), shown(&a.title)),
        ("description", shown(&b.description), shown(&a.description)),
        ("background colour", b.background_color.clone(), a.background_color.clone()),
        ("text colour", b.text_color.clone(), a.text_color.clone()),
        ("icon", icon(b), icon(a)),
        (
            "icon text",
            shown(b.icon.as_ref().map_or("", |i| &i.alt_text)),
            shown(a.icon.as_ref().map_or("", |i| &i.alt_text)),
        ),
        ("grants page permissions", yes_no(b.permissions_enabled), yes_no(a.permissions_enabled)),
        ("address", b.slug.clone(), a.slug.clone()),
    ])
}

fn member_changes(b: &MemberRecord, a: &MemberRecord) -> Vec<String> {
    let photo = |m: &MemberRecord| if m.photo_id.is_some() { "a photo" } else { "(none)" }.to_owned();
    let list = |items: &[String]| shown(&items.join(", "));
    let addresses = |m: &MemberRecord| {
        let lines: Vec<String> = m
            .contact
            .addresses
            .iter()
            .map(|x| [&x.address_line, &x.city].into_iter().flatten().cloned().collect::<Vec<_>>().join(" "))
            .collect();
        shown(&lines.join("; "))
    };
    let (bc, ac) = (&b.contact, &a.contact);
    lines(vec![
        ("nickname", optional(&b.nickname), optional(&a.nickname)),
        ("profile address", b.slug.clone(), a.slug.clone()),
        ("title", optional(&b.title), optional(&a.title)),
        ("photo", photo(b), photo(a)),
        ("status", b.status.to_string(), a.status.to_string()),
        ("community", b.privacy_status.to_string(), a.privacy_status.to_string()),
        ("activity", b.activity_status.to_string(), a.activity_status.to_string()),
        ("first name", optional(&bc.first_name), optional(&ac.first_name)),
        ("last name", optional(&bc.last_name), optional(&ac.last_name)),
        ("company", optional(&bc.company), optional(&ac.company)),
        ("job title", optional(&bc.job_title), optional(&ac.job_title)),
        ("birthdate", optional(&bc.birthdate), optional(&ac.birthdate)),
        ("phones", list(&bc.phones), list(&ac.phones)),
        ("emails", list(&bc.emails), list(&ac.emails)),
        ("addresses", addresses(b), addresses(a)),
    ])
}

fn assignment_changes(b: &AssignmentRecord, a: &AssignmentRecord) -> Vec<String> {
    let list = |items: &[String]| shown(&items.join(", "));
    lines(vec![
        ("tags", list(&b.tags.public), list(&a.tags.public)),
        ("private tags", list(&b.tags.private), list(&a.tags.private)),
    ])
}

/// What changed between the two snapshots of an entity of type `entity`, a line per field;
/// empty for a creation or a deletion (there is only one side).
pub fn changes(entity: EntityType, before: Option<&str>, after: Option<&str>) -> Vec<String> {
    match entity {
        EntityType::Badge => read(before).zip(read(after)).map(|(b, a)| badge_changes(&b, &a)),
        EntityType::Member => read(before).zip(read(after)).map(|(b, a)| member_changes(&b, &a)),
        EntityType::BadgeAssignment => read(before).zip(read(after)).map(|(b, a)| assignment_changes(&b, &a)),
    }
    .unwrap_or_default()
}

/// What a member is called in the log: the nickname, else the name, else the login email.
pub fn member_name(member: &MemberRecord) -> String {
    member.nickname.clone().or_else(|| member.contact.full_name()).unwrap_or_else(|| member.login_email.clone())
}

/// The ids an assignment's snapshot names: its badge and its member.
pub fn assignment_parties(snapshot: Option<&str>) -> Option<(uuid::Uuid, uuid::Uuid)> {
    read::<AssignmentRecord>(snapshot).map(|a| (a.badge_id, a.member_id))
}

/// What a badge or member is called, from its snapshot; `None` for assignments (they are
/// named by their badge and member) or a snapshot that does not read.
pub fn own_name(entity: EntityType, snapshot: Option<&str>) -> Option<String> {
    match entity {
        EntityType::Badge => read::<BadgeRecord>(snapshot).map(|b| b.title),
        EntityType::Member => read::<MemberRecord>(snapshot).map(|m| member_name(&m)),
        EntityType::BadgeAssignment => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IconRef, MemberStatus};

    fn badge() -> BadgeRecord {
        let now = chrono::Utc::now();
        BadgeRecord {
            id: uuid::Uuid::new_v4(),
            revision: 1,
            title: "Night Owl".into(),
            description: String::new(),
            background_color: "#1E1B4B".into(),
            text_color: "#FEF3C7".into(),
            icon: None,
            permissions_enabled: false,
            slug: "night-owl".into(),
            position: 1,
            created_at: now,
            updated_at: now,
            member_count: 3,
        }
    }

    #[test]
    fn a_badge_change_reads_field_by_field() {
        let before = badge();
        let after = BadgeRecord {
            title: "Night Owls".into(),
            slug: "night-owls".into(),
            revision: 2,
            member_count: 5,
            permissions_enabled: true,
            icon: Some(IconRef::library("moon", "A moon").unwrap()),
            ..before.clone()
        };
        let json = |b: &BadgeRecord| serde_json::to_string(b).unwrap();
        let lines = changes(EntityType::Badge, Some(&json(&before)), Some(&json(&after)));
        assert_eq!(
            lines,
            [
                "title: Night Owl → Night Owls",
                "icon: (none) → library icon moon",
                "icon text: (none) → A moon",
                "grants page permissions: no → yes",
                "address: night-owl → night-owls",
            ],
            "revision and holder counts are bookkeeping, not changes"
        );
        assert!(changes(EntityType::Badge, None, Some(&json(&after))).is_empty());
        assert!(changes(EntityType::Badge, Some("not json"), Some(&json(&after))).is_empty());
        assert_eq!(own_name(EntityType::Badge, Some(&json(&before))).as_deref(), Some("Night Owl"));
    }

    #[test]
    fn a_member_is_named_by_nickname_then_name_then_email() {
        let mut m = crate::auth::actor::fixtures::member(crate::domain::PrivacyStatus::Private, MemberStatus::Pending);
        assert_eq!(member_name(&m), "ann@example.com");
        m.contact.first_name = Some("Ann".into());
        assert_eq!(member_name(&m), "Ann");
        m.nickname = Some("annie".into());
        assert_eq!(member_name(&m), "annie");
        let approved = MemberRecord { status: MemberStatus::Approved, ..m.clone() };
        let json = |m: &MemberRecord| serde_json::to_string(m).unwrap();
        assert_eq!(
            changes(EntityType::Member, Some(&json(&m)), Some(&json(&approved))),
            ["status: PENDING → APPROVED"]
        );
    }
}
