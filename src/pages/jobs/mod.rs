//! Procurement notices (采购公告): the public list, one job with its role actions, and the
//! enterprise's form for a new or changed job.

pub mod actions;
pub mod edit;
mod form;
pub mod list;
pub mod new;
pub mod show;
