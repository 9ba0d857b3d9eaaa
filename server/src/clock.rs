//! The server's only source of time, injectable so tests can move past deadlines and timeouts.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime, UtcOffset};

/// The city's civil time zone (China Standard Time), used for every timestamp shown to users.
pub const CITY_OFFSET: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("valid offset"),
};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that only moves when told to.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<OffsetDateTime>>);

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    pub fn set(&self, to: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// RFC 3339 in the city's time zone, as the API sends timestamps.
pub fn to_rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(CITY_OFFSET)
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The calendar date in the city at `at`: deadlines and validity are judged by it.
pub fn city_date(at: OffsetDateTime) -> market_domain::CalendarDate {
    let local = at.to_offset(CITY_OFFSET).date();
    market_domain::CalendarDate::new(local.year() as u16, local.month() as u8, local.day())
        .expect("a real date")
}

pub fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rendered_in_china_standard_time() {
        let at = from_unix(1_795_824_000); // 2026-11-28T00:00:00Z
        assert_eq!(to_rfc3339(at), "2026-11-28T08:00:00+08:00");
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(from_unix(0));
        assert_eq!(clock.now(), from_unix(0));
        clock.advance(Duration::minutes(31));
        assert_eq!(clock.now(), from_unix(31 * 60));
    }
}
