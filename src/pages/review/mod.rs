//! The fee regulator's review of listings.

pub mod list;
pub mod show;
