//! Tests of the practice records: reading, checking and the broken fixtures, each reported
//! with its file and field.

use super::*;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data() -> (Registry, Taxonomy) {
    (
        Registry::load(&root().join("corpus/countries.toml")).unwrap(),
        Taxonomy::load(&root().join("corpus/taxonomy.toml")).unwrap(),
    )
}

const SUMMARY: &str = "one two three four five six seven eight nine ten eleven twelve \
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty one two three four \
    five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen \
    eighteen nineteen twenty one two three four five six seven eight nine ten eleven twelve \
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";

fn record(front: &str) -> String {
    format!("---\n{front}---\n{SUMMARY}\n")
}

const GOOD: &str = "id: cl-test-practice\ncountry: CL\ntitle: Prueba\nlanguage: es\n\
    kind: programme\nyear: 2010\ncategories: [civic-participation]\nlegal_basis: null\n\
    sources:\n  - url: https://example.org/a\nstatus: published\n";

fn problems(front: &str) -> Vec<Problem> {
    let (reg, tax) = data();
    parse_record("cl-test-practice.md", &record(front), &reg, &tax).unwrap_err()
}

#[test]
fn a_valid_record_is_read_with_every_field() {
    let (reg, tax) = data();
    let p = parse_record("cl-test-practice.md", &record(GOOD), &reg, &tax).unwrap();
    assert_eq!(p.id.as_str(), "cl-test-practice");
    assert_eq!(p.country.as_ref().map(|c| c.as_str()), Some("CL"));
    assert_eq!(p.kind, PracticeKind::Programme);
    assert_eq!(p.year, Some(2010));
    assert_eq!(p.legal_basis, None);
    assert_eq!(p.sources[0].url, "https://example.org/a");
    assert_eq!(p.status, Status::Published);
    assert!(p.summary.starts_with("one two"));
}

#[test]
fn each_bad_field_is_named_with_its_line() {
    let bad = GOOD
        .replace("country: CL", "country: ZZ")
        .replace("[civic-participation]", "[protection/teleportation]")
        .replace("kind: programme", "kind: festival");
    let p = problems(&bad);
    let fields: Vec<_> = p.iter().map(|x| (x.field.as_str(), x.line)).collect();
    assert!(fields.contains(&("country", Some(3))), "{p:?}");
    assert!(fields.contains(&("kind", Some(6))), "{p:?}");
    assert!(fields.contains(&("categories", Some(8))), "{p:?}");
    assert!(p.iter().all(|x| x.file == "cl-test-practice.md"));
}

#[test]
fn a_source_needs_an_http_url() {
    let none = GOOD.replace(
        "sources:\n  - url: https://example.org/a\n",
        "sources: []\n",
    );
    assert_eq!(problems(&none)[0].field, "sources");
    let ftp = GOOD.replace("https://example.org/a", "ftp://example.org/a");
    assert_eq!(problems(&ftp)[0].field, "sources.url");
    let missing = GOOD.replace("  - url: https://example.org/a\n", "  - title: x\n");
    assert_eq!(problems(&missing)[0].field, "sources.url");
}

#[test]
fn a_regional_mechanism_lists_its_members_and_uses_reg() {
    let reg_without_members = GOOD.replace("country: CL", "country: null");
    let p = problems(&reg_without_members);
    assert!(p.iter().any(|x| x.field == "countries"), "{p:?}");
    // and its id starts with reg-
    assert!(p.iter().any(|x| x.field == "id"), "{p:?}");
    // a quoted "null" is a text, not the null of a regional mechanism
    let quoted = GOOD.replace("country: CL", "country: \"null\"");
    assert!(problems(&quoted).iter().any(|x| x.field == "country"));
}

#[test]
fn the_summary_length_and_unknown_fields_are_checked() {
    let (reg, tax) = data();
    let short = format!("---\n{GOOD}---\nToo short.\n");
    let p = parse_record("cl-test-practice.md", &short, &reg, &tax).unwrap_err();
    assert_eq!((p[0].field.as_str(), p[0].line), ("summary", Some(14)));
    let extra = format!("{GOOD}colour: blue\n");
    assert_eq!(problems(&extra)[0].field, "colour");
}

#[test]
fn invalid_yaml_names_its_line_and_a_missing_fence_is_refused() {
    let broken = GOOD.replace(
        "categories: [civic-participation]",
        "categories: [civic-participation",
    );
    let p = problems(&broken);
    assert_eq!(p[0].field, "yaml");
    assert!(p[0].line.is_some_and(|l| l >= 8), "{p:?}");
    let (reg, tax) = data();
    let p = parse_record("x.md", "no front matter", &reg, &tax).unwrap_err();
    assert_eq!(p[0].field, "front matter");
}

#[test]
fn a_parent_category_is_refused_with_a_leaf_suggested() {
    let parent = GOOD.replace("[civic-participation]", "[protection]");
    let p = problems(&parent);
    assert!(p[0].reason.contains("parent"), "{p:?}");
}

#[test]
fn the_fixture_folder_reads_the_good_and_reports_each_bad_record() {
    let (reg, tax) = data();
    let got = load_dir(&root().join("tests/fixtures/practices"), &reg, &tax).unwrap();
    let ids: Vec<_> = got.records.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["mx-test-consular-hotline", "reg-test-network"]);
    let by_file = |f: &str| -> Vec<&str> {
        got.rejected
            .iter()
            .filter(|p| p.file == f)
            .map(|p| p.field.as_str())
            .collect()
    };
    assert_eq!(by_file("gt-test-no-source.md"), ["sources"]);
    assert_eq!(by_file("gt-test-unknown-category.md"), ["categories"]);
    assert_eq!(by_file("zz-test-bad-country.md"), ["country"]);
    assert_eq!(by_file("mx-test-duplicate.md"), ["id"]);
    assert_eq!(by_file("sv-test-invalid-yaml.md"), ["yaml"]);
    assert!(got.rejected.iter().all(|p| p.line.is_some()));
    let dup = got
        .rejected
        .iter()
        .find(|p| p.file == "mx-test-duplicate.md")
        .unwrap();
    assert!(dup.reason.contains("mx-test-consular-hotline.md"), "{dup}");
    assert_eq!(got.files, 7);
}

#[test]
fn ids_are_lowercase_and_hyphenated() {
    assert!("mx-a-1".parse::<PracticeId>().is_ok());
    for bad in ["MX-a", "mx_a", "-mx", "mx--a", "mx-", ""] {
        assert!(bad.parse::<PracticeId>().is_err(), "{bad}");
    }
}
