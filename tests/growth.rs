//! The grown corpus (Brazil, Mexico, Paraguay, 22 U.S.C.): every new file read, with the article
//! counts its folder's PROVENANCE.md gives, and the completeness audit's holes where the
//! provenance lists them.

mod common;

use consulex::corpus::{self, Loaded};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn shared() -> &'static corpus::Corpus {
    static C: OnceLock<corpus::Corpus> = OnceLock::new();
    C.get_or_init(|| corpus::load(&common::shared_corpus(), true).expect("shared corpus loads"))
}

fn file(rel: &str) -> &'static Loaded {
    shared()
        .instruments
        .iter()
        .find(|l| l.instrument.file == rel)
        .unwrap_or_else(|| panic!("{rel} not read: {:?}", shared().rejected))
}

/// Article numbers of the body (no part, not transitory), in document order.
fn body_articles(l: &Loaded) -> Vec<&str> {
    l.provisions
        .iter()
        .filter(|p| p.part.is_none() && !p.transitory && p.eid.starts_with("art_"))
        .map(|p| p.number.as_str())
        .collect()
}

fn base(n: &str) -> Option<u32> {
    let d: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    d.parse().ok()
}

/// Every base number 1..=max present, none twice.
fn assert_whole(rel: &str, numbers: &[&str], max: u32, total: usize) {
    let distinct: BTreeSet<&str> = numbers.iter().copied().collect();
    assert_eq!(distinct.len(), numbers.len(), "{rel}: a number is repeated");
    let bases: BTreeSet<u32> = numbers.iter().filter_map(|n| base(n)).collect();
    let expected: BTreeSet<u32> = (1..=max).collect();
    assert_eq!(bases, expected, "{rel}: base numbers 1..={max}");
    assert_eq!(numbers.len(), total, "{rel}: articles with suffixes");
}

#[test]
fn lei_13445_has_its_125_articles_the_vetoed_ones_marked_and_its_fee_annex() {
    let l = file("BR/L13445-lei-de-migracao.json");
    assert_eq!(l.instrument.language.code(), "pt");
    assert_eq!(l.instrument.publication_date.as_deref(), Some("2017-05-24"));
    assert!(
        l.instrument.title.starts_with("Lei nº 13.445"),
        "{}",
        l.instrument.title
    );
    let arts = body_articles(l);
    assert_whole("L13445", &arts, 125, 125);
    let vetoed: Vec<&str> = l
        .provisions
        .iter()
        .filter(|p| p.vetoed)
        .map(|p| p.number.as_str())
        .collect();
    assert_eq!(vetoed, vec!["44", "74", "116", "118"]);
    assert!(l.provisions.iter().all(|p| !p.vetoed || !p.is_operative()));
    // Art. 232-A of the Código Penal, inserted by art. 115, stays in art. 115.
    let a115 = l.provisions.iter().find(|p| p.eid == "art_115").unwrap();
    assert!(a115.text.contains("232-A"), "{}", a115.text);
    let annex: Vec<_> = l
        .provisions
        .iter()
        .filter(|p| p.eid.starts_with("annex"))
        .collect();
    assert_eq!(annex.len(), 1);
    assert!(annex[0].text.to_lowercase().contains("passaporte"));
    assert!(!l.instrument.completeness.is_partial());
}

#[test]
fn the_other_brazilian_texts_read_each_article_once() {
    let lrp = file("BR/lrp.json");
    assert_whole("lrp", &body_articles(lrp), 299, 321);
    let cf = file("BR/cf.json");
    assert_eq!(cf.instrument.kind.as_str(), "constitution");
    assert_whole("cf body", &body_articles(cf), 250, 276);
    let adct: Vec<&str> = cf
        .provisions
        .iter()
        .filter(|p| p.eid.starts_with("adct__art_"))
        .map(|p| p.number.as_str())
        .collect();
    assert_whole("cf ADCT", &adct, 138, 147);
    assert!(cf
        .provisions
        .iter()
        .filter(|p| p.eid.starts_with("adct__"))
        .all(|p| p.transitory));
    // Struck-through wording is out: no article holds two versions of its heading, except
    // where the source prints two unstruck wordings, which the reader says.
    for p in &cf.provisions {
        if p.text.matches(&format!("Art. {}.", p.number)).count() > 1 {
            assert!(
                cf.warnings
                    .iter()
                    .any(|w| w.contains(&format!("article {} printed twice", p.number))),
                "{}: {}",
                p.id,
                p.text
            );
        }
    }
}

#[test]
fn mexican_laws_have_their_articles_and_keep_transitory_ones_apart() {
    let cases = [
        ("MX/LSEM_ley_del_servicio_exterior_mexicano.md", 65, 86),
        ("MX/LMigra_ley_de_migracion.md", 162, 162),
        ("MX/LN_ley_de_nacionalidad.md", 37, 37),
        ("MX/LGP_ley_general_de_poblacion.md", 157, 165),
        (
            "MX/LRPCAP_ley_sobre_refugiados_proteccion_complementaria_y_asilo_politico_antes.md",
            76,
            79,
        ),
        (
            "MX/LGIPE_ley_general_de_instituciones_y_procedimientos_electorales.md",
            535,
            539,
        ),
        (
            "MX/LOAPF_ley_organica_de_la_administracion_publica_federal.md",
            56,
            72,
        ),
        ("MX/LSCT_ley_sobre_la_celebracion_de_tratados.md", 11, 11),
    ];
    for (rel, max, total) in cases {
        let l = file(rel);
        assert_whole(rel, &body_articles(l), max, total);
        assert!(
            l.provisions.iter().any(|p| p.transitory),
            "{rel}: its transitory articles are read, as transitory"
        );
        assert!(l.instrument.last_updated.is_some(), "{rel}: last reform");
        assert_eq!(l.instrument.completeness.missing_count, 0, "{rel}");
    }
    // The source itself stops LMigra's art. 126 mid-sentence ("... requisitos que se"): the
    // audit says so, and the law is partial for it.
    let lmigra = file("MX/LMigra_ley_de_migracion.md");
    assert_eq!(lmigra.instrument.completeness.cut_short, vec!["126"]);
    assert!(lmigra.instrument.completeness.is_partial());
    // LFD numbers its articles 1..292 with hundreds of lettered ones in between.
    let lfd = file("MX/LFD_ley_federal_de_derechos.md");
    let arts = body_articles(lfd);
    let bases: BTreeSet<u32> = arts.iter().filter_map(|n| base(n)).collect();
    assert_eq!(bases, (1..=292).collect::<BTreeSet<u32>>());
    assert!(arts.len() > 292 + 400);
    // Amendment notes are notes, not words of law.
    let lsem = file("MX/LSEM_ley_del_servicio_exterior_mexicano.md");
    assert!(lsem.provisions.iter().any(|p| !p.notes.is_empty()));
    assert!(lsem
        .provisions
        .iter()
        .all(|p| !p.text.contains("reformado DOF")));
}

#[test]
fn lgipe_libro_sexto_is_the_vote_from_abroad_articles_329_to_356() {
    let l = file("MX/LGIPE_ley_general_de_instituciones_y_procedimientos_electorales.md");
    let sexto: Vec<u32> = l
        .provisions
        .iter()
        .filter(|p| !p.transitory && p.hierarchy.iter().any(|h| h.starts_with("LIBRO SEXTO")))
        .filter_map(|p| base(&p.number))
        .collect();
    assert_eq!(sexto, (329..=356).collect::<Vec<u32>>());
}

/// The `missing:` list of a file's row in PY/PROVENANCE.md, as written there.
fn provenance_missing(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(common::shared_corpus().join("PY/PROVENANCE.md")).ok()?;
    let row = text
        .lines()
        .find(|l| l.starts_with(&format!("| {name} ")) && l.contains("articles present"))?;
    let cell = row.rsplit('|').nth(1)?;
    cell.split_once("missing: ")
        .map(|(_, m)| m.trim().to_string())
}

#[test]
fn paraguayan_laws_with_missing_articles_are_partial_with_the_numbers_provenance_lists() {
    let mut partial = 0;
    for l in shared()
        .instruments
        .iter()
        .filter(|l| l.instrument.file.starts_with("PY/"))
    {
        let name = l.instrument.file.trim_start_matches("PY/");
        let c = &l.instrument.completeness;
        match provenance_missing(name) {
            Some(listed) => {
                partial += 1;
                assert!(c.is_partial(), "{name}");
                assert_eq!(c.parts[0].missing.join(", "), listed, "{name}");
            }
            None => assert!(c.parts[0].missing.is_empty(), "{name}: {:?}", c.parts[0]),
        }
    }
    assert_eq!(partial, 7);
    // Ley 6951's art. 5 is inside art. 4: reported where it is.
    let l = file("PY/py-ley-10569.json");
    assert_eq!(l.instrument.completeness.merged, vec!["5 (in art4)"]);
}

#[test]
fn us_code_title_22_sections_are_one_instrument_each_and_repealed_ones_are_not_in_force() {
    let secs: Vec<&Loaded> = shared()
        .instruments
        .iter()
        .filter(|l| l.instrument.file.starts_with("US/usc-t22/"))
        .collect();
    // one instrument per section file of the folder
    let files = std::fs::read_dir(common::shared_corpus().join("US/usc-t22"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("USC-T22-")
        })
        .count();
    assert!(files > 0);
    assert_eq!(secs.len(), files);
    for l in &secs {
        assert_eq!(l.provisions.len(), 1, "{}", l.instrument.file);
        let p = &l.provisions[0];
        assert!(
            !p.text.contains("Editorial Notes") && !p.text.contains("](/us/"),
            "{}",
            p.id
        );
        // Attribution and licence come from the folder's own PROVENANCE.md and LICENSE.
        assert!(l
            .instrument
            .attribution
            .as_deref()
            .is_some_and(|a| a.contains("legalize-dev/legalize-us")));
        assert_eq!(
            l.instrument.licence_file.as_deref(),
            Some("US/usc-t22/LICENSE")
        );
    }
    for repealed in ["US/usc-t22/USC-T22-S4192.md", "US/usc-t22/USC-T22-S4195.md"] {
        let l = file(repealed);
        assert!(
            !l.instrument.in_force && l.provisions[0].repealed,
            "{repealed}"
        );
    }
    let s = file("US/usc-t22/USC-T22-S1732.md");
    assert_eq!(s.instrument.id, "us-usc-t22-s1732");
    assert_eq!(s.provisions[0].number, "1732");
}

#[test]
fn every_instrument_keeps_its_source_licence_and_attribution() {
    for l in &shared().instruments {
        let i = &l.instrument;
        assert!(i.licence.is_some(), "{}: licence", i.file);
        assert!(i.attribution.is_some(), "{}: attribution", i.file);
    }
    let title08 = file("US/title08.json");
    assert!(title08
        .instrument
        .attribution
        .as_deref()
        .is_some_and(|a| a.contains("Ansvar-Systems/US-law-mcp")));
}
