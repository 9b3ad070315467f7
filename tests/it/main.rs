//! The integration suite: one binary (one link) for everything that needs a database. Each test
//! runs against SQLite and against PostgreSQL; see `common` for how the databases are made.

mod api;
mod assignments;
mod audit;
mod badges;
mod cli;
mod common;
mod community;
mod delegation;
mod events;
mod floods;
mod hostile_input;
mod images;
mod jobs;
mod live;
mod member_pages;
mod members;
mod privacy_crawl;
mod query_equivalence;
mod rest;
mod rest_assignments;
mod rest_badges;
mod rest_badges_v3;
mod rest_members;
mod rest_routes;
mod role_matrix;
mod sessions;
mod store;
mod upload_attacks;
mod webhooks;
