//! Time the bare cell stream of a workbook (calamine), and the same stream turned into
//! Lingtan's cell values, for comparison with the full import:
//! `cargo run --release -p lingtan-import --example read_cells FILE.xlsx`.
use calamine::Reader;
use lingtan_import::{visit_rows, RowVisitor, Value};
use std::time::Instant;

struct Count(u64);

impl RowVisitor for Count {
    fn sheet(&mut self, _: &str) -> bool {
        true
    }
    fn row(&mut self, _: u32, _: u32, cells: &[Value]) -> bool {
        self.0 += cells.len() as u64;
        true
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("FILE.xlsx");
    let t = Instant::now();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open");
    let name = wb.sheet_names()[0].clone();
    let mut reader = wb.worksheet_cells_reader(&name).expect("sheet");
    let mut n = 0u64;
    while let Ok(Some(_)) = reader.next_cell() {
        n += 1;
    }
    println!(
        "calamine cells only: {n} cells in {:.3} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let bytes = std::fs::read(&path).expect("read");
    let mut count = Count(0);
    visit_rows(&path, &bytes, &mut count).expect("visit");
    println!(
        "as Lingtan values: {} cells in {:.3} s",
        count.0,
        t.elapsed().as_secs_f64()
    );
}
