//! Reader for Planalto HTML (planalto.gov.br), bare or inside the JSON of the BR sources
//! (field `conteudo`). Being written.

use super::raw::{ParsedDoc, ReadError};

/// Whether a JSON file is the Planalto-in-JSON shape (an object with an HTML `conteudo`).
pub fn sniff_json(_bytes: &[u8]) -> bool {
    false
}

/// Reads the JSON shape: the law from the HTML in `conteudo`.
pub fn read_json(_bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    Err(ReadError::new("Planalto JSON reader not written yet"))
}

/// Reads a bare Planalto HTML page.
pub fn read_html(_bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    Err(ReadError::new("Planalto HTML reader not written yet"))
}
