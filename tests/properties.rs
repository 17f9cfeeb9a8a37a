//! Property tests on the functions that read untrusted text: the query parser and each corpus
//! reader. Whatever the input (random bytes, token soup, a real file cut short and mangled),
//! they return and never panic, and every rejection is the typed error naming its reason.
//! 10,000 cases per target; `fuzz/` has cargo-fuzz targets on the same functions for longer
//! runs.

mod common;

use consulex::corpus::raw::{ParsedDoc, ReadError};
use consulex::corpus::{canada, json, markdown, mexico, planalto, treaty, uscode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 10_000;
/// Seeds are cut to a prefix at most this long: the structure of a file is in its first
/// kilobytes, and short inputs keep 10,000 cases within seconds.
const MAX_SEED_PREFIX: usize = 6_000;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// A rejection names its reason (and a line, where it gives one, counts from 1).
fn check_reader(r: Result<ParsedDoc, ReadError>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(!e.reason.trim().is_empty(), "a rejection without a reason");
        prop_assert!(e.line != Some(0), "line 0 in {e:?}");
    }
    Ok(())
}

/// Edits applied to a seed: cut, insert, delete, duplicate.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(vec![
            b"\n".to_vec(),
            b"---\n".to_vec(),
            b"# ".to_vec(),
            b"## Art".to_vec(),
            b"<".to_vec(),
            b">".to_vec(),
            b"\"".to_vec(),
            b"{".to_vec(),
            b"}".to_vec(),
            b"\xff\xfe".to_vec(),
            "Artículo 1.".as_bytes().to_vec(),
            b"</Section>".to_vec(),
        ]),
    ];
    proptest::collection::vec(
        prop_oneof![
            (any::<usize>(), bytes).prop_map(|(i, b)| Edit::Insert(i, b)),
            (any::<usize>(), 1usize..200).prop_map(|(i, n)| Edit::Delete(i, n)),
            (any::<usize>(), 1usize..200).prop_map(|(i, n)| Edit::Duplicate(i, n)),
        ],
        0..5,
    )
}

fn apply(seed: &[u8], cut: usize, edits: &[Edit]) -> Vec<u8> {
    let mut v = seed[..cut.min(seed.len())].to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match e {
            Edit::Insert(i, b) => {
                let i = at(*i, v.len());
                v.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let i = at(*i, v.len());
                let end = (i + n).min(v.len());
                v.drain(i..end);
            }
            Edit::Duplicate(i, n) => {
                let i = at(*i, v.len());
                let end = (i + n).min(v.len());
                let part = v[i..end].to_vec();
                v.splice(end..end, part);
            }
        }
    }
    v
}

/// Random bytes, or a seed cut short and edited.
fn inputs(seeds: Vec<Vec<u8>>) -> BoxedStrategy<Vec<u8>> {
    let random = proptest::collection::vec(any::<u8>(), 0..600);
    if seeds.is_empty() {
        return random.boxed();
    }
    let mangled = (
        prop::sample::select(seeds),
        0usize..MAX_SEED_PREFIX,
        edits(),
    )
        .prop_map(|(s, cut, e)| apply(&s, cut, &e));
    prop_oneof![1 => random, 4 => mangled].boxed()
}

fn file(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(common::repo_file(rel)).ok()
}

fn shared(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(common::shared_corpus().join(rel)).ok()
}

fn prefix(b: Vec<u8>) -> Vec<u8> {
    b[..b.len().min(MAX_SEED_PREFIX)].to_vec()
}

fn run_reader(seeds: Seeds, read: fn(&[u8]) -> Result<ParsedDoc, ReadError>) {
    let seeds: Vec<Vec<u8>> = seeds.into_iter().flatten().map(prefix).collect();
    runner()
        .run(&inputs(seeds), |b| check_reader(read(&b)))
        .unwrap();
}

#[test]
fn markdown_reader_never_panics() {
    run_reader(vec![file("corpus/sample/AR/LEY-20957.md")], markdown::read);
}

#[test]
fn uscode_reader_never_panics() {
    run_reader(
        vec![file("corpus/sample/US/usc-t22/USC-T22-S211a.md")],
        uscode::read,
    );
}

#[test]
fn mexico_reader_never_panics() {
    run_reader(vec![shared("MX/LN_ley_de_nacionalidad.md")], mexico::read);
}

#[test]
fn treaty_reader_never_panics() {
    run_reader(
        vec![file(
            "corpus/sample/INTL/BWBV0004334-vienna-convention-on-consular-relations.md",
        )],
        treaty::read,
    );
}

#[test]
fn canada_reader_never_panics() {
    run_reader(
        vec![file("corpus/sample/CA/eng/acts/F-29.4.xml")],
        canada::read,
    );
}

#[test]
fn json_reader_never_panics() {
    run_reader(
        vec![shared("JM/0636-jm-stat-the-consular-fees-act.json")],
        json::read,
    );
}

/// The Planalto sample's HTML, and the same sample as JSON with its HTML cut short (so the
/// JSON stays valid and the HTML reader behind it is reached).
/// Seed files, each possibly absent.
type Seeds = Vec<Option<Vec<u8>>>;

fn planalto_seeds() -> (Seeds, Seeds) {
    let Some(v) = file("corpus/sample/BR/L13445-lei-de-migracao.json")
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return (vec![], vec![]);
    };
    let html = v["conteudo"].as_str().unwrap_or_default().to_string();
    let mut jsons = Vec::new();
    for cut in [2_000, 4_000, 5_000] {
        let mut w = v.clone();
        let short: String = html.chars().take(cut).collect();
        w["conteudo"] = serde_json::Value::String(short);
        jsons.push(Some(serde_json::to_vec(&w).unwrap()));
    }
    (vec![Some(html.into_bytes())], jsons)
}

#[test]
fn planalto_readers_never_panic() {
    let (html, jsons) = planalto_seeds();
    run_reader(html, planalto::read_html);
    run_reader(jsons, planalto::read_json);
}

#[test]
fn query_parser_never_panics_and_names_q_when_it_refuses() {
    let token = prop_oneof![
        prop::sample::select(vec![
            "consular",
            "assistência",
            "presos",
            "OR",
            "AND",
            "NOT",
            "-",
            "\"",
            "(",
            ")",
            "*",
            "?",
            ":",
            "^",
            "~",
            "\\",
            "+",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{0}",
            "\u{7}",
            "\u{feff}",
            "\u{fffd}",
            "é",
            "ß",
            "日本",
            "🙂",
            "-\"",
            "\"\"",
            "((",
            "))",
            "OR OR",
        ])
        .prop_map(str::to_string),
        "\\PC{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    let query = prop_oneof![
        proptest::collection::vec(token, 0..40).prop_map(|t| t.concat()),
        // long and deep ones, near and past the limits
        (1usize..40).prop_map(|n| "(".repeat(n) + "a" + &")".repeat(n)),
        (900usize..1100).prop_map(|n| "a ".repeat(n / 2)),
    ];
    runner()
        .run(&query, |q| {
            match consulex::search::query::parse(&q) {
                Ok(p) => {
                    let _ = p.positive_words();
                    let _ = p.is_empty();
                }
                Err(consulex::Error::Invalid { param, message }) => {
                    prop_assert_eq!(param, "q");
                    prop_assert!(!message.is_empty());
                }
                Err(e) => prop_assert!(false, "untyped rejection: {e:?}"),
            }
            Ok(())
        })
        .unwrap();
}
