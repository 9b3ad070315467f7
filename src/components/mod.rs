//! Presentational pieces: props in, events out, no data fetching (pages own that).

pub mod badge;
pub mod classes;
pub mod filters;
pub mod form;
pub mod pager;
pub mod reorder;
pub mod status;
