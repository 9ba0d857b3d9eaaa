//! Bids as agencies place them (JSON) against any budget ceiling: an accepted bid is within it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::wire::BidRequest;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (ceiling, json) = data.split_at(8);
    let ceiling = i64::from_le_bytes(ceiling.try_into().unwrap());
    if let Ok(request) = serde_json::from_slice::<BidRequest>(json) {
        let _ = request.parse(ceiling);
        let _ = market_domain::bid::parse_service_days(&request.commitment);
    }
});
