//! Any bytes, under any spreadsheet name, through every reader and both kinds of mapping:
//! issues are fine, a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lingtan_import::{bills, detect_kind, interval, read_bytes, BillOptions};

/// calamine panics on some damaged .xls/.xlsx files; Lingtan catches those (`catch_unwind` in
/// `read`) and reports the file as unreadable. libFuzzer's panic hook would abort on them before
/// they are caught, so they are let through here; a panic anywhere else still aborts.
fn let_calamine_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                return;
            }
            fuzzer_hook(info);
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_calamine_panics_unwind();
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
