//! Presentational pieces: props in, events out, no data fetching (pages own that).

pub mod badge;
pub mod form;
pub mod pager;
pub mod status;
