//! Reader for legalize-US Markdown: one U.S. Code section a file, YAML front matter. Being
//! written.

use super::raw::{ParsedDoc, ReadError};

/// Whether a Markdown file is of this shape.
pub fn sniff(_bytes: &[u8]) -> bool {
    false
}

/// Reads one section.
pub fn read(_bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    Err(ReadError::new("legalize-US reader not written yet"))
}
