//! Tests of the annotator as a whole: categories, exclusions, incidental terms, late terms,
//! instrument context and evidence, over the project's taxonomy.

use super::rules::{MAX_TAGS, POSITION_MIN_WORDS};
use super::shape::count_words;
use super::*;
use std::sync::OnceLock;

fn annotator() -> &'static Annotator {
    static A: OnceLock<Annotator> = OnceLock::new();
    A.get_or_init(|| {
        let t = Taxonomy::load(
            &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/taxonomy.toml"),
        )
        .unwrap();
        Annotator::new(t)
    })
}

fn cats(text: &str, lang: Language) -> Vec<String> {
    annotator()
        .annotate_fields(&[(Field::Text, text)], lang, false)
        .tags
        .iter()
        .map(|t| t.category.to_string())
        .collect()
}

/// (text, language, category, whether the provision gets it)
type Case<'a> = (&'a str, Language, &'a str, bool);

fn check(cases: &[Case]) {
    for (text, lang, category, want) in cases {
        let got = cats(text, *lang);
        assert_eq!(got.iter().any(|c| c == category), *want, "{text}: {got:?}");
    }
}

#[test]
fn category_table_per_language() {
    let cases: &[Case] = &[
        ("Los cónsules visitarán a los nacionales detenidos o privados de libertad en cárceles extranjeras.", Language::Es, "protection/detention", true),
        ("The consular officer shall visit a national of the sending State who is in prison, custody or detention.", Language::En, "protection/detention", true),
        ("Les fonctionnaires consulaires ont le droit de rendre visite à un ressortissant qui est incarcéré ou en état de détention.", Language::Fr, "protection/detention", true),
        ("O consulado prestará assistência aos brasileiros presos ou privados de liberdade no exterior.", Language::Pt, "protection/detention", true),
        ("El Ministerio expedirá pasaportes ordinarios a los nacionales que lo soliciten.", Language::Es, "documents/passports", true),
        ("The fee for the issuance of a passport abroad is $25.", Language::En, "documents/passports", true),
        ("Los cónsules ejercerán funciones notariales y podrán legalizar firmas de documentos.", Language::Es, "notarial", true),
        ("Les électeurs résidant à l'étranger peuvent voter par bulletin de vote spécial.", Language::Fr, "civic-participation", true),
        // smuggling of persons, in the words of the Argentine and Spanish penal laws
        ("Será reprimido el que facilitare el tráfico ilegal de personas desde la República.", Language::Es, "protection/vulnerable-groups", true),
        // a second subject a third as strong as the first is a tag too
        ("El Ministerio expedirá pasaportes ordinarios, pasaportes diplomáticos, salvoconductos y documentos de viaje, con su renovación, su vigencia y reposición, a los nacionales en el exterior, por medios electrónicos.", Language::Es, "administration/digital-services", true),
        // negatives
        // a definition that mentions a consul is not protection
        ("Para los efectos de esta ley, se entiende por cónsul el funcionario que dirige una oficina.", Language::Es, "protection/general", false),
        // domestic voting is not civic participation abroad
        ("No voting qualification shall be imposed to deny the right of any citizen to vote on account of race.", Language::En, "civic-participation", false),
        // a domestic disaster or a welfare benefit is not consular protection
        ("The municipality shall provide emergency relief to the victims of a flood disaster.", Language::En, "protection/emergencies", false),
        ("El municipio otorgará ayuda económica a las familias en situación de indigencia.", Language::Es, "protection/financial-aid", false),
        // a foreigner's death in a domestic registry is no act abroad; a birth abroad is
        ("La defunción de la persona ecuatoriana o extranjera se inscribirá en el registro civil con su partida de nacimiento.", Language::Es, "civil-registry", false),
        ("El nacimiento ocurrido en el extranjero se inscribirá en el registro civil con su partida de nacimiento.", Language::Es, "civil-registry", true),
        // inside an agency's name, "naturalization" is no citizenship provision
        ("The Immigration and Naturalization Service shall promulgate regulations to implement this chapter.", Language::En, "nationality", false),
        ("An alien may apply for naturalization after five years of lawful permanent residence.", Language::En, "nationality", true),
        // a decree published online is no electronic consular service; online passports are
        ("El presente decreto es publicado en la plataforma digital única del Estado y en su sede digital.", Language::Es, "administration/digital-services", false),
        ("Los consulados recibirán en línea, por medios electrónicos, las solicitudes de pasaporte.", Language::Es, "administration/digital-services", true),
        // a foreigner's access to justice here is a migrant's right, not consular legal
        // assistance to nationals before foreign courts
        ("Las personas extranjeras tendrán acceso a la justicia y a asistencia jurídica gratuita en igualdad de condiciones.", Language::Es, "protection/legal-assistance", false),
        ("Los consulados brindarán asistencia jurídica a los nacionales que enfrenten procesos en el exterior.", Language::Es, "protection/legal-assistance", true),
        // ... abroad, the same emergency is
        ("The consular officer shall assist nationals abroad affected by a disaster or an emergency.", Language::En, "protection/emergencies", true),
    ];
    check(cases);
    // an entry-into-force clause says nothing
    assert!(cats(
        "Esta ley entrará en vigencia a partir de su publicación.",
        Language::Es
    )
    .is_empty());
}

#[test]
fn an_exclusion_in_the_opening_puts_a_provision_out_of_scope() {
    let cases: &[Case] = &[
        ("Los extranjeros cuya expulsión haya sido decretada tendrán derecho a recurrir la resolución.", Language::Es, "migrants-rights", true),
        // carriers' duties and penalties are enforcement, not migrants' rights
        ("Las empresas de transporte internacional deberán trasladar a todo extranjero cuya expulsión haya sido decretada.", Language::Es, "migrants-rights", false),
        ("Any alien against whom a final order of removal is outstanding who fails to depart shall be fined or imprisoned.", Language::En, "migrants-rights", false),
        ("Any national of a foreign state who fails to depart shall be fined or imprisoned.", Language::En, "protection/detention", false),
        // the arrest and the social security of consular staff are personnel (reading note)
        ("In the event of the arrest or detention, pending trial, of a member of the consular staff, the receiving State shall notify the head of the consular post.", Language::En, "protection/detention", false),
        ("The receiving State shall notify the consular post without delay if a national of the sending State is arrested or detained.", Language::En, "protection/detention", true),
        ("Los miembros de la oficina consular estarán exentos del régimen de seguridad social y de los contratos de trabajo del Estado receptor.", Language::Es, "protection/migrant-workers", false),
        // premises are the network's, the staff personnel (reading note)
        ("Consular premises and the residence of the career head of consular post shall be exempt from all national taxation, other than charges levied for specific services.", Language::En, "administration/personnel", false),
        ("The receiving State may at any time notify the sending State that a member of the consular staff is persona non grata; the sending State shall then recall him or terminate his functions with the consular post and withdraw his exequatur.", Language::En, "administration/network", false),
        ("The functions of a member of a consular post shall come to an end on notification by the sending State to the receiving State, or on withdrawal of the exequatur.", Language::En, "administration/network", false),
        // a fine is no fee
        ("Every person who contravenes this Act is guilty of an offence and liable to pay a fee and charges of $500.", Language::En, "administration/fees", false),
        ("Le consul perçoit le droit à payer prévu au tarif, soit 25 dollars.", Language::Fr, "administration/fees", true),
        ("Quien no pague el arancel consular será sancionado con multa.", Language::Es, "administration/fees", false),
    ];
    check(cases);
    // further on, the same words are a passing reference: the provision keeps its subject
    let late = "Los extranjeros residentes gozarán de igualdad de trato con los nacionales en \
        el acceso a la salud, la educación, la vivienda y el trabajo, y a la residencia \
        permanente; sin perjuicio de ello, las empresas de transporte cumplirán sus deberes.";
    assert!(cats(late, Language::Es)
        .iter()
        .any(|c| c == "migrants-rights"));
    // and "why not?" names the exclusion
    let ann = annotator();
    let mut p = provision(
        1,
        "Las empresas de transporte deberán trasladar a todo extranjero expulsado.",
    );
    p.language = Language::Es;
    let c = ann.explain(&p, "");
    let m = c.iter().find(|c| c.category.as_str() == "migrants-rights");
    assert_eq!(
        m.and_then(|m| m.excluded_by.as_deref()),
        Some("empresas de transporte")
    );
}

#[test]
fn a_post_named_once_in_passing_is_no_tag_even_alone() {
    let network = |text: &str| {
        cats(text, Language::Es)
            .iter()
            .any(|c| c == "administration/network")
    };
    // where the staff may not work: the posts are a place named in passing
    assert!(!network("Los familiares del personal del Ministerio no podrán trabajar en las misiones diplomáticas ni en las oficinas consulares del mismo Estado."));
    // the posts open the provision as its subject
    assert!(network("Las misiones diplomáticas y las oficinas consulares son los órganos de representación del Estado en el exterior."));
    // or are named again and again
    assert!(network("El Poder Ejecutivo fijará por decreto la sede de las oficinas consulares, y cada oficina consular y las demás oficinas consulares ostentarán el escudo."));
    // and "why not?" says so
    let mut p = provision(1, "Los familiares del personal del Ministerio no podrán trabajar en las misiones diplomáticas ni en las oficinas consulares del mismo Estado.");
    p.language = Language::Es;
    let c = annotator().explain(&p, "");
    assert!(c
        .iter()
        .any(|c| c.category.as_str() == "administration/network" && c.in_passing));
}

#[test]
fn a_post_named_in_passing_is_no_tag_next_to_the_subject() {
    // the posts are named three times, legal assistance once: the subject still wins
    let got = cats(
        "Las oficinas consulares, los consulados y las misiones diplomáticas prestarán asistencia jurídica.",
        Language::Es,
    );
    assert_eq!(got, ["protection/legal-assistance"]);
    // alone, the organisation of posts is still a subject
    let got = cats(
        "Se crean las oficinas consulares y se fija la circunscripción consular de cada una.",
        Language::Es,
    );
    assert_eq!(got, ["administration/network"]);
}

#[test]
fn a_term_first_met_late_in_a_long_provision_counts_half() {
    let body = "El Ministerio de Relaciones Exteriores expedirá los pasaportes ordinarios, \
        diplomáticos y oficiales, y fijará por resolución los requisitos, la vigencia y el \
        formato de cada uno de ellos, así como el procedimiento de renovación y de \
        reposición en caso de pérdida, robo o deterioro del documento de viaje";
    let late = format!("{body}, incluido el de los menores de edad.");
    let early = format!("Para los menores de edad: {body}.");
    assert!(count_words(&late) >= POSITION_MIN_WORDS);
    let vulnerable = |t: &str| {
        cats(t, Language::Es)
            .iter()
            .any(|c| c == "protection/vulnerable-groups")
    };
    assert!(!vulnerable(&late), "{:?}", cats(&late, Language::Es));
    assert!(vulnerable(&early), "{:?}", cats(&early, Language::Es));
    // short provisions have no second half: the same words count in full
    assert!(vulnerable("Se expedirán pasaportes a los menores de edad."));
}

#[test]
fn navigation_needs_a_consular_or_foreign_element() {
    let ship = "Los nacimientos ocurridos a bordo de un buque o aeronave de bandera nacional se inscriben en el primer puerto.";
    assert!(!cats(ship, Language::Es).iter().any(|c| c == "navigation"));
    let consul =
        "El cónsul prestará asistencia a los buques y aeronaves nacionales y a su tripulación.";
    assert!(cats(consul, Language::Es).iter().any(|c| c == "navigation"));
}

#[test]
fn tags_carry_evidence_and_heading_counts_less() {
    let a = annotator().annotate_fields(
        &[(Field::Text, "Los consulados expedirán pasaportes.")],
        Language::Es,
        false,
    );
    let t = &a.tags[0];
    assert_eq!(t.category.as_str(), "documents/passports");
    assert_eq!(t.evidence[0].matched, "pasaportes");
    assert_eq!(t.evidence[0].field, Field::Text);
    let h = annotator().annotate_fields(
        &[
            (Field::Text, "Se cobrará el valor fijado en la tabla anexa."),
            (Field::Heading, "Pasaportes"),
        ],
        Language::Es,
        false,
    );
    assert!(
        h.tags
            .iter()
            .all(|t| t.category.as_str() != "documents/passports"),
        "a heading alone is below the text weight"
    );
}

fn provision(i: usize, text: &str) -> Provision {
    Provision {
        id: crate::corpus::model::ProvisionId::new("test-act", &format!("sec_{i}")),
        instrument: "test-act".into(),
        eid: format!("sec_{i}"),
        number: i.to_string(),
        heading: None,
        hierarchy: vec![],
        text: text.into(),
        language: Language::En,
        position: i,
        repealed: false,
        vetoed: false,
        transitory: false,
        notes: vec![],
        part: None,
        twin: None,
        content_hash: String::new(),
    }
}

#[test]
fn instrument_main_subject_lowers_the_threshold_but_needs_evidence() {
    let weak = "The Minister shall decide any pending application for citizenship within a year.";
    let mut act: Vec<Provision> = (0..4)
        .map(|i| provision(i, "A person born outside Canada may acquire citizenship by naturalization and take the oath of citizenship."))
        .collect();
    act.push(provision(4, weak));
    act.push(provision(
        5,
        "This Act comes into force on the day fixed by order.",
    ));
    let alone = annotator().annotate(&act[4]);
    assert!(alone.tags.is_empty(), "{:?}", alone.tags);
    let all = annotator().annotate_instrument(&act, "Test Act");
    assert_eq!(all.len(), act.len());
    let t = &all[4].tags;
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].category.as_str(), "nationality");
    assert!(t[0].context.is_some_and(|s| s > 0.5));
    assert!(
        !t[0].evidence.is_empty(),
        "a context tag still rests on the provision's words"
    );
    assert!(all[5].tags.is_empty(), "context alone tags nothing");
    assert!(all[0].tags.iter().all(|t| t.context.is_none()));
}

#[test]
fn context_does_not_add_a_post_named_in_passing_next_to_a_subject() {
    // an act about consular posts: its main subject is the network
    let mut act: Vec<Provision> = (0..4)
        .map(|i| provision(i, "The head of consular post shall exercise consular functions within the consular district assigned by the exequatur."))
        .collect();
    act.push(provision(
        4,
        "A passport may be issued at the consulate to a citizen who applies.",
    ));
    act.push(provision(
        5,
        "The consulate shall remain open on working days.",
    ));
    let all = annotator().annotate_instrument(&act, "Test Act");
    let cats =
        |i: usize| -> Vec<&str> { all[i].tags.iter().map(|t| t.category.as_str()).collect() };
    assert_eq!(cats(0), ["administration/network"]);
    // "consulate" says where the passport is issued: no network tag beside the passport one
    assert_eq!(cats(4), ["documents/passports"]);
    // with nothing else to say, the post is the provision's subject in this act
    assert_eq!(cats(5), ["administration/network"]);
    assert!(all[5].tags[0].context.is_some());
}

#[test]
fn a_consular_instrument_gives_its_provisions_the_consular_element() {
    // an estate administered under a consular fees act is a death abroad; under a
    // domestic fees act, or an "Aliens and Nationality" code, it is not
    let act = vec![provision(
        0,
        "Administering in full the estate of a deceased person, with a minimum charge of $3.00.",
    )];
    let deaths = |title: &str| {
        annotator().annotate_instrument(&act, title)[0]
            .tags
            .iter()
            .any(|t| t.category.as_str() == "protection/deaths")
    };
    assert!(deaths("The Consular Fees Act"));
    assert!(!deaths("The Court Fees Act"));
    assert!(!deaths("Aliens and Nationality"));
    assert!(!deaths("Ley de consulta previa"));
    // a consular fee needs a fee word and a consular element: the title of a consular
    // fees act is the element, never the fee word, and a domestic registry's fee has
    // neither title nor element
    let fees = |text: &str, title: &str| {
        annotator().annotate_instrument(&[provision(0, text)], title)[0]
            .tags
            .iter()
            .any(|t| t.category.as_str() == "administration/fees")
    };
    let entry = "For each entry of a birth, a fee of twelve cents shall be paid to the Registrar.";
    assert!(fees(entry, "The Consular Fees Act"));
    assert!(!fees(entry, "The Registration (Births and Deaths) Act"));
    assert!(fees(
        "For each entry of a birth abroad, a fee of twelve cents shall be paid.",
        "The Registration (Births and Deaths) Act"
    ));
    assert!(!fees(
        "Registering the birth of a child of a citizen: two dollars ($2.00).",
        "The Consular Fees Act"
    ));
}

#[test]
fn the_longest_reading_wins_across_categories() {
    // "miembros de la oficina consular" are staff; the post inside the phrase is not
    // evidence for the consular network
    let a = annotator().annotate_fields(
        &[(
            Field::Text,
            "Los miembros de la oficina consular gozarán de inmunidad de jurisdicción.",
        )],
        Language::Es,
        false,
    );
    assert!(
        a.tags
            .iter()
            .any(|t| t.category.as_str() == "administration/personnel"),
        "{:?}",
        a.tags
    );
    assert!(
        a.tags
            .iter()
            .all(|t| t.category.as_str() != "administration/network"),
        "{:?}",
        a.tags
    );
}

#[test]
fn a_post_named_in_passing_is_not_a_second_subject() {
    let with_passports = cats(
        "Las oficinas consulares y misiones diplomáticas expedirán pasaportes y documentos de viaje a los nacionales.",
        Language::Es,
    );
    assert_eq!(with_passports, vec!["documents/passports".to_string()]);
    // alone, the same words still speak of the consular network
    let alone = cats(
        "Las oficinas consulares y las misiones diplomáticas de la República.",
        Language::Es,
    );
    assert_eq!(alone, vec!["administration/network".to_string()]);
}

#[test]
fn ocr_noise_lowers_confidence_without_flooding() {
    let clean = "The Minister may issue a passport to any citizen of Jamaica.";
    let noisy = "The Minister may issue a passport $;?&. to qualiEcations any citizen cm -1 .......... of Jamaica orambanur-";
    let a = annotator().annotate_fields(&[(Field::Text, clean)], Language::En, false);
    let b = annotator().annotate_fields(&[(Field::Text, noisy)], Language::En, false);
    assert!(b.text_quality < a.text_quality);
    assert!(b.tags[0].confidence < a.tags[0].confidence);
    assert!(b.tags.len() <= MAX_TAGS);
}

#[test]
fn the_words_of_an_agency_or_law_name_are_no_evidence() {
    let migrants = |t: &str| cats(t, Language::Es).iter().any(|c| c == "migrants-rights");
    // the agency's name says who acts
    assert!(!migrants("El Ministerio, a través de la Dirección General de Asuntos Consulares y de Inmigración, coordinará la política de vinculación con la diáspora."));
    // the same words outside a name are the provision's subject
    assert!(migrants("La inmigración y la residencia permanente de las personas extranjeras se regulan por esta ley."));
    // a name is a run of capitalised words with a head word; the head itself still counts
    let heads = annotator().taxonomy().name_heads[&Language::Es].clone();
    let text = "los trámites ante la Dirección Nacional de Migraciones y el Servicio Exterior se harán en línea";
    let toks = crate::text::analyse(text, Language::Es);
    let q = super::matcher::name_qualifiers(text, &toks, &heads, Language::Es);
    let words: Vec<(&str, bool)> = toks
        .iter()
        .zip(&q)
        .map(|(t, q)| (&text[t.start..t.end], *q))
        .collect();
    assert!(words.contains(&("Migraciones", true)));
    assert!(words.contains(&("Dirección", false)));
    assert!(words.contains(&("Exterior", true)));
    assert!(words.contains(&("Servicio", false)));
}

#[test]
fn a_descriptor_in_another_sense_is_no_evidence() {
    let migrants = |t: &str| cats(t, Language::Es).iter().any(|c| c == "migrants-rights");
    // "extranjero" in "en el extranjero" is abroad, not a foreigner
    assert!(!migrants("Los ciudadanos que residan en el extranjero podrán votar en el consulado; la información será difundida en el extranjero."));
    assert!(migrants("Los extranjeros residentes tendrán igualdad de trato y los extranjeros tendrán derecho a la reunificación familiar."));
    // a word that shares the stem but not the word: sports are no deportation
    assert!(!migrants("El consulado promoverá las actividades deportivas y culturales de la comunidad extranjera."));
    assert!(super::matcher::same_word(
        "deportados",
        "deportacion",
        "deport"
    ));
    assert!(!super::matcher::same_word(
        "deportivo",
        "deportacion",
        "deport"
    ));
    assert!(!super::matcher::same_word(
        "residentes",
        "residencia",
        "resident"
    ));
    assert!(super::matcher::same_word(
        "naturalizado",
        "naturalizacion",
        "naturaliz"
    ));
}

#[test]
fn a_definitions_clause_gets_no_category() {
    let defs = "Para los efectos de esta ley se entiende por pasaporte el documento de viaje que expide el Ministerio; se entiende por visa la autorización de ingreso de un extranjero.";
    assert!(
        cats(defs, Language::Es).is_empty(),
        "{:?}",
        cats(defs, Language::Es)
    );
    assert!(modality::definitions(defs, "", Language::Es));
    // one definition without a definitions heading is not a definitions clause
    let one = "Se entiende por estatuto consular el conjunto de normas del personal consular.";
    assert!(!modality::definitions(one, "", Language::Es));
    assert!(modality::definitions(one, "Definiciones", Language::Es));
    assert!(modality::definitions(
        "In this Act, passport means a travel document; consul means a consular officer.",
        "",
        Language::En
    ));
}

#[test]
fn the_identification_of_foreigners_is_not_an_identity_document_of_nationals() {
    let identity = |t: &str, l| cats(t, l).iter().any(|c| c == "documents/identity");
    assert!(!identity("O imigrante deverá ser identificado por dados biométricos e receberá documento de identidade e carteira de identidade.", Language::Pt));
    assert!(identity("O consulado emitirá a carteira de identidade e o documento de identidade dos brasileiros no exterior.", Language::Pt));
}

#[test]
fn refugees_and_stateless_persons_are_not_a_vulnerable_group_by_name() {
    // the scope names minors, victims, disability, older persons, irregular status
    let vulnerable = |t: &str| {
        cats(t, Language::Es)
            .iter()
            .any(|c| c == "protection/vulnerable-groups")
    };
    assert!(!vulnerable(
        "Se expedirá un documento de viaje a las personas apátridas y refugiadas."
    ));
    assert!(vulnerable(
        "Se expedirá un documento de viaje a los menores de edad no acompañados."
    ));
}

#[test]
fn a_list_without_a_cue_takes_the_modality_of_its_lead_in_heading() {
    let a = annotator().annotate_fields(
        &[
            (
                Field::Text,
                "a) mujeres embarazadas; b) enfermos; c) personas mayores.",
            ),
            (Field::Heading, "Los consulados deberán dar preferencia a:"),
        ],
        Language::Es,
        false,
    );
    assert_eq!(a.modality, Modality::Obligation);
}

#[test]
fn an_ambiguous_descriptor_counts_only_with_its_sense_condition() {
    let t = Taxonomy::parse(
        r#"
version = "1"
[[category]]
id = "protection/vulnerable-groups"
labels = { es = "a", en = "b", fr = "c", pt = "d" }
scope = "minors"
[category.terms]
es = ["tutela:1.5"]
[category.senses.es]
"tutela" = ["menor", "menores", "incapaz"]
"#,
    )
    .unwrap();
    let a = Annotator::new(t);
    let tagged = |text: &str| {
        !a.annotate_fields(&[(Field::Text, text)], Language::Es, false)
            .tags
            .is_empty()
    };
    // "tutela judicial" of rights is another sense; the guardianship of minors is this one
    assert!(!tagged(
        "Se garantiza la tutela judicial efectiva de los derechos."
    ));
    assert!(tagged(
        "El cónsul ejercerá la tutela de los menores nacionales."
    ));
    // a condition on a word that is not one of the category's terms is an error
    let err = Taxonomy::parse(
        r#"
version = "1"
[[category]]
id = "navigation"
labels = { es = "a", en = "b", fr = "c", pt = "d" }
scope = "ships"
[category.terms]
es = ["buque"]
[category.senses.es]
"nave" = ["puerto"]
"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("nave"), "{err}");
}

#[test]
fn english_and_french_descriptors_match_inflections_not_derivations() {
    use super::matcher::inflected;
    // plural, feminine and the English verb's endings are the same word ...
    assert!(inflected("aliens", "alien", Language::En));
    assert!(inflected("detained", "detain", Language::En));
    assert!(inflected("detenues", "detenu", Language::Fr));
    // ... a derived word with the same stem is another
    assert!(!inflected("nationals", "nationality", Language::En));
    assert!(!inflected("natural", "naturalization", Language::En));
    assert!(!inflected("immigration", "immigrant", Language::En));
    // Spanish and Portuguese change the ending to inflect: `same_word` decides there
    assert!(inflected("deportados", "deportacion", Language::Es));
    let nationality = |t: &str| cats(t, Language::En).iter().any(|c| c == "nationality");
    assert!(!nationality("The Secretary shall report on the natural resources available to nationals of other countries."));
    assert!(nationality("A person may apply for naturalization and acquire citizenship after five years of residence."));
}

#[test]
fn each_language_carries_the_conventions_terms_for_honorary_consuls() {
    // the Vienna Convention's "honorary consular officers", in each of the four languages
    check(&[
        ("Los funcionarios consulares honorarios estarán exentos de todos los impuestos sobre las retribuciones.", Language::Es, "administration/honorary-consuls", true),
        ("Os funcionários consulares honorários estarão isentos de impostos sobre as retribuições.", Language::Pt, "administration/honorary-consuls", true),
        ("Honorary consular officers shall be exempt from all dues and taxes on their remuneration.", Language::En, "administration/honorary-consuls", true),
        ("Les fonctionnaires consulaires honoraires sont exempts de tous impôts sur leurs indemnités.", Language::Fr, "administration/honorary-consuls", true),
    ]);
}

#[test]
fn personnel_and_civil_service_terms_in_spanish_and_portuguese() {
    // the staff's pay, postings and career in the civil-service words of each language
    check(&[
        ("El personal de planta estará afecto al estatuto administrativo y al régimen de remuneraciones del servicio.", Language::Es, "administration/personnel", true),
        ("Os oficiais de chancelaria terão sua lotação e remoção definidas pela carreira.", Language::Pt, "administration/personnel", true),
        ("L'avancement et la mutation des agents relèvent du service extérieur.", Language::Fr, "administration/personnel", true),
    ]);
}

#[test]
fn a_portuguese_repatriation_of_a_foreigner_is_no_return_of_nationals() {
    // Portuguese migration law's "repatriação" returns a foreigner refused entry ...
    check(&[
        ("A repatriação consiste em medida administrativa de devolução de pessoa em situação de impedimento ao país de procedência.", Language::Pt, "protection/repatriation", false),
        // ... with nationals named, it is the return of nationals
        ("O consulado custeará a repatriação de brasileiros desvalidos.", Language::Pt, "protection/repatriation", true),
    ]);
}

#[test]
fn extradition_alone_is_no_judicial_cooperation() {
    // the scope is letters rogatory, service of documents and evidence, not extradition
    check(&[
        ("La extradición será concedida cuando el hecho constituya delito; la extradición se tramitará por vía diplomática.", Language::Es, "judicial-cooperation", false),
        ("Los exhortos y cartas rogatorias serán diligenciados por el cónsul.", Language::Es, "judicial-cooperation", true),
    ]);
}

#[test]
fn french_names_of_laws_and_ministers_are_read_in_lowercase_too() {
    let nationality = |t: &str| cats(t, Language::Fr).iter().any(|c| c == "nationality");
    // the law and the minister are named, not citizenship provided for
    assert!(!nationality("Le demandeur répond aux questions posées au titre de la Loi sur la citoyenneté, selon les instructions du ministre de la Citoyenneté et de l'Immigration."));
    // outside a name the same word is the subject
    assert!(nationality(
        "La citoyenneté est attribuée par naturalisation à la personne qui en fait la demande."
    ));
}

#[test]
fn a_verb_that_shares_a_nouns_stem_is_another_word() {
    use super::matcher::verb_of_noun;
    // "destinarán" (will allocate) and "asigna" are verbs beside the nouns of a posting
    assert!(verb_of_noun(
        "destinaran",
        "destinacion",
        "destin",
        Language::Es
    ));
    assert!(verb_of_noun("asigna", "asignacion", "asign", Language::Es));
    assert!(verb_of_noun("visitar", "visitante", "visit", Language::Es));
    // the participle is the persons the noun speaks of ("deportados", deportation)
    assert!(!verb_of_noun(
        "deportados",
        "deportacion",
        "deport",
        Language::Es
    ));
    // a descriptor that is a verb takes its own forms
    assert!(!verb_of_noun(
        "legalizaran",
        "legalizar",
        "legaliz",
        Language::Es
    ));
    // English and French inflect by endings, checked elsewhere
    assert!(!verb_of_noun(
        "assigns",
        "assignment",
        "assign",
        Language::En
    ));
    let personnel = |t: &str| {
        cats(t, Language::Es)
            .iter()
            .any(|c| c == "administration/personnel")
    };
    assert!(!personnel(
        "Los ingresos se destinarán al fondo y se asignarán a las obras que el Ministerio destine."
    ));
}

#[test]
fn a_written_accent_on_the_shared_letters_tells_another_word() {
    use super::matcher::stress_differs;
    // "auténtica" (authentic) is not "autenticar" (to authenticate)
    assert!(stress_differs(
        "auténtica",
        "autenticar",
        "autentica",
        "autenticar",
        Language::Es
    ));
    assert!(stress_differs(
        "Práctica",
        "practicar",
        "practica",
        "practicar",
        Language::Pt
    ));
    // the same word inflected keeps its letters
    assert!(!stress_differs(
        "naturalizado",
        "naturalización",
        "naturalizado",
        "naturalizacion",
        Language::Es
    ));
    assert!(!stress_differs(
        "cónsules",
        "cónsul",
        "consules",
        "consul",
        Language::Es
    ));
    assert!(!cats(
        "El libro será reconstruido con base en la copia auténtica del ejemplar.",
        Language::Es
    )
    .iter()
    .any(|c| c == "notarial"));
    assert!(cats(
        "El cónsul podrá autenticar firmas y legalizar documentos.",
        Language::Es
    )
    .iter()
    .any(|c| c == "notarial"));
}

#[test]
fn a_post_after_a_preposition_is_a_place_not_the_subject() {
    let network = |t: &str| {
        cats(t, Language::Es)
            .iter()
            .any(|c| c == "administration/network")
    };
    // "En las misiones...": where a rule applies, not how posts are organised
    assert!(!network("En las misiones diplomáticas y representaciones consulares serán inhábiles los días feriados de la localidad."));
    // the same posts as the subject of the provision
    assert!(network(
        "Las misiones diplomáticas y representaciones consulares se establecerán por decreto."
    ));
}

#[test]
fn bullets_after_a_lead_in_are_list_items() {
    use super::shape::list_items;
    assert_eq!(
        list_items("Son objetivos: - proteger; - asistir; - orientar"),
        3
    );
    assert_eq!(
        list_items("Integran la comisión: • el Ministro; • el Director; • el Cónsul."),
        3
    );
    // a dash inside a sentence is punctuation
    assert_eq!(
        list_items("El plazo - que es breve - vence hoy - sin prórroga."),
        0
    );
}

#[test]
fn the_main_subject_takes_evidence_of_two_fifths_of_its_threshold() {
    // an act on migrants' status: "residencia" alone (0.6 of 1.5) is its subject there
    let mut act: Vec<Provision> = (0..4)
        .map(|i| provision(i, "Las personas extranjeras podrán solicitar la residencia temporal o la residencia permanente y su regularización."))
        .collect();
    act.push(provision(
        4,
        "La solicitud de residencia se resolverá en treinta días.",
    ));
    for p in &mut act {
        p.language = Language::Es;
    }
    assert!(annotator().annotate(&act[4]).tags.is_empty());
    let all = annotator().annotate_instrument(&act, "Ley de Migraciones");
    assert!(
        all[4]
            .tags
            .iter()
            .any(|t| t.category.as_str() == "migrants-rights"),
        "{:?}",
        all[4].tags
    );
}

#[test]
fn the_people_a_document_is_for_are_no_migrants_right() {
    check(&[
        // passports for foreigners, refugees and stateless persons: the passport is the subject
        ("El consulado expedirá el documento de viaje para apátridas y refugiados y el pasaporte excepcional para extranjeros.", Language::Es, "migrants-rights", false),
        ("El consulado expedirá el documento de viaje para apátridas y refugiados y el pasaporte excepcional para extranjeros.", Language::Es, "documents/passports", true),
        // their status set for them is
        ("Los extranjeros y los refugiados tendrán igualdad de trato y derecho a la residencia permanente.", Language::Es, "migrants-rights", true),
    ]);
}

#[test]
fn each_language_names_the_same_concepts() {
    // descriptors checked side by side in es/en/fr/pt: asylum seekers and family reunification
    check(&[
        ("Los solicitantes de asilo gozarán de protección complementaria.", Language::Es, "migrants-rights", true),
        ("An asylum seeker has the right to family reunification.", Language::En, "migrants-rights", true),
        ("Le demandeur d'asile a droit au regroupement familial.", Language::Fr, "migrants-rights", true),
        ("O solicitante de refúgio terá direito à não devolução.", Language::Pt, "migrants-rights", true),
        // electronic documents and signatures in consular services
        ("Les services consulaires acceptent le document électronique et la signature numérique.", Language::Fr, "administration/digital-services", true),
        ("A repartição consular aceitará o documento eletrônico enviado por meios eletrônicos.", Language::Pt, "administration/digital-services", true),
        ("The consular post shall accept an electronic document bearing a digital signature.", Language::En, "administration/digital-services", true),
        // voting from abroad
        ("Los votantes residentes en el exterior ejercerán su derecho al voto en el consulado.", Language::Es, "civic-participation", true),
        // dual nationality
        ("La double nationalité est reconnue à la personne née à l'étranger.", Language::Fr, "nationality", true),
    ]);
}

#[test]
fn the_holes_of_one_language_are_filled_from_the_others() {
    check(&[
        // consular notification (es "notificación consular", en "consular notification")
        (
            "A notificação consular será feita ao nacional.",
            Language::Pt,
            "protection/detention",
            true,
        ),
        (
            "La notification consulaire est faite sans retard.",
            Language::Fr,
            "protection/detention",
            true,
        ),
        // repatriation of remains (es "repatriación de restos", en "repatriation of remains")
        (
            "Le consul organise le rapatriement des restes du ressortissant.",
            Language::Fr,
            "protection/deaths",
            true,
        ),
        // the verb, now that a verb is no noun's evidence (es "legalizar")
        (
            "O cônsul poderá legalizar documentos.",
            Language::Pt,
            "notarial",
            true,
        ),
        // residence permits (es "permiso de residencia", pt "autorização de residência")
        (
            "Aliens may apply for a residence permit or for temporary residence.",
            Language::En,
            "migrants-rights",
            true,
        ),
        (
            "L'étranger peut demander un titre de séjour ou la régularisation de sa situation.",
            Language::Fr,
            "migrants-rights",
            true,
        ),
    ]);
}

#[test]
fn carriers_liability_is_enforcement_not_a_migrants_right() {
    // carriers by air or sea answer for the foreigners they carry: pure enforcement (scope)
    check(&[
        ("Los transportes aéreos que conduzcan extranjeros deportados serán responsables de su retorno y de la residencia temporal que se les niegue.", Language::Es, "migrants-rights", false),
        ("Los extranjeros deportados podrán solicitar una nueva residencia temporal.", Language::Es, "migrants-rights", true),
    ]);
}

#[test]
fn the_verbs_of_key_concepts_are_descriptors_of_their_own() {
    // a verb is no noun's evidence ("destinarán" is no "destinación"), so the verbs that do
    // carry a category's sense are listed, as English lists "renounce" and "repatriate"
    check(&[
        ("La autoridad podrá expulsar al extranjero o deportar a quien ingrese sin autorización.", Language::Es, "migrants-rights", true),
        ("O estrangeiro que desejar naturalizar-se apresentará o pedido de naturalizar ao Ministério.", Language::Pt, "nationality", true),
    ]);
}
