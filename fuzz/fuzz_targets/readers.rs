//! Every corpus reader on the same arbitrary bytes: each returns, and a rejection names its
//! reason. The first byte picks the reader, so one corpus of inputs serves all of them.
#![no_main]

use consulex::corpus::raw::{ParsedDoc, ReadError};
use consulex::corpus::{canada, json, markdown, mexico, planalto, treaty, uscode};
use libfuzzer_sys::fuzz_target;

const READERS: [fn(&[u8]) -> Result<ParsedDoc, ReadError>; 8] = [
    markdown::read,
    uscode::read,
    mexico::read,
    treaty::read,
    canada::read,
    json::read,
    planalto::read_json,
    planalto::read_html,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let read = READERS[pick as usize % READERS.len()];
    if let Err(e) = read(bytes) {
        assert!(!e.reason.trim().is_empty(), "rejection without a reason");
        assert_ne!(e.line, Some(0));
    }
});
