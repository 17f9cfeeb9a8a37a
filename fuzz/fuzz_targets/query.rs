//! The query parser on arbitrary text: it returns, and a refusal is `Error::Invalid` for `q`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    match consulex::search::query::parse(q) {
        Ok(p) => {
            let _ = p.positive_words();
        }
        Err(consulex::Error::Invalid { param, .. }) => assert_eq!(param, "q"),
        Err(e) => panic!("untyped rejection: {e:?}"),
    }
});
