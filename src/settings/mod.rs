//! Site-wide settings the owner controls from the dashboard (the type is `domain::SiteSettings`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
