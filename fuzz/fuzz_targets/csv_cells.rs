//! CSV export cells: any text reads back from the row as exactly what was written (or with the
//! leading apostrophe that disarms a formula), the row keeps its columns, and no cell starts
//! with what a spreadsheet would run as a formula.
#![no_main]
use libfuzzer_sys::fuzz_target;
use market_domain::stats::{to_csv, Cell, Table};

/// Reads one RFC 4180 record from the start of `text`.
fn record(text: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => fields.push(String::new()),
            (false, '\r') if chars.peek() == Some(&'\n') => break,
            (_, c) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

fuzz_target!(|text: &str| {
    let table = Table {
        key: "fuzz",
        title: String::new(),
        columns: vec!["a".into(), "b".into()],
        rows: vec![vec![Cell::Text(text.to_owned()), Cell::Count(1)]],
    };
    let csv = to_csv(&table);
    let body = csv
        .strip_prefix('\u{feff}')
        .and_then(|rest| rest.split_once("\r\n"))
        .map(|(_, rest)| rest)
        .expect("a BOM and a header line");
    let fields = record(body);
    assert_eq!(fields.len(), 2, "{text:?} became {body:?}");
    assert_eq!(fields[1], "1");
    let cell = &fields[0];
    assert!(
        cell == text || *cell == format!("'{text}"),
        "{text:?} read back as {cell:?}"
    );
    assert!(
        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
        "{cell:?}"
    );
});
