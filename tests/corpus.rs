//! Ingestion over the real shared corpus and over small fixtures (including broken ones).

mod common;

use consulex::corpus::{self, countries::Registry, Format, SourceFile};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

fn shared() -> &'static corpus::Corpus {
    static C: OnceLock<corpus::Corpus> = OnceLock::new();
    C.get_or_init(|| corpus::load(&common::shared_corpus(), true).expect("shared corpus loads"))
}

fn vccr_articles(inst_file: &str, part: Option<&str>) -> Vec<String> {
    let l = shared()
        .instruments
        .iter()
        .find(|l| l.instrument.file == inst_file)
        .unwrap_or_else(|| panic!("{inst_file} not read"));
    l.provisions
        .iter()
        .filter(|p| match part {
            Some(prefix) => p.eid.starts_with(prefix) && p.eid.contains("art_"),
            None => p.eid.starts_with("art_"),
        })
        .map(|p| p.number.clone())
        .collect()
}

#[test]
fn nothing_in_the_shared_corpus_is_rejected() {
    let c = shared();
    assert!(c.rejected.is_empty(), "rejected: {:?}", c.rejected);
    let files = corpus::discover(&common::shared_corpus()).unwrap();
    assert_eq!(files.len(), c.instruments.len());
    assert!(c.instruments.len() >= 100);
}

#[test]
fn vienna_convention_has_79_articles_in_every_copy() {
    let expected: Vec<String> = (1..=79).map(|n| n.to_string()).collect();
    assert_eq!(
        vccr_articles(
            "INTL/BWBV0004334-vienna-convention-on-consular-relations.md",
            None
        ),
        expected
    );
    assert_eq!(
        vccr_articles("CA/eng/acts/F-29.4.xml", Some("sched_2__")),
        expected
    );
    assert_eq!(
        vccr_articles("CA/fra/lois/F-29.4.xml", Some("sched_2__")),
        expected
    );
    assert_eq!(
        vccr_articles("AR/LEY-17081.md", Some("annex_1__")),
        expected
    );
    assert_eq!(
        vccr_articles("CO/LEY-17-1971.md", Some("annex_1__")),
        expected
    );
    // the approving laws keep their own articles apart from the reproduced convention
    assert_eq!(vccr_articles("AR/LEY-17081.md", None), vec!["1", "2"]);
    assert_eq!(vccr_articles("CO/LEY-17-1971.md", None), vec!["unico"]);
    let ar = shared()
        .instruments
        .iter()
        .find(|l| l.instrument.file == "AR/LEY-17081.md")
        .unwrap();
    let art36 = ar
        .provisions
        .iter()
        .find(|p| p.eid == "annex_1__art_36")
        .unwrap();
    assert!(
        art36
            .part
            .as_deref()
            .unwrap_or("")
            .contains("CONVENCION DE VIENA"),
        "{:?}",
        art36.part
    );
}

#[test]
fn canadian_twins_have_the_same_section_labels() {
    let c = shared();
    let mut pairs = 0;
    for l in c
        .instruments
        .iter()
        .filter(|l| l.instrument.country.as_str() == "CA" && l.instrument.language.code() == "en")
    {
        let twin_id = l
            .instrument
            .twin
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no French twin", l.instrument.file));
        let twin = c
            .instruments
            .iter()
            .find(|t| &t.instrument.id == twin_id)
            .unwrap();
        assert_eq!(twin.instrument.language.code(), "fr");
        let a: Vec<&str> = l.provisions.iter().map(|p| p.eid.as_str()).collect();
        let b: Vec<&str> = twin.provisions.iter().map(|p| p.eid.as_str()).collect();
        assert_eq!(a, b, "{} vs {}", l.instrument.file, twin.instrument.file);
        assert!(l.provisions.iter().all(|p| p.twin.is_some()));
        pairs += 1;
    }
    assert_eq!(pairs, 14);
}

#[test]
fn provisions_have_text_and_unique_stable_ids() {
    let c = shared();
    let mut ids = HashSet::new();
    for (i, p) in c.provisions() {
        assert!(!p.text.trim().is_empty(), "{} has empty text", p.id);
        assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
        assert_eq!(p.instrument, i.id);
        if i.file.ends_with(".md") {
            assert!(
                !p.text.contains("**") && !p.text.contains("#####"),
                "{} keeps markup",
                p.id
            );
        }
    }
    let again = corpus::load(&common::shared_corpus(), false).unwrap();
    let a: Vec<_> = c
        .provisions()
        .map(|(_, p)| (p.id.clone(), p.content_hash.clone()))
        .collect();
    let b: Vec<_> = again
        .provisions()
        .map(|(_, p)| (p.id.clone(), p.content_hash.clone()))
        .collect();
    assert_eq!(a, b, "two runs give different ids");
}

#[test]
fn metadata_comes_from_front_matter_folder_and_detector() {
    let c = shared();
    let by_file: BTreeMap<&str, &corpus::Loaded> = c
        .instruments
        .iter()
        .map(|l| (l.instrument.file.as_str(), l))
        .collect();
    let co = &by_file["CO/LEY-17-1971.md"].instrument;
    assert_eq!(co.publication_date.as_deref(), Some("1971-11-18"));
    assert_eq!(co.kind.as_str(), "law");
    assert!(co.in_force);
    assert!(co.licence.is_some() && co.attribution.is_some());
    let langs: BTreeSet<&str> = c
        .instruments
        .iter()
        .map(|l| l.instrument.language.code())
        .collect();
    assert_eq!(langs, BTreeSet::from(["en", "es", "fr", "pt"]));
    assert_eq!(by_file["US/title08.json"].instrument.language.code(), "en");
    assert_eq!(
        by_file["INTL/BWBV0002030-apostille-convention.md"]
            .instrument
            .kind
            .as_str(),
        "treaty"
    );
}

#[test]
fn registry_lists_every_oas_member_and_the_corpus_countries() {
    let r = Registry::load(&common::repo_file("corpus/countries.toml")).unwrap();
    assert_eq!(r.oas_members().count(), 35);
    let mercosur: Vec<String> = r
        .members_of("MERCOSUR")
        .iter()
        .map(|c| c.to_string())
        .collect();
    for cc in ["AR", "BR", "PY", "UY", "BO", "CL"] {
        assert!(
            mercosur.contains(&cc.to_string()),
            "{cc} missing from MERCOSUR"
        );
    }
    for l in &shared().instruments {
        if !l.instrument.country.is_intl() {
            assert!(
                r.get(&l.instrument.country).is_some(),
                "{} not in registry",
                l.instrument.country
            );
        }
    }
}

fn fixture_source(rel: &str, cc: &str, format: Format) -> SourceFile {
    SourceFile {
        rel: format!("{cc}/{rel}"),
        path: common::fixture(rel),
        country: cc.parse().unwrap(),
        format,
    }
}

#[test]
fn markdown_fixture_reads_headings_hierarchy_and_annexes() {
    let l = corpus::read_file(
        &fixture_source("md/ley-ejemplo.md", "CO", Format::Markdown),
        &Default::default(),
    )
    .unwrap();
    let i = &l.instrument;
    assert_eq!(
        i.title,
        "LEY 1 DE 2020 - Por la cual se regula la asistencia consular"
    );
    assert_eq!(i.language.code(), "es");
    assert_eq!(i.kind.as_str(), "law");
    let eids: Vec<&str> = l.provisions.iter().map(|p| p.eid.as_str()).collect();
    assert_eq!(
        eids,
        ["art_1", "art_2", "art_2bis", "art_3", "annex_1__art_1"]
    );
    let p1 = &l.provisions[0];
    assert_eq!(p1.heading.as_deref(), Some("De la asistencia"));
    assert_eq!(p1.hierarchy, ["CAPÍTULO I - De la protección consular"]);
    assert!(p1.text.ends_with("detenidos en el extranjero."));
    assert_eq!(
        l.provisions[1].text,
        "Los cónsules podrán expedir pasaportes."
    );
    assert_eq!(l.provisions[2].number, "2 bis");
    assert_eq!(
        l.provisions[2].heading.as_deref(),
        Some("Inviolabilidad de los archivos")
    );
    assert!(l.provisions[3].repealed);
    assert_eq!(
        l.provisions[4].part.as_deref(),
        Some("CONVENCION SOBRE ASISTENCIA CONSULAR")
    );
}

#[test]
fn broken_markdown_is_rejected_with_a_reason() {
    let r = corpus::read_file(
        &fixture_source("md/utf8-invalido.md", "UY", Format::Markdown),
        &Default::default(),
    )
    .unwrap_err();
    assert!(r.reason.contains("invalid UTF-8"), "{r:?}");
    assert_eq!(r.line, Some(6));
    let r = corpus::read_file(
        &fixture_source("md/sin-articulos.md", "AR", Format::Markdown),
        &Default::default(),
    )
    .unwrap_err();
    assert!(r.reason.contains("no recognisable provisions"), "{r:?}");
    let r = corpus::read_file(
        &fixture_source("md/sin-titulo.md", "CL", Format::Markdown),
        &Default::default(),
    )
    .unwrap_err();
    assert!(r.reason.contains("title"), "{r:?}");
}

#[test]
fn xml_fixture_and_truncated_xml() {
    let l = corpus::read_file(
        &fixture_source("xml/SOR-99-1.xml", "CA", Format::CanadaXml),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(l.instrument.kind.as_str(), "regulation");
    assert_eq!(l.instrument.language.code(), "en");
    assert_eq!(l.provisions[0].heading.as_deref(), Some("Passport fee"));
    assert!(l.provisions[1].repealed);
    let r = corpus::read_file(
        &fixture_source("xml/truncated.xml", "CA", Format::CanadaXml),
        &Default::default(),
    )
    .unwrap_err();
    assert!(
        r.reason.contains("truncated") || r.reason.contains("broken"),
        "{r:?}"
    );
    assert!(r.line.is_some());
}

#[test]
fn json_fixtures_both_shapes_and_broken() {
    let l = corpus::read_file(
        &fixture_source("json/provisions.json", "CR", Format::Json),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(l.provisions[0].eid, "art_1");
    assert_eq!(l.provisions[0].text, "Los cónsules prestarán protección a los costarricenses en el extranjero y les expedirán pasaportes.");
    assert_eq!(l.provisions[1].heading.as_deref(), Some("Objeto"));
    let us = corpus::read_file(
        &fixture_source("json/us.json", "US", Format::Json),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(us.provisions[0].eid, "sec_1504");
    assert_eq!(us.provisions[0].number, "1504");
    let r = corpus::read_file(
        &fixture_source("json/broken.json", "CR", Format::Json),
        &Default::default(),
    )
    .unwrap_err();
    assert!(r.reason.contains("invalid JSON"), "{r:?}");
    assert_eq!(r.line, Some(2));
}

#[test]
fn a_corpus_with_bad_files_still_reads_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let co = dir.path().join("CO");
    std::fs::create_dir_all(&co).unwrap();
    std::fs::copy(
        common::fixture("md/ley-ejemplo.md"),
        co.join("LEY-1-2020.md"),
    )
    .unwrap();
    std::fs::copy(common::fixture("md/utf8-invalido.md"), co.join("ROTO.md")).unwrap();
    let c = corpus::load(dir.path(), true).unwrap();
    assert_eq!(c.instruments.len(), 1);
    assert_eq!(c.rejected.len(), 1);
    assert_eq!(c.rejected[0].file, "CO/ROTO.md");
}

/// The ASCII fast path of word segmentation gives exactly the words of unicode-segmentation
/// on every provision text and heading of the real corpus.
#[test]
fn word_segmentation_matches_uax29_on_the_whole_corpus() {
    use unicode_segmentation::UnicodeSegmentation;
    let c = shared();
    let mut words = 0usize;
    for (_, p) in c.provisions() {
        for s in [p.text.as_str(), p.heading.as_deref().unwrap_or("")] {
            let want: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            let got: Vec<(usize, &str)> = consulex::text::word_indices(s).collect();
            assert_eq!(got, want, "{}", p.id);
            words += got.len();
        }
    }
    assert!(words > 1_000_000, "{words}");
}
