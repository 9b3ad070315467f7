//! Members V1 on the wire (REST_CONTRACT §8): the member as each fieldset shows it, the member
//! as sent (parsed field by field with the dashboard's parsers), fieldsets, and the
//! `?.r=<base64url JSON>` form of `listMembers`.

use super::error::{ApiError, ApiResult};
use super::params::query_params;
use super::wire;
use crate::domain::member as parse;
use crate::domain::{Address, Contact};
use crate::error::{AppError, Invalid};
use crate::members::records::MemberPatch;
use crate::members::{Fieldset, MemberView};
use crate::store::MemberRecord;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// What a status reads as in the PUBLIC fieldset, which does not carry it.
const UNKNOWN: &str = "UNKNOWN";

/// A member image. Insignia's photos are uploads: `id` is the upload's, `url` where it is
/// served; sizes are not kept (0). Every field is sent, as the typings promise.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberImage {
    id: String,
    url: String,
    height: u32,
    width: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
    slug: String,
    photo: MemberImage,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
}

/// Always empty: Insignia keeps the street as `addressLine`. Sent because the typings promise
/// `streetAddress.number` and `.name` on every address.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StreetAddress {
    number: String,
    name: String,
}

/// A postal address; Insignia keeps the street as `addressLine` (the oneof's other member,
/// `streetAddress`, is turned into one when sent).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WireAddress {
    id: Uuid,
    street_address: StreetAddress,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subdivision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
}

/// Contact details (FULL only); the lists are always sent, empty or not.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WireContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    addresses: Vec<WireAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birthdate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<String>,
}

impl From<Contact> for WireContact {
    fn from(c: Contact) -> Self {
        WireContact {
            first_name: c.first_name,
            last_name: c.last_name,
            phones: c.phones,
            emails: c.emails,
            addresses: c
                .addresses
                .into_iter()
                .map(|a| WireAddress {
                    id: a.id,
                    street_address: StreetAddress::default(),
                    address_line: a.address_line,
                    address_line2: a.address_line2,
                    city: a.city,
                    subdivision: a.subdivision,
                    country: a.country,
                    postal_code: a.postal_code,
                })
                .collect(),
            birthdate: c.birthdate,
            company: c.company,
            job_title: c.job_title,
        }
    }
}

/// A member through a fieldset: PUBLIC has the id, contact id, dates and profile, with the
/// statuses `UNKNOWN`; EXTENDED adds the login email and the statuses; FULL the contact, the
/// last login and whether the login email is verified (Insignia does not verify: `false`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    login_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    login_email_verified: Option<bool>,
    /// `UNKNOWN`, `PENDING`, `APPROVED`, `BLOCKED` or `OFFLINE`.
    status: String,
    /// Insignia keeps a member's contact on the member: the member's id.
    contact_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<WireContact>,
    profile: Profile,
    /// `UNKNOWN`, `PRIVATE` or `PUBLIC`.
    privacy_status: String,
    /// `UNKNOWN`, `ACTIVE` or `MUTED`.
    activity_status: String,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    created_date: DateTime<Utc>,
    #[serde(serialize_with = "wire::time")]
    #[schema(value_type = String, format = DateTime)]
    updated_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "optional_time")]
    #[schema(value_type = Option<String>, format = DateTime)]
    last_login_date: Option<DateTime<Utc>>,
}

fn optional_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => wire::time(t, s),
        None => s.serialize_none(),
    }
}

impl Member {
    /// `base` is this server's `http(s)://host`, for the photo's URL.
    pub fn of(m: &MemberRecord, fieldset: Fieldset, base: &str) -> Self {
        let v = MemberView::of(m, fieldset);
        let or_unknown = |s: Option<&str>| s.unwrap_or(UNKNOWN).to_owned();
        let photo = match m.photo_id {
            Some(id) => MemberImage {
                id: id.to_string(),
                url: format!("{base}{}", crate::icons::upload_path(id)),
                height: 0,
                width: 0,
            },
            None => MemberImage { id: String::new(), url: String::new(), height: 0, width: 0 },
        };
        Member {
            id: v.id,
            login_email: v.login_email,
            login_email_verified: (fieldset == Fieldset::Full).then_some(false),
            status: or_unknown(v.status.map(|s| s.as_str())),
            contact_id: v.id,
            contact: v.contact.map(WireContact::from),
            profile: Profile { nickname: v.profile.nickname, slug: v.profile.slug, photo, title: v.profile.title },
            privacy_status: or_unknown(v.privacy_status.map(|s| s.as_str())),
            activity_status: or_unknown(v.activity_status.map(|s| s.as_str())),
            created_date: v.created_at,
            updated_date: v.updated_at,
            last_login_date: v.last_login_at,
        }
    }
}

/// `{member}`: what most Members calls answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberResponse {
    pub member: Member,
}

impl MemberResponse {
    pub fn of(m: &MemberRecord, fieldset: Fieldset, base: &str) -> Self {
        MemberResponse { member: Member::of(m, fieldset, base) }
    }
}

/// A street as a number and a name; kept as `addressLine` ("12 Main Street").
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StreetAddressInput {
    number: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddressInput {
    /// Kept when given (a GUID), so an address keeps its id across updates; new otherwise.
    id: Option<String>,
    street_address: Option<StreetAddressInput>,
    address_line: Option<String>,
    address_line2: Option<String>,
    city: Option<String>,
    /// ISO 3166-2, e.g. `US-NY`.
    subdivision: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `US`.
    country: Option<String>,
    postal_code: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactInput {
    first_name: Option<String>,
    last_name: Option<String>,
    phones: Option<Vec<String>>,
    emails: Option<Vec<String>>,
    addresses: Option<Vec<AddressInput>>,
    /// `YYYY-MM-DD`.
    birthdate: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProfileInput {
    nickname: Option<String>,
    title: Option<String>,
}

/// A member as sent. Only `loginEmail` (on create), `contact` and `profile.nickname`/`title`
/// are read; the slug changes through its own call, privacy through joining and leaving the
/// community, statuses through theirs; read-only fields and photos are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberInput {
    pub id: Option<String>,
    pub login_email: Option<String>,
    contact: Option<ContactInput>,
    profile: Option<ProfileInput>,
}

/// One line of text of at most `max` characters; "" (or only spaces) clears.
fn line(value: Option<String>, field: &str, what: &str, max: usize) -> ApiResult<Option<Option<String>>> {
    let Some(value) = value else { return Ok(None) };
    let text = value.trim();
    if text.is_empty() {
        return Ok(Some(None));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid(field, Invalid::max_length(format!("{what} has at most {max} characters"))));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, Invalid::format(format!("{what} must be a single line of text"))));
    }
    Ok(Some(Some(text.to_owned())))
}

/// A profile or contact text field as the dashboard's forms parse it.
fn text(value: Option<String>, field: &str, what: &str) -> ApiResult<Option<Option<String>>> {
    value.map(|v| parse::optional_text(&v, what).map_err(|e| ApiError::invalid(field, e))).transpose()
}

/// A list of one-line values, checked by the dashboard's one-per-line parser; an empty list
/// is no change.
fn list(
    values: Option<Vec<String>>,
    field: &str,
    parser: fn(&str) -> Result<Vec<String>, Invalid>,
) -> ApiResult<Option<Vec<String>>> {
    let Some(values) = values.filter(|v| !v.is_empty()) else { return Ok(None) };
    if let Some(i) = values.iter().position(|v| v.contains(['\n', '\r'])) {
        return Err(ApiError::invalid(&format!("{field}[{i}]"), Invalid::format("one value per item")));
    }
    parser(&values.join("\n")).map(Some).map_err(|e| ApiError::invalid(field, e))
}

/// An ISO code: `pattern` letters/digits after an optional `XX-` country part.
fn code(value: Option<String>, field: &str, subdivision: bool) -> ApiResult<Option<String>> {
    let Some(v) = value.map(|v| v.trim().to_ascii_uppercase()).filter(|v| !v.is_empty()) else { return Ok(None) };
    let alpha2 = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    let ok = if subdivision {
        v.split_once('-').is_some_and(|(country, part)| {
            alpha2(country) && (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    } else {
        alpha2(&v)
    };
    if ok {
        Ok(Some(v))
    } else {
        let what =
            if subdivision { "an ISO 3166-2 code such as US-NY" } else { "an ISO 3166-1 alpha-2 code such as US" };
        Err(ApiError::invalid(field, Invalid::format(format!("not {what}"))))
    }
}

fn address(input: AddressInput, at: &str) -> ApiResult<Address> {
    let field = |name: &str| format!("{at}.{name}");
    let keep = |v: Option<Option<String>>| v.flatten();
    let id = match input.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => super::params::guid(id, &field("id"))?,
        None => crate::domain::new_id(),
    };
    let street = input.street_address.map(|s| {
        [s.number, s.name]
            .into_iter()
            .flatten()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
    });
    // the oneof as clients fill it: a non-empty addressLine, else the street's parts
    let address_line = match (input.address_line, street) {
        (Some(l), _) if !l.trim().is_empty() => Some(l),
        (_, Some(parts)) if !parts.is_empty() => Some(parts.join(" ")),
        (l, _) => l,
    };
    Ok(Address {
        id,
        address_line: keep(line(address_line, &field("addressLine"), "An address line", 200)?),
        address_line2: keep(line(input.address_line2, &field("addressLine2"), "An address line", 200)?),
        city: keep(line(input.city, &field("city"), "A city", parse::MAX_TEXT)?),
        subdivision: code(input.subdivision, &field("subdivision"), true)?,
        country: code(input.country, &field("country"), false)?,
        postal_code: keep(line(input.postal_code, &field("postalCode"), "A postal code", 20)?),
    })
}

impl MemberInput {
    /// The changes this member asks for; `path` names it in errors (`member`).
    pub fn patch(self, path: &str) -> ApiResult<MemberPatch> {
        let profile = self.profile.unwrap_or_default();
        let contact = self.contact.unwrap_or_default();
        let at = |name: &str| format!("{path}.{name}");
        let addresses = match contact.addresses.filter(|a| !a.is_empty()) {
            None => None,
            Some(list) if list.len() > parse::MAX_LIST => {
                return Err(ApiError::invalid(
                    &at("contact.addresses"),
                    Invalid::max_length(format!("List at most {} addresses", parse::MAX_LIST)),
                ))
            }
            Some(list) => Some(
                list.into_iter()
                    .enumerate()
                    .map(|(i, a)| address(a, &at(&format!("contact.addresses[{i}]"))))
                    .collect::<ApiResult<Vec<_>>>()?,
            ),
        };
        let today = Utc::now().date_naive();
        let birthdate_field = at("contact.birthdate");
        Ok(MemberPatch {
            nickname: text(profile.nickname, &at("profile.nickname"), "A nickname")?,
            title: text(profile.title, &at("profile.title"), "A title")?,
            first_name: text(contact.first_name, &at("contact.firstName"), "A first name")?,
            last_name: text(contact.last_name, &at("contact.lastName"), "A last name")?,
            company: text(contact.company, &at("contact.company"), "A company")?,
            job_title: text(contact.job_title, &at("contact.jobTitle"), "A job title")?,
            birthdate: contact
                .birthdate
                .map(|b| parse::birthdate(&b, today).map_err(|e| ApiError::invalid(&birthdate_field, e)))
                .transpose()?,
            phones: list(contact.phones, &at("contact.phones"), parse::phones)?,
            emails: list(contact.emails, &at("contact.emails"), parse::emails)?,
            addresses,
        })
    }
}

/// The widest of the fieldsets named (`PUBLIC` when none).
pub fn widest(names: &[String], field: &str) -> ApiResult<Fieldset> {
    if names.len() > 3 {
        return Err(ApiError::invalid(field, Invalid::max_length("at most 3 fieldsets")));
    }
    names.iter().try_fold(Fieldset::Public, |widest, name| {
        let f = match name.as_str() {
            "PUBLIC" => Fieldset::Public,
            "EXTENDED" => Fieldset::Extended,
            "FULL" => Fieldset::Full,
            other => {
                return Err(ApiError::invalid(
                    field,
                    Invalid::format(format!("a fieldset is PUBLIC, EXTENDED or FULL, not {other:?}")),
                ))
            }
        };
        Ok(widest.max(f))
    })
}

/// The fieldsets of a JSON request (`"fieldsets": [...]`).
pub fn fieldsets_of(value: Option<&Value>, field: &str) -> ApiResult<Fieldset> {
    match value {
        None | Some(Value::Null) => Ok(Fieldset::Public),
        Some(Value::Array(items)) => {
            let names = items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ApiError::invalid(field, Invalid::format("fieldsets is a list of names")))?;
            widest(&names, field)
        }
        Some(_) => Err(ApiError::invalid(field, Invalid::format("fieldsets is a list of names"))),
    }
}

/// A `listMembers` request from its query string: the SDK sends the whole request as
/// `.r=<base64url(JSON)>` once it has a nested or object-list field (`paging`, `sorting`), and
/// as plain parameters otherwise (`fieldsets=FULL&fieldsets=EXTENDED`, `paging.limit=5`).
pub fn list_request(raw: &Option<String>) -> ApiResult<Value> {
    if let Some(encoded) = query_params(raw, ".r").into_iter().next() {
        return decode_r(&encoded);
    }
    let mut request = serde_json::Map::new();
    let fieldsets = query_params(raw, "fieldsets");
    if !fieldsets.is_empty() {
        request.insert("fieldsets".into(), fieldsets.into());
    }
    let mut paging = serde_json::Map::new();
    for name in ["limit", "offset"] {
        if let Some(v) = query_params(raw, &format!("paging.{name}")).into_iter().next() {
            let n: i64 = v.trim().parse().map_err(|_| {
                ApiError::invalid(&format!("paging.{name}"), Invalid::format(format!("{name} is a whole number")))
            })?;
            paging.insert(name.into(), n.into());
        }
    }
    if !paging.is_empty() {
        request.insert("paging".into(), paging.into());
    }
    Ok(Value::Object(request))
}

/// The request inside `.r`: base64url (with or without padding) of a JSON object.
pub fn decode_r(encoded: &str) -> ApiResult<Value> {
    let refused = |what: &str| ApiError::invalid(".r", Invalid::format(what.to_owned()));
    let bytes = URL_SAFE_NO_PAD.decode(encoded.trim().trim_end_matches('=')).map_err(|_| refused("not base64url"))?;
    match serde_json::from_slice(&bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(refused("not a JSON object")),
    }
}

/// A failed status change's `data` names the member (`{memberId}`), as the typings say.
pub fn with_member_data(e: AppError, member_id: Uuid) -> ApiError {
    let named = matches!(
        e.code(),
        crate::error::ErrorCode::MemberSelfBlockForbidden | crate::error::ErrorCode::OwnerMemberBlockForbidden
    );
    let api = ApiError::from(e);
    if named {
        api.with_data(serde_json::json!({ "memberId": member_id }))
    } else {
        api
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_sdk_r_parameter_decodes_to_the_request() {
        // REST_CONTRACT §1.2's example, as printed there (its sort key abbreviated to `{...}`)
        let contract = "eyJwYWdpbmciOnsibGltaXQiOjUsIm9mZnNldCI6MTB9LCJzb3J0aW5nIjpbey4uLn1dfQ";
        let text = URL_SAFE_NO_PAD.decode(contract).unwrap();
        assert_eq!(String::from_utf8(text).unwrap(), r#"{"paging":{"limit":5,"offset":10},"sorting":[{...}]}"#);
        assert!(decode_r(contract).is_err(), "the abbreviation is no JSON: a 400, never a panic");
        // the same request in full, as the published SDK 1.0.135 encodes it
        let sdk = "eyJwYWdpbmciOnsibGltaXQiOjUsIm9mZnNldCI6MTB9LCJzb3J0aW5nIjpbeyJmaWVsZE5hbWUiOiJwcm9maWxlLm5pY2tuYW1lIiwib3JkZXIiOiJBU0MifV19";
        assert_eq!(
            list_request(&Some(format!(".r={sdk}"))).unwrap(),
            json!({"paging": {"limit": 5, "offset": 10}, "sorting": [{"fieldName": "profile.nickname", "order": "ASC"}]})
        );
        assert_eq!(decode_r(&format!("{sdk}==")).unwrap()["paging"]["limit"], 5, "padding is allowed");
        for junk in ["", "!!!", "bnVsbA", "WzFd"] {
            assert!(decode_r(junk).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn plain_list_parameters_are_read_too() {
        let q = Some("fieldsets=FULL&fieldsets=EXTENDED&paging.limit=5&paging.offset=10".to_owned());
        assert_eq!(
            list_request(&q).unwrap(),
            json!({"fieldsets": ["FULL", "EXTENDED"], "paging": {"limit": 5, "offset": 10}})
        );
        assert!(list_request(&Some("paging.limit=five".into())).is_err());
        assert_eq!(list_request(&None).unwrap(), json!({}));
    }

    #[test]
    fn the_widest_fieldset_wins() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(widest(&names(&[]), "fieldsets").unwrap(), Fieldset::Public);
        assert_eq!(widest(&names(&["FULL", "PUBLIC"]), "fieldsets").unwrap(), Fieldset::Full);
        assert_eq!(widest(&names(&["EXTENDED", "PUBLIC"]), "fieldsets").unwrap(), Fieldset::Extended);
        assert!(widest(&names(&["ALL"]), "fieldsets").is_err());
        assert!(fieldsets_of(Some(&json!("FULL")), "fieldsets").is_err());
    }

    #[test]
    fn a_member_input_parses_into_a_patch_field_by_field() {
        let input: MemberInput = serde_json::from_value(json!({
            "profile": {"nickname": " Ann ", "title": ""},
            "contact": {"firstName": "Ann", "phones": [], "emails": ["A@Example.com"],
                        "addresses": [{"streetAddress": {"number": "12", "name": "Main St"}, "country": "us", "subdivision": "us-ny"}]}
        }))
        .unwrap();
        let p = input.patch("member").unwrap();
        assert_eq!((p.nickname, p.title), (Some(Some("Ann".into())), Some(None)));
        assert_eq!((p.phones, p.emails), (None, Some(vec!["a@example.com".into()])), "an empty list changes nothing");
        let a = &p.addresses.unwrap()[0];
        assert_eq!(
            (a.address_line.as_deref(), a.country.as_deref(), a.subdivision.as_deref()),
            (Some("12 Main St"), Some("US"), Some("US-NY"))
        );
        assert_eq!(p.last_name, None, "not sent: unchanged");

        let bad = |v: Value| {
            let input: MemberInput = serde_json::from_value(v).unwrap();
            format!("{:?}", input.patch("member").unwrap_err().app_error())
        };
        assert!(bad(json!({"contact": {"phones": ["call me"]}})).contains("member.contact.phones"));
        assert!(bad(json!({"contact": {"birthdate": "soon"}})).contains("member.contact.birthdate"));
        assert!(bad(json!({"profile": {"nickname": "x".repeat(101)}})).contains("member.profile.nickname"));
        assert!(bad(json!({"contact": {"addresses": [{"country": "USA"}]}})).contains("addresses[0].country"));
        assert!(bad(json!({"contact": {"addresses": [{"id": "nope"}]}})).contains("addresses[0].id"));
    }
}
