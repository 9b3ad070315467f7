//! One file per route. A page owns its resources and actions; components below it render.

pub mod admin_layout;
pub mod api_keys;
pub mod assign_runs;
pub mod audit_log;
pub mod badge_assigners;
pub mod badge_editor;
pub mod badge_icon;
pub mod badge_page;
pub mod badge_unlocks;
pub mod badges;
pub mod community;
pub mod dashboard;
pub mod home;
pub mod import;
pub mod layout;
pub mod login;
pub mod member_editor;
pub mod members;
pub mod not_found;
pub mod page_editor;
pub mod page_list;
pub mod page_view;
pub mod profile;
pub mod settings;
pub mod setup;
pub mod signup;
