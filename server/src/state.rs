//! What every handler shares.

use crate::clock::{Clock, ManualClock};
use crate::config::Config;
use crate::store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// Set only when the server runs with `--test-clock`: the handle that moves `clock`.
    pub test_clock: Option<ManualClock>,
    /// Turns true when the server starts shutting down, so long-lived streams end and graceful
    /// shutdown does not wait on them forever.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
    /// Per-account budget of state-changing requests.
    pub writes: Arc<crate::http::rate::WriteLimiter>,
    /// Open notification streams per account.
    pub streams: Arc<crate::notifications::StreamSlots>,
    /// Between readers that find work due and the background task that does it.
    pub due: Arc<crate::due::DueWork>,
}

impl AppState {
    /// Today in the city, by the injected clock.
    pub fn today(&self) -> market_domain::CalendarDate {
        crate::clock::city_date(self.clock.now())
    }
}
