//! Any bytes, under any spreadsheet name, through every reader and both kinds of mapping:
//! issues are fine, a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lingtan_import::{bills, detect_kind, interval, read_bytes, BillOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = ["f.xlsx", "f.xls", "f.ods", "f.csv"][usize::from(selector % 4)];
    if let Ok(sheets) = read_bytes(name, bytes) {
        let _ = bills::read(&sheets, &BillOptions::default());
    }
    let _ = detect_kind(name, bytes, None);
    let _ = interval::read(name, bytes, interval::IntervalOptions::default());
});
