//! 中介超市 browser app: Leptos (CSR) over the server's JSON API.

pub mod api;
pub mod app;
pub mod boot;
pub mod components;
pub mod i18n;
pub mod live;
pub mod pages;
pub mod session;

pub use app::App;
