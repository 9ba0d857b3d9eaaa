//! Locale-aware display of money and dates. Exact: an amount is never rounded for display.

use crate::date::CalendarDate;
use crate::error::Locale;
use crate::money::Money;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn group_thousands(whole: i64) -> String {
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// zh-CN: `3,000元`, `3,000.50元`, and whole amounts from 1万 up as `12.5万元`.
/// en: `¥3,000`, `¥3,000.50`.
pub fn money(amount: Money, locale: Locale) -> String {
    let fen = amount.fen();
    let (yuan, cents) = (fen / 100, fen % 100);
    match locale {
        Locale::ZhCn if yuan >= 10_000 && cents == 0 => {
            let (wan, rest) = (yuan / 10_000, yuan % 10_000);
            if rest == 0 {
                format!("{}万元", group_thousands(wan))
            } else {
                let decimals = format!("{rest:04}");
                format!(
                    "{}.{}万元",
                    group_thousands(wan),
                    decimals.trim_end_matches('0')
                )
            }
        }
        Locale::ZhCn if cents == 0 => format!("{}元", group_thousands(yuan)),
        Locale::ZhCn => format!("{}.{cents:02}元", group_thousands(yuan)),
        Locale::En if cents == 0 => format!("¥{}", group_thousands(yuan)),
        Locale::En => format!("¥{}.{cents:02}", group_thousands(yuan)),
    }
}

/// zh-CN `2026年11月28日`, en `28 Nov 2026`.
pub fn date(date: CalendarDate, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Locale::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS_EN[date.month() as usize - 1],
            date.year()
        ),
    }
}

/// Formats an RFC 3339 timestamp as the server sends it (already in the city's time zone)
/// to minute precision; falls back to the raw text when it is not RFC 3339.
pub fn timestamp(rfc3339: &str, locale: Locale) -> String {
    let day = rfc3339.get(..10).and_then(|d| CalendarDate::parse(d).ok());
    let time = rfc3339
        .get(10..16)
        .filter(|t| t.starts_with('T') || t.starts_with(' '))
        .map(|t| &t[1..]);
    match (day, time) {
        (Some(day), Some(time)) => format!("{} {time}", date(day, locale)),
        _ => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(y: i64) -> Money {
        Money::from_yuan(y).unwrap()
    }

    #[test]
    fn chinese_amounts_from_ten_thousand_yuan_are_shown_in_wan() {
        assert_eq!(money(yuan(125_000), Locale::ZhCn), "12.5万元");
        assert_eq!(money(yuan(10_000), Locale::ZhCn), "1万元");
        assert_eq!(money(yuan(123_456_789), Locale::ZhCn), "12,345.6789万元");
    }

    #[test]
    fn chinese_amounts_below_ten_thousand_or_with_fen_are_shown_in_yuan() {
        assert_eq!(money(yuan(3_000), Locale::ZhCn), "3,000元");
        assert_eq!(
            money(Money::from_fen(1_000_000_050).unwrap(), Locale::ZhCn),
            "10,000,000.50元"
        );
        assert_eq!(money(Money::ZERO, Locale::ZhCn), "0元");
    }

    #[test]
    fn english_amounts_use_the_yuan_sign_and_grouping() {
        assert_eq!(money(yuan(125_000), Locale::En), "¥125,000");
        assert_eq!(
            money(Money::from_fen(300_050).unwrap(), Locale::En),
            "¥3,000.50"
        );
    }

    #[test]
    fn dates_follow_the_locale() {
        let d = CalendarDate::parse("2026-11-08").unwrap();
        assert_eq!(date(d, Locale::ZhCn), "2026年11月8日");
        assert_eq!(date(d, Locale::En), "8 Nov 2026");
    }

    #[test]
    fn timestamps_show_date_and_minutes_and_tolerate_garbage() {
        assert_eq!(
            timestamp("2026-11-28T09:30:15+08:00", Locale::ZhCn),
            "2026年11月28日 09:30"
        );
        assert_eq!(timestamp("yesterday", Locale::En), "yesterday");
    }
}
