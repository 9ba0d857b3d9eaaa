//! What every handler shares.

use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
}

impl AppState {
    /// Today in the city, by the injected clock.
    pub fn today(&self) -> market_domain::CalendarDate {
        crate::clock::city_date(self.clock.now())
    }
}
