//! 中介超市 server: the JSON API under `/api` and the built app's static files.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod clock;
pub mod complaints;
pub mod config;
pub mod due;
pub mod error;
pub mod first_screen;
pub mod generate;
pub mod health;
pub mod http;
pub mod jobs;
pub mod listings;
pub mod migrate;
pub mod notifications;
pub mod ocds;
pub mod openapi;
pub mod oversight;
pub mod review;
pub mod search;
pub mod seed;
mod seed_cases;
mod seed_jobs;
pub mod startup;
pub mod state;
pub mod statistics;
pub mod store;
pub mod test_clock;
pub mod transparency;

pub use config::Config;
pub use startup::{shutdown_signal, Application};
