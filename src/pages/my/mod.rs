//! A signed-in party's own things under `/my/`.

pub mod jobs;
pub mod listing;
