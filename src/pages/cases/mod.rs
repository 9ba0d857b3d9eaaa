//! Approval cases (审批事项), kept fresh on focus and by a light poll: the badges both screens
//! share.

pub mod list;
pub mod show;

use crate::components::BadgeVariant;
use market_domain::approval::{CaseStatus, ReviewResult, ServiceProgress};

pub fn status_variant(status: CaseStatus) -> BadgeVariant {
    match status {
        CaseStatus::Approved => BadgeVariant::Success,
        CaseStatus::Denied => BadgeVariant::Danger,
        CaseStatus::Correction => BadgeVariant::Warning,
        _ => BadgeVariant::Service,
    }
}

pub fn progress_variant(progress: ServiceProgress) -> BadgeVariant {
    match progress {
        ServiceProgress::NotProcured => BadgeVariant::Danger,
        ServiceProgress::Job {
            review: Some(ReviewResult::Passed),
            ..
        } => BadgeVariant::Success,
        ServiceProgress::Job {
            review: Some(ReviewResult::Returned),
            ..
        } => BadgeVariant::Warning,
        ServiceProgress::Job { .. } => BadgeVariant::Neutral,
    }
}
