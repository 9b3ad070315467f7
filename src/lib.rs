//! Insignia: self-hosted member badges.
//!
//! One crate, two builds: `ssr` (the server binary, with everything that touches the database)
//! and `hydrate` (the WASM bundle that makes the server-rendered pages interactive). Server-only
//! modules are behind `cfg(feature = "ssr")` so they cannot reach the bundle by accident.

// Leptos views are deeply nested types; a clean (non-incremental) build of the badge list
// exceeded the default query depth of 128.
#![recursion_limit = "256"]

pub mod app;
pub mod assignments;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod components;
pub mod domain;
pub mod error;
pub mod format;
pub mod icons;
pub mod live;
pub mod member_pages;
pub mod members;
pub mod pages;
pub mod paging;
pub mod query_string;
pub mod settings;
pub mod uploads;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
