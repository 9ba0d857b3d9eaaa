//! A fee standard's quote for any job facts: never panics, never negative.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::fee::{FeeStandard, FeeStandardDraft, JobFacts};
use market_domain::Money;

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let (numbers, json) = data.split_at(16);
    let investment = i64::from_le_bytes(numbers[..8].try_into().unwrap());
    let quantity = u64::from_le_bytes(numbers[8..].try_into().unwrap());
    let Ok(draft) = serde_json::from_slice::<FeeStandardDraft>(json) else {
        return;
    };
    let Ok(standard) = FeeStandard::parse(&draft, "fee") else {
        return;
    };
    let facts = JobFacts {
        investment: Money::try_from(investment).ok(),
        quantity_milli: (quantity % 3 != 0).then_some(quantity),
    };
    if let Ok(price) = standard.quote(&facts) {
        assert!(price.fen() >= 0);
    }
});
