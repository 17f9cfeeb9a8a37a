//! Quoted phrases on the shared corpus: a phrase is matched as that phrase in each language
//! field, and only unquoted words are expanded across languages (issue 15).

mod common;
use common::{enc, get};

fn search(q: &str) -> serde_json::Value {
    let (s, v) = get(&format!("/v1/search?q={}&limit=10", enc(q)));
    assert_eq!(s, 200, "{v}");
    v
}

#[test]
fn a_quoted_phrase_is_not_expanded_like_loose_words() {
    let quoted = search("\"consular assistance\"");
    let loose = search("consular assistance");
    let (tq, tl) = (
        quoted["total"].as_u64().unwrap(),
        loose["total"].as_u64().unwrap(),
    );
    assert!(tq * 10 < tl, "quoted {tq} vs loose {tl}");
    assert_eq!(quoted["expanded_words"], serde_json::json!([]));
    assert_eq!(quoted["expansions"], serde_json::json!([]));
    assert_eq!(
        quoted["literal_phrases"],
        serde_json::json!(["consular assistance"])
    );
    assert_eq!(
        loose["expanded_words"],
        serde_json::json!(["consular", "assistance"])
    );
    // every hit holds the phrase in its own language's words
    for h in quoted["hits"].as_array().unwrap() {
        let text = h["snippet"]["text"].as_str().unwrap().to_lowercase();
        let heading = h["heading"].as_str().unwrap_or_default().to_lowercase();
        assert!(
            text.contains("consular assistance") || heading.contains("consular assistance"),
            "{}: {text}",
            h["id"]
        );
    }
}

#[test]
fn unquoted_words_beside_a_phrase_are_expanded_but_the_phrase_stays_required() {
    let v = search("\"consular post\" archives");
    assert_eq!(v["expanded_words"], serde_json::json!(["archives"]));
    assert_eq!(v["literal_phrases"], serde_json::json!(["consular post"]));
    let phrase_only = search("\"consular post\"");
    assert!(
        v["total"].as_u64().unwrap() <= phrase_only["total"].as_u64().unwrap(),
        "{} > {}",
        v["total"],
        phrase_only["total"]
    );
}
