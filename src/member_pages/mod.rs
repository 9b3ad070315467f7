//! Members-only pages that badges unlock (PRODUCT.md, capability 7): the wire types the pages
//! use. Who may read a page is decided in one place, `access::decide`, which the page route,
//! every list of pages and the badge pages all go through (`service`).

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::IconRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A link to a page: what lists of pages show (never its content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageLink {
    pub id: Uuid,
    pub title: String,
    pub slug: String,
}

/// What `/pages/{slug}` shows the person asking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PageOpening {
    /// They may read it: its content as sanitized HTML.
    Read {
        title: String,
        html: String,
        /// An owner or admin reading it: they read every page, and are told who else can.
        as_staff: bool,
        /// The badges that open it (none: every approved member reads it).
        badges: Vec<KeyBadge>,
    },
    /// A logged-in account that may not read it, and why. Its content is not here.
    Refused { title: String, reason: Refusal, badges: Vec<KeyBadge> },
}

/// Why a logged-in account may not read a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// They hold none of the badges that open it.
    NeedsBadge,
    /// None of its badges grants page permissions any more (deleted, or switched off).
    NoBadgeOpensIt,
    /// Their membership is not approved (pending).
    NotApproved,
    /// No person is calling (a site API key).
    NotAPerson,
}

/// A badge that opens a page, as its refusal names it: how it looks, where its public page
/// is, and the members (besides admins) who may grant it, as far as the reader may see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyBadge {
    pub title: String,
    pub slug: String,
    pub background_color: String,
    pub text_color: String,
    pub icon: Option<IconRef>,
    pub grantors: Vec<Grantor>,
}

/// A member who may assign a badge, by the name and profile the reader may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grantor {
    pub name: String,
    pub slug: String,
}

/// A page as the dashboard's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSummary {
    pub id: Uuid,
    pub title: String,
    pub slug: String,
    /// The titles of the badges chosen to open it, in display order.
    pub badges: Vec<String>,
    pub open_to_members: bool,
}

/// A page as its editor loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditablePage {
    pub id: Uuid,
    pub revision: i64,
    pub title: String,
    pub slug: String,
    pub content: String,
    /// The content as the page shows it: the editor's preview before anything is typed.
    pub html: String,
    pub open_to_members: bool,
    pub badge_ids: Vec<Uuid>,
}

/// A badge the page editor offers, with whether it grants page permissions (only those that
/// do can be chosen; one already chosen whose permissions are off is shown as such).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeChoice {
    pub id: Uuid,
    pub title: String,
    pub permissions_enabled: bool,
}
