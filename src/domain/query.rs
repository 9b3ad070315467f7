//! The REST query language as typed values: a filter over a resource's allowed fields, a
//! sort, and a page. The REST layer parses the wire JSON into these (refusing unknown fields
//! and operators); the store compiles them to parameterized SQL. Nothing here is SQL text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What kind of value a field holds, which decides what a filter may compare it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Id,
    Text,
    Bool,
    Time,
    /// A list of short strings (an assignment's tag ids): tested with `$hasSome`/`$in`,
    /// `$hasAll`, `$isEmpty` and `$exists`, never compared or sorted as one value.
    TagList,
}

/// A resource's filterable and sortable fields.
pub trait Field: Copy + std::fmt::Debug + PartialEq + 'static {
    /// Every field, by its wire name.
    const ALL: &'static [(&'static str, Self)];

    fn kind(self) -> FieldKind;

    fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    fn wire_name(self) -> &'static str {
        Self::ALL.iter().find(|(_, f)| *f == self).map_or("?", |(n, _)| n)
    }
}

/// A value a field is compared with, already of the field's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Scalar {
    Null,
    Id(Uuid),
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
}

/// One test of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Test {
    Eq(Scalar),
    Ne(Scalar),
    Gt(Scalar),
    Gte(Scalar),
    Lt(Scalar),
    Lte(Scalar),
    In(Vec<Scalar>),
    Nin(Vec<Scalar>),
    /// The field equals every value given (a one-value field holds "all" of a list only when
    /// the list repeats that value).
    HasAll(Vec<Scalar>),
    /// Case-insensitive for ASCII letters, as the typings promise for `$startsWith`.
    StartsWith(String),
    EndsWith(String),
    Contains(String),
    Exists(bool),
    /// `true`: absent, or an empty string.
    IsEmpty(bool),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Filter<F> {
    /// Every one holds (`$and`, and several keys or operators side by side). Empty: all rows.
    All(Vec<Filter<F>>),
    /// At least one holds (`$or`). Empty: no row.
    Any(Vec<Filter<F>>),
    Not(Box<Filter<F>>),
    Test(F, Test),
}

impl<F> Default for Filter<F> {
    fn default() -> Self {
        Filter::All(Vec::new())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortKey<F> {
    pub field: F,
    pub descending: bool,
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub offset: i64,
    pub limit: i64,
}

/// A whole query: which rows, in which order, which of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query<F> {
    pub filter: Filter<F>,
    /// Empty: the resource's default order. Ties are always broken by id.
    pub sort: Vec<SortKey<F>>,
    pub window: Window,
}

/// The fields a badge query may filter and sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BadgeField {
    Id,
    Title,
    Description,
    PermissionsEnabled,
    Slug,
    CreatedDate,
    UpdatedDate,
}

impl Field for BadgeField {
    const ALL: &'static [(&'static str, Self)] = &[
        ("id", BadgeField::Id),
        ("title", BadgeField::Title),
        ("description", BadgeField::Description),
        ("permissionsEnabled", BadgeField::PermissionsEnabled),
        ("slug", BadgeField::Slug),
        ("createdDate", BadgeField::CreatedDate),
        ("updatedDate", BadgeField::UpdatedDate),
    ];

    fn kind(self) -> FieldKind {
        match self {
            BadgeField::Id => FieldKind::Id,
            BadgeField::Title | BadgeField::Description | BadgeField::Slug => FieldKind::Text,
            BadgeField::PermissionsEnabled => FieldKind::Bool,
            BadgeField::CreatedDate | BadgeField::UpdatedDate => FieldKind::Time,
        }
    }
}

/// The fields a badge assignment query may filter by (REST_CONTRACT §6: `badgeId` and
/// `memberId`, with every operator), plus its id, dates and tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentField {
    Id,
    BadgeId,
    MemberId,
    CreatedDate,
    UpdatedDate,
    /// `tags.tags.tagIds`: the public tags.
    Tags,
    /// `tags.privateTags.tagIds`.
    PrivateTags,
}

impl Field for AssignmentField {
    const ALL: &'static [(&'static str, Self)] = &[
        ("id", AssignmentField::Id),
        ("badgeId", AssignmentField::BadgeId),
        ("memberId", AssignmentField::MemberId),
        ("createdDate", AssignmentField::CreatedDate),
        ("updatedDate", AssignmentField::UpdatedDate),
        ("tags.tags.tagIds", AssignmentField::Tags),
        ("tags.privateTags.tagIds", AssignmentField::PrivateTags),
    ];

    fn kind(self) -> FieldKind {
        match self {
            AssignmentField::Id | AssignmentField::BadgeId | AssignmentField::MemberId => FieldKind::Id,
            AssignmentField::CreatedDate | AssignmentField::UpdatedDate => FieldKind::Time,
            AssignmentField::Tags | AssignmentField::PrivateTags => FieldKind::TagList,
        }
    }
}

/// The fields a member query may filter and sort by (REST_CONTRACT §8). `contactId` is the
/// member's own id: Insignia keeps a member's contact details on the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberField {
    Id,
    LoginEmail,
    Status,
    ContactId,
    FirstName,
    LastName,
    Nickname,
    Slug,
    Title,
    PrivacyStatus,
    CreatedDate,
    UpdatedDate,
    LastLoginDate,
}

impl Field for MemberField {
    const ALL: &'static [(&'static str, Self)] = &[
        ("id", MemberField::Id),
        ("loginEmail", MemberField::LoginEmail),
        ("status", MemberField::Status),
        ("contactId", MemberField::ContactId),
        ("contact.firstName", MemberField::FirstName),
        ("contact.lastName", MemberField::LastName),
        ("profile.nickname", MemberField::Nickname),
        ("profile.slug", MemberField::Slug),
        ("profile.title", MemberField::Title),
        ("privacyStatus", MemberField::PrivacyStatus),
        ("createdDate", MemberField::CreatedDate),
        ("updatedDate", MemberField::UpdatedDate),
        ("lastLoginDate", MemberField::LastLoginDate),
    ];

    fn kind(self) -> FieldKind {
        match self {
            MemberField::Id | MemberField::ContactId => FieldKind::Id,
            MemberField::CreatedDate | MemberField::UpdatedDate | MemberField::LastLoginDate => FieldKind::Time,
            _ => FieldKind::Text,
        }
    }
}

/// Which members: a filter, and optionally a search (Members V1 `search`: the expression
/// matched as a case-insensitive substring of any of the fields named).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MemberQuery {
    pub filter: Filter<MemberField>,
    pub search: Option<MemberSearch>,
    /// Only public, approved members: what a member token of someone else may see.
    pub public_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberSearch {
    pub expression: String,
    /// Never empty: the wire's default is `profile.nickname`.
    pub fields: Vec<MemberField>,
}
