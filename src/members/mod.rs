//! Members as the dashboard and the community pages show them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod visibility;

use crate::domain::{member as parse, ActivityStatus, Contact, IconRef, MemberStatus, PrivacyStatus};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How much of a member a caller gets, as the Members API's fieldsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Fieldset {
    /// Id, dates and the profile: what anyone may see of a public member.
    Public,
    /// Adds the login email and the statuses.
    Extended,
    /// Everything, contact details included.
    Full,
}

/// A member's profile as shown on their page and in lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub nickname: Option<String>,
    pub slug: String,
    pub title: Option<String>,
    pub photo_url: Option<String>,
}

/// A member through a fieldset: the fields outside it are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub profile: ProfileView,
    // EXTENDED
    pub login_email: Option<String>,
    pub status: Option<MemberStatus>,
    pub privacy_status: Option<PrivacyStatus>,
    pub activity_status: Option<ActivityStatus>,
    // FULL
    pub contact: Option<Contact>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl MemberView {
    /// The nickname, else the slug: never the email, which a PUBLIC view does not carry.
    pub fn display_name(&self) -> String {
        self.profile.nickname.clone().unwrap_or_else(|| self.profile.slug.clone())
    }
}

#[cfg(feature = "ssr")]
impl MemberView {
    pub fn of(m: &crate::store::MemberRecord, fieldset: Fieldset) -> Self {
        let extended = fieldset >= Fieldset::Extended;
        let full = fieldset == Fieldset::Full;
        MemberView {
            id: m.id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            profile: ProfileView {
                nickname: m.nickname.clone(),
                slug: m.slug.clone(),
                title: m.title.clone(),
                photo_url: m.photo_id.map(crate::icons::upload_path),
            },
            login_email: extended.then(|| m.login_email.clone()),
            status: extended.then_some(m.status),
            privacy_status: extended.then_some(m.privacy_status),
            activity_status: extended.then_some(m.activity_status),
            contact: full.then(|| m.contact.clone()),
            last_login_at: if full { m.last_login_at } else { None },
        }
    }
}

/// A badge on a member's profile or row, with when it was assigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileBadge {
    pub id: Uuid,
    pub title: String,
    pub slug: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub assigned_at: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
impl From<crate::store::HeldBadge> for ProfileBadge {
    fn from(h: crate::store::HeldBadge) -> Self {
        ProfileBadge {
            id: h.badge_id,
            title: h.title,
            slug: h.slug,
            background_color: h.background_color,
            text_color: h.text_color,
            icon: h.icon,
            assigned_at: h.assigned_at,
        }
    }
}

/// A row of the admin member list: the member (FULL) and their badges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub member: MemberView,
    pub badges: Vec<ProfileBadge>,
}

/// A public profile page: the member (PUBLIC) and their badges in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub member: MemberView,
    pub badges: Vec<ProfileBadge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub members: i64,
    pub pending: i64,
    pub public: i64,
}

/// The profile fields as typed (a member's own form and the admin's).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProfileInput {
    pub nickname: String,
    pub title: String,
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedProfile {
    pub nickname: Option<String>,
    pub title: Option<String>,
    pub slug: String,
}

impl ProfileInput {
    pub fn parse(&self) -> Result<ParsedProfile, AppError> {
        let at = |field: &'static str| move |m: crate::error::Invalid| AppError::validation(field, m);
        Ok(ParsedProfile {
            nickname: parse::optional_text(&self.nickname, "A nickname").map_err(at("nickname"))?,
            title: parse::optional_text(&self.title, "A title").map_err(at("title"))?,
            slug: parse::profile_slug(&self.slug).map_err(at("slug"))?,
        })
    }
}

/// The contact fields as typed in the admin's member form; phones and emails one per line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub job_title: String,
    pub birthdate: String,
    pub phones: String,
    pub emails: String,
}

impl ContactInput {
    /// The parsed contact; `addresses` are not on the form and come from `keep`.
    pub fn parse(&self, today: chrono::NaiveDate, keep: &Contact) -> Result<Contact, AppError> {
        let at = |field: &'static str| move |m: crate::error::Invalid| AppError::validation(field, m);
        Ok(Contact {
            first_name: parse::optional_text(&self.first_name, "A first name").map_err(at("first_name"))?,
            last_name: parse::optional_text(&self.last_name, "A last name").map_err(at("last_name"))?,
            company: parse::optional_text(&self.company, "A company").map_err(at("company"))?,
            job_title: parse::optional_text(&self.job_title, "A job title").map_err(at("job_title"))?,
            birthdate: parse::birthdate(&self.birthdate, today).map_err(at("birthdate"))?,
            phones: parse::phones(&self.phones).map_err(at("phones"))?,
            emails: parse::emails(&self.emails).map_err(at("emails"))?,
            addresses: keep.addresses.clone(),
        })
    }

    pub fn of(contact: &Contact) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactInput {
            first_name: text(&contact.first_name),
            last_name: text(&contact.last_name),
            company: text(&contact.company),
            job_title: text(&contact.job_title),
            birthdate: text(&contact.birthdate),
            phones: contact.phones.join("\n"),
            emails: contact.emails.join("\n"),
        }
    }
}

/// What an admin can do to a member from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberAction {
    /// Approves a pending member, or unblocks a blocked one.
    Approve,
    Block,
    Mute,
    Unmute,
}

impl MemberAction {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "approve" => Ok(MemberAction::Approve),
            "block" => Ok(MemberAction::Block),
            "mute" => Ok(MemberAction::Mute),
            "unmute" => Ok(MemberAction::Unmute),
            other => Err(format!("Unknown action {other:?}")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemberAction::Approve => "approve",
            MemberAction::Block => "block",
            MemberAction::Mute => "mute",
            MemberAction::Unmute => "unmute",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_input_reports_each_field() {
        let ok = ProfileInput { nickname: " Ann ".into(), title: "".into(), slug: "ann".into() }.parse().unwrap();
        assert_eq!((ok.nickname.as_deref(), ok.title, ok.slug.as_str()), (Some("Ann"), None, "ann"));
        let e = ProfileInput { slug: "Not OK".into(), ..ProfileInput::default() }.parse().unwrap_err();
        assert!(e.field_message("slug").is_some());
    }

    #[test]
    fn contact_input_keeps_addresses_and_splits_lines() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let keep = Contact { addresses: vec![crate::domain::Address::default()], ..Contact::default() };
        let input =
            ContactInput { first_name: "Ann".into(), phones: "123 456\n789 000".into(), ..ContactInput::default() };
        let c = input.parse(today, &keep).unwrap();
        assert_eq!((c.phones.len(), c.addresses.len(), c.full_name()), (2, 1, Some("Ann".to_owned())));
        assert_eq!(ContactInput::of(&c).phones, "123 456\n789 000");
        let bad = ContactInput { birthdate: "soon".into(), ..ContactInput::default() }.parse(today, &keep).unwrap_err();
        assert!(bad.field_message("birthdate").is_some());
    }
}
