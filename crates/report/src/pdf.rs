//! The certifier's PDF (printpdf).

use crate::doc::Document;
use crate::{Error, Result};

pub fn render(_doc: &Document) -> Result<Vec<u8>> {
    Err(Error::new(
        "PDF_NOT_BUILT",
        "pdf",
        "PDF output is not in this build yet".into(),
        "此版本尚不能输出 PDF".into(),
    ))
}
