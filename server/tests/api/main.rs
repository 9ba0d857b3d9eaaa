//! API integration tests: one binary, a real server on port 0, a fresh database per test.
#![cfg(not(target_arch = "wasm32"))]

mod agencies;
mod audit;
mod auth;
mod authorization;
mod backup;
mod cases;
mod cli;
mod complaints;
mod defects;
mod generate;
mod helpers;
mod instances;
mod jobs;
mod listings;
mod migrate;
mod notifications;
mod ocds;
mod openapi;
mod oversight;
mod platform;
mod robustness;
mod search;
mod statistics;
mod transparency;
