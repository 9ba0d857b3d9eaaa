//! Complaints (投诉): what the three screens share.

pub mod list;
pub mod new;
pub mod show;

use market_domain::complaint::ComplaintStatus;

pub fn status_class(status: ComplaintStatus) -> &'static str {
    match status {
        ComplaintStatus::Upheld => "badge badge--danger",
        ComplaintStatus::Dismissed | ComplaintStatus::Refused => "badge badge--neutral",
        _ => "badge badge--warning",
    }
}
