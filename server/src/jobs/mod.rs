//! Evaluation jobs and sealed bids: post, publish, amend, bid before the deadline, and the
//! opening when the deadline passes. Bids stay sealed until then, enforced here.
//!
//! One file per part of the job's life; handlers stay thin and `service` holds what they share
//! and what other features (transparency, OCDS, notifications) call.

mod award;
mod bids;
mod contract;
mod drafts;
pub(crate) mod service;

use crate::state::AppState;
use award::*;
use bids::*;
use contract::*;
use drafts::*;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(crate) use bids::bid_flags;
pub(crate) use service::{finalise_award, let_due_work_run, load, visible_to};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs, create_job))
        .routes(routes!(get_job, update_job))
        .routes(routes!(publish_job))
        .routes(routes!(cancel_job))
        .routes(routes!(repost_job))
        .routes(routes!(list_job_events))
        .routes(routes!(list_my_jobs))
        .routes(routes!(get_eligibility))
        .routes(routes!(list_bids, create_bid))
        .routes(routes!(update_bid))
        .routes(routes!(withdraw_bid))
        .routes(routes!(award_job))
        .routes(routes!(get_draw))
        .routes(routes!(list_objections, file_objection))
        .routes(routes!(answer_objection))
        .routes(routes!(withdraw_award))
        .routes(routes!(get_contract, propose_contract))
        .routes(routes!(confirm_contract))
        .routes(routes!(get_delivery, deliver))
        .routes(routes!(accept_delivery))
        .routes(routes!(rate_job))
        .routes(routes!(reply_rating))
}
