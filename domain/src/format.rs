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

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix seconds of an RFC 3339 timestamp such as the server sends (`…T09:30:15+08:00` or `Z`).
pub fn unix_seconds(rfc3339: &str) -> Option<i64> {
    let t = rfc3339.trim();
    let num = |range: std::ops::Range<usize>| t.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let zone = t
        .get(19..)?
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let hours: i64 = zone.get(1..3)?.parse().ok()?;
            let minutes: i64 = zone.get(4..6)?.parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// A span of time as people say it: “3天4小时”, “25分钟”; “3 d 4 h” in English.
pub fn duration(seconds: i64, locale: Locale) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    match (locale, days, hours) {
        (Locale::ZhCn, 0, 0) => format!("{minutes}分钟"),
        (Locale::ZhCn, 0, _) => format!("{hours}小时{minutes}分钟"),
        (Locale::ZhCn, _, _) => format!("{days}天{hours}小时"),
        (Locale::En, 0, 0) => format!("{minutes} min"),
        (Locale::En, 0, _) => format!("{hours} h {minutes} min"),
        (Locale::En, _, _) => format!("{days} d {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_any_offset_give_the_same_instant() {
        assert_eq!(unix_seconds("2026-11-28T00:00:00Z"), Some(1_795_824_000));
        assert_eq!(
            unix_seconds("2026-11-28T08:00:00+08:00"),
            Some(1_795_824_000)
        );
        assert_eq!(
            unix_seconds("2026-02-28T23:59:59-01:00"),
            unix_seconds("2026-03-01T00:59:59Z")
        );
        assert_eq!(unix_seconds("not a time"), None);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(
            duration(3 * 86_400 + 4 * 3600 + 59, Locale::ZhCn),
            "3天4小时"
        );
        assert_eq!(duration(2 * 3600 + 5 * 60, Locale::ZhCn), "2小时5分钟");
        assert_eq!(duration(25 * 60, Locale::En), "25 min");
    }

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
