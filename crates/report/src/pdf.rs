//! The certifier's PDF (printpdf) is not built yet: `--pdf` is refused before anything is read
//! or written. docs/dev/pdf-spike holds the printpdf 0.12 calls the renderer will use.

use crate::Error;

/// Why `--pdf` is refused.
pub fn unavailable() -> Error {
    Error::new(
        "PDF_NOT_BUILT",
        "pdf",
        "--pdf: the PDF report comes in a later release; use --xlsx for the workbook, or leave both out to print the report as text".into(),
        "--pdf：PDF 报告将在后续版本提供；请用 --xlsx 输出工作簿，或不加参数以文本输出报告".into(),
    )
}
