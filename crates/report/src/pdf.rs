//! The certifier's PDF (printpdf): not built yet — `--pdf` is refused with a message saying so,
//! before anything is read or written.

use crate::doc::Document;
use crate::{Error, Result};

pub fn render(_doc: &Document) -> Result<Vec<u8>> {
    Err(Error::new(
        "PDF_NOT_BUILT",
        "pdf",
        "--pdf: the PDF report comes in a later release; use --xlsx for the workbook, or leave both out to print the report as text".into(),
        "--pdf：PDF 报告将在后续版本提供；请用 --xlsx 输出工作簿，或不加参数以文本输出报告".into(),
    ))
}
