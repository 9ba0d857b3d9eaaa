//! An agency's public page (`/agencies/:id`); the directory of agencies is the home page.

pub mod show;
