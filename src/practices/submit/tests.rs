//! Tests of submissions: field checks, markup stripping, the atomic write, duplicates, and
//! the review (approve, reject).

use super::*;
use serde_json::json;
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

fn folders(t: &tempfile::TempDir) -> Folders {
    let f = Folders {
        submissions: t.path().join("submissions"),
        practices: t.path().join("practices"),
    };
    std::fs::create_dir_all(&f.practices).unwrap();
    f
}

fn summary() -> String {
    (0..70)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn valid() -> Value {
    json!({
        "country": "CL",
        "title": "Programa de prueba de asistencia",
        "title_en": "Test assistance programme",
        "language": "es",
        "kind": "programme",
        "year": 2020,
        "categories": ["civic-participation"],
        "sources": [{"url": "https://example.org/a", "title": "A page"}],
        "summary": summary(),
    })
}

fn md_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_valid_submission_is_written_as_a_pending_record_named_after_its_derived_id() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    let r = submit(&f, &valid(), &reg, &tax).unwrap();
    assert_eq!(r.id.as_str(), "cl-test-assistance-programme");
    assert_eq!(r.status, Status::Pending);
    assert_eq!(
        md_files(&f.submissions),
        vec!["cl-test-assistance-programme.md"]
    );
    // never into the served practices
    assert!(md_files(&f.practices).is_empty());
    let held = pending(&f, &reg, &tax).unwrap();
    assert_eq!(held.records.len(), 1);
    assert_eq!(held.records[0].status, Status::Pending);
    assert!(held.rejected.is_empty());
}

#[test]
fn a_bad_field_is_named_and_nothing_is_written() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    let cases = [
        ("categories", json!(["no/such-category"])),
        ("country", json!("ZZ")),
        ("sources", json!([])),
        ("year", json!("two thousand")),
        ("kind", json!("party")),
        ("colour", json!("blue")),
        ("status", json!("published")),
    ];
    for (field, value) in cases {
        let mut body = valid();
        body[field] = value;
        let err = match submit(&f, &body, &reg, &tax) {
            Err(Refusal::Invalid(p)) => p,
            other => panic!("{field}: {other:?}"),
        };
        assert!(
            err.iter().any(|p| p.field.starts_with(field)),
            "{field}: {err:?}"
        );
    }
    let mut short = valid();
    short["summary"] = json!("too short");
    assert!(matches!(
        submit(&f, &short, &reg, &tax),
        Err(Refusal::Invalid(p)) if p[0].field == "summary"
    ));
    assert!(md_files(&f.submissions).is_empty());
}

#[test]
fn markup_is_stripped_from_every_text() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    let mut body = valid();
    body["title"] = json!("<b>Programa</b> <script>alert(1)</script>de **prueba**");
    body["summary"] = json!(format!(
        "# Heading\n<p onclick=\"x()\">{}</p> see [the page](https://example.org)\n---\n",
        summary()
    ));
    let r = submit(&f, &body, &reg, &tax).unwrap();
    let held = pending(&f, &reg, &tax).unwrap();
    let p = held.records.iter().find(|p| p.id == r.id).unwrap();
    assert_eq!(p.title, "Programa de prueba");
    assert!(p.summary.starts_with("Heading\nword0"), "{}", p.summary);
    assert!(p.summary.ends_with("see the page"), "{}", p.summary);
    assert!(!p.summary.contains('<') && !p.summary.contains("onclick"));
}

#[test]
fn duplicates_by_id_or_by_title_and_country_are_refused_with_the_existing_id() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    let first = submit(&f, &valid(), &reg, &tax).unwrap();
    // same id again
    match submit(&f, &valid(), &reg, &tax) {
        Err(Refusal::Duplicate { existing, .. }) => assert_eq!(existing, first.id),
        other => panic!("{other:?}"),
    }
    // another id, same title (other case and accents) and country
    let mut same_title = valid();
    same_title["id"] = json!("cl-another-id");
    same_title["title_en"] = json!("TEST Assistance Programme!");
    match submit(&f, &same_title, &reg, &tax) {
        Err(Refusal::Duplicate { existing, why }) => {
            assert_eq!(existing, first.id);
            assert!(why.contains("title"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    // the same title for another country is another practice
    let mut other_country = valid();
    other_country["country"] = json!("AR");
    assert_eq!(
        submit(&f, &other_country, &reg, &tax).unwrap().id.as_str(),
        "ar-test-assistance-programme"
    );
}

#[test]
fn approve_publishes_into_the_practices_folder_and_reject_keeps_the_reason() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    let a = submit(&f, &valid(), &reg, &tax).unwrap();
    let mut other = valid();
    other["country"] = json!("AR");
    let b = submit(&f, &other, &reg, &tax).unwrap();

    let to = approve(&f, &a.id, &reg, &tax).unwrap();
    assert_eq!(to, f.practices.join(format!("{}.md", a.id)));
    let served = load_dir(&f.practices, &reg, &tax).unwrap();
    assert_eq!(served.published().count(), 1);
    assert!(served.rejected.is_empty());
    assert_eq!(md_files(&f.submissions), vec![format!("{}.md", b.id)]);
    // approved once: a second approval finds nothing pending
    assert!(matches!(
        approve(&f, &a.id, &reg, &tax),
        Err(Error::NotFound(_))
    ));
    // and a new submission of it is now a duplicate of the published record
    assert!(matches!(
        submit(&f, &valid(), &reg, &tax),
        Err(Refusal::Duplicate { .. })
    ));

    assert!(matches!(
        reject(&f, &b.id, "  "),
        Err(Error::Invalid { .. })
    ));
    let moved = reject(&f, &b.id, "no source says this").unwrap();
    assert!(moved.starts_with(f.submissions.join(REJECTED_DIR)));
    assert!(md_files(&f.submissions).is_empty());
    let reason = std::fs::read_to_string(moved.with_extension("reason.txt")).unwrap();
    assert!(reason.contains("no source says this"), "{reason}");
}

#[test]
fn a_write_interrupted_before_its_link_leaves_no_record() {
    let t = tempfile::tempdir().unwrap();
    let f = folders(&t);
    let (reg, tax) = data();
    std::fs::create_dir_all(&f.submissions).unwrap();
    // what a process killed between writing and linking leaves behind
    std::fs::write(
        f.submissions.join(".cl-half-written.md.999.tmp"),
        "---\nid: cl-half",
    )
    .unwrap();
    let held = pending(&f, &reg, &tax).unwrap();
    assert!(held.records.is_empty() && held.rejected.is_empty());
    // and the link never replaces a file that is there
    let p = f.submissions.join("x.md");
    write_new(&p, "first").unwrap();
    assert_eq!(
        write_new(&p, "second").unwrap_err().kind(),
        std::io::ErrorKind::AlreadyExists
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "first");
    assert_eq!(md_files(&f.submissions), vec!["x.md"]);
}

#[test]
fn markup_stripping_keeps_text_that_only_looks_like_markup() {
    assert_eq!(strip_markup("a < b and c > d", false), "a < b and c > d");
    assert_eq!(strip_markup("[not a link] (x)", false), "[not a link] (x)");
    assert_eq!(
        strip_markup("line one\n\n\n\nline two", true),
        "line one\n\nline two"
    );
    assert_eq!(strip_markup("one\ntwo", false), "one two");
    assert_eq!(strip_markup("<STYLE>p{}</style>kept", false), "kept");
}
