//! Badge icons: the built-in library (searched and rendered by the server, so the hydrate bundle
//! never carries it) and where each kind of icon is served from.

pub mod api;
#[cfg(feature = "ssr")]
pub mod library;

use serde::{Deserialize, Serialize};

/// One library icon as the picker shows it: its name and ready-made SVG markup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryIcon {
    pub name: String,
    pub svg: String,
}

/// One page of library search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IconPage {
    pub icons: Vec<LibraryIcon>,
    /// How many icons matched, over all pages.
    pub total: usize,
    /// Zero-based.
    pub page: usize,
    pub per_page: usize,
}

impl IconPage {
    pub fn has_next(&self) -> bool {
        (self.page + 1) * self.per_page < self.total
    }
}

/// Where a library icon is served as an SVG file (for chips, and for REST clients' `icon.url`).
pub fn library_icon_path(name: &str) -> String {
    format!("/icons/{name}.svg")
}

/// Where an uploaded image is served.
pub fn upload_path(id: uuid::Uuid) -> String {
    format!("/uploads/{id}")
}
