//! Reader for Mexican laws in Markdown converted from the Cámara de Diputados PDFs (no front
//! matter). Being written.

use super::raw::{ParsedDoc, ReadError};

/// Whether a Markdown file is of this shape.
pub fn sniff(_bytes: &[u8]) -> bool {
    false
}

/// Reads one Mexican law.
pub fn read(_bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    Err(ReadError::new("Mexican Markdown reader not written yet"))
}
