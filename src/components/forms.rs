//! Small helpers the editing forms share: row keys, text signals and money shown as text.

use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_KEY: AtomicU64 = AtomicU64::new(1);
pub fn next_key() -> u64 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

pub fn text(value: impl Into<String>) -> RwSignal<String> {
    RwSignal::new(value.into())
}

/// A number a draft leaves at zero until it is filled in: an empty field then, not "0".
pub fn filled_text(value: i64, show: fn(i64) -> String) -> RwSignal<String> {
    text(if value > 0 {
        show(value)
    } else {
        String::new()
    })
}

/// `123456` fen → `"1234.56"`, `"1200"` when whole.
pub fn yuan_text(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, (fen % 100).abs())
    }
}

/// fen → 万元 text, e.g. 10_000_000_00 → "1000".
pub fn wan_text(fen: i64) -> String {
    let whole = fen / 1_000_000;
    let rest = fen % 1_000_000;
    if rest == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{rest:06}").trim_end_matches('0'))
    }
}

/// Thousandths of a unit → text, e.g. 2500 → "2.5".
pub fn milli_text(milli: i64) -> String {
    let whole = milli / 1000;
    let rest = milli % 1000;
    if rest == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{rest:03}").trim_end_matches('0'))
    }
}
