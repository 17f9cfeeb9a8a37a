//! Normative modality of a provision: obligation, permission, prohibition or other, with the
//! words that decided it. Deterministic rules over the folded, lowercased text: negated modals
//! are prohibitions, deontic verbs (shall, deberá, doit, deverá) and the Spanish legislative
//! future ("los cónsules expedirán") are obligations, "may"/"podrá"/"tendrá derecho" are
//! permissions; definitions, entry-into-force and publication clauses are "other". The cue
//! tables are in `cues`; this module holds the types and the rules that read them.

mod cues;

use crate::text::Language;
use cues::{
    amendment_cues, cues, definition_cues, function_words, future, negative_subject,
    DEFINITION_HEADINGS, IRREGULAR, NEGATION_BREAKERS, NOUN_MEANS, PARTICIPLES, PRONOUNS,
    REFERENCE_NOUNS, RELATIVES,
};
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Obligation,
    Permission,
    Prohibition,
    Other,
}

impl Modality {
    pub const ALL: [Modality; 4] = [
        Modality::Obligation,
        Modality::Permission,
        Modality::Prohibition,
        Modality::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Obligation => "obligation",
            Modality::Permission => "permission",
            Modality::Prohibition => "prohibition",
            Modality::Other => "other",
        }
    }
    /// Strength for ranking: obligations first.
    pub fn rank(self) -> u8 {
        match self {
            Modality::Obligation => 0,
            Modality::Prohibition => 1,
            Modality::Permission => 2,
            Modality::Other => 3,
        }
    }
}

impl std::str::FromStr for Modality {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Modality::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("'{s}' is not one of obligation, permission, prohibition, other")
            })
    }
}

/// The decision and the cue words found.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ModalityResult {
    pub modality: Modality,
    pub evidence: Vec<String>,
}

/// A cue found by a rule beyond the tables (the legislative future, a negated subject): the
/// modality it signals, where (a char offset comparable with the folded text's), and the
/// words, as evidence.
#[derive(Debug, Clone, PartialEq)]
struct Hit {
    modality: Modality,
    at: usize,
    evidence: String,
}

/// A table cue found: its char offset in the folded text, and the cue.
type CueAt = (usize, &'static str);

/// Every (overlapping) occurrence of every table's cues for a language in `hay`, per table
/// (prohibition, obligation, permission, other), by position. One DFA per language over all
/// four tables, built once: a single pass over the text.
fn find_all(hay: &str, lang: Language) -> [Vec<CueAt>; 4] {
    use aho_corasick::{AhoCorasick, AhoCorasickKind};
    use std::sync::OnceLock;
    type Automaton = (Vec<(usize, &'static str)>, Option<AhoCorasick>);
    static AUTOMATA: OnceLock<Vec<Automaton>> = OnceLock::new();
    let all = AUTOMATA.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|l| {
                let cues: Vec<(usize, &'static str)> = cues(*l)
                    .tables()
                    .into_iter()
                    .enumerate()
                    .flat_map(|(ti, t)| t.iter().map(move |cue| (ti, *cue)))
                    .collect();
                let ac = AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(cues.iter().map(|(_, c)| *c))
                    .ok();
                (cues, ac)
            })
            .collect()
    });
    let mut out: [Vec<CueAt>; 4] = Default::default();
    let (cues, Some(ac)) = &all[lang.index()] else {
        return out;
    };
    for m in ac.find_overlapping_iter(hay) {
        let (table, cue) = cues[m.pattern().as_usize()];
        out[table].push((m.start(), cue));
    }
    for v in &mut out {
        v.sort();
    }
    out
}

/// The legislative future of Spanish and Portuguese: "expedirán", "lavrará", "farão" (third
/// person future, written with the accent) state duties, as do the passive "será devuelta",
/// "será feito"; after a negation ("no se efectivizará", "não será concedido") they forbid.
/// Works on the lowercased, unfolded text (`lower`): the accent is what tells "llevará" from
/// "extranjera". `starts` are the byte offsets of the words of the folded text, which has the
/// same words in the same order, so the hit's position is comparable with the other cues'.
fn legislative_future(lower: &str, starts: &[usize], lang: Language) -> Option<Hit> {
    let f = future(lang)?;
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = |k: usize| starts.get(k).copied().unwrap_or(usize::MAX);
    for (k, w) in words.iter().enumerate() {
        let negated = || {
            let before = &words[k.saturating_sub(3)..k];
            before.contains(&f.negation) && !NEGATION_BREAKERS.iter().any(|b| before.contains(b))
        };
        // the participle may follow a subject pronoun ("será ele posto em liberdade")
        let gap = usize::from(words.get(k + 1).is_some_and(|n| PRONOUNS.contains(n)));
        let passive =
            f.passive.contains(w) && words.get(k + 1 + gap).is_some_and(|n| participle(n));
        let phrase = if passive {
            format!("{w} {}", words[k + 1 + gap])
        } else if w.chars().count() >= 4
            && f.endings.iter().any(|e| w.ends_with(e))
            && !f.exclude.contains(w)
        {
            w.to_string()
        } else {
            continue;
        };
        let (modality, evidence) = if negated() {
            (Modality::Prohibition, format!("{} … {phrase}", f.negation))
        } else {
            (Modality::Obligation, phrase)
        };
        return Some(Hit {
            modality,
            at: at(k),
            evidence,
        });
    }
    None
}

/// A past participle after a passive future: a regular one ("devuelta", "inscritos"), which
/// has no written accent but on the "í" of "-ído" ("válida" is an adjective), or an irregular
/// one ("hecho", "feito").
fn participle(word: &str) -> bool {
    (PARTICIPLES.iter().any(|e| word.ends_with(e)) && !word.contains(['á', 'é', 'ó', 'ú']))
        || IRREGULAR.contains(&word)
}

/// The byte offsets of the words of a folded text (`crate::text::folded_words`).
fn word_starts(hay: &str) -> Vec<usize> {
    let b = hay.as_bytes();
    (1..b.len())
        .filter(|&i| b[i - 1] == b' ' && b[i] != b' ')
        .collect()
}

/// Spanish "Ningún extranjero podrá", Portuguese "Nenhum brasileiro será", French "Aucun
/// passeport ne…": a negative subject forbids what its verb says, whatever the verb.
fn negative_subject_hit(hay: &str, starts: &[usize], lang: Language) -> Option<Hit> {
    let ns = negative_subject(lang)?;
    let words: Vec<&str> = hay.split(' ').filter(|w| !w.is_empty()).collect();
    for (k, w) in words.iter().enumerate() {
        if !ns.subjects.contains(w) {
            continue;
        }
        let verb = words[k + 1..].iter().take(8).find(|n| {
            ns.verbs.contains(n)
                || ns
                    .verbs
                    .iter()
                    .any(|v| v.ends_with('\'') && n.starts_with(v))
        });
        if let Some(v) = verb {
            return Some(Hit {
                modality: Modality::Prohibition,
                at: starts.get(k).copied().unwrap_or(usize::MAX),
                evidence: format!("{w} … {v}"),
            });
        }
    }
    None
}

/// Whether a provision is a definitions clause: its opening (the first 200 characters) says
/// it defines a term, and it defines more than one or its heading says "Definitions". Such a
/// clause names many subjects and provides for none of them (see `Annotator`).
pub fn definitions(text: &str, heading: &str, lang: Language) -> bool {
    let opening_end = crate::text::char_offset(text, 3000);
    let hay = crate::text::folded_words(&text[..opening_end]);
    let short = crate::text::char_offset(&hay, 200);
    let cues = definition_cues(lang);
    if !cues.iter().any(|c| hay[..short].contains(c)) {
        return false;
    }
    let count: usize = cues.iter().map(|c| hay.matches(c).count()).sum();
    let head = crate::text::fold_lower(heading);
    let head = head.trim().trim_end_matches(['.', ':']);
    count >= 2 || DEFINITION_HEADINGS.contains(&head)
}

/// Whether the English cue " may " at `i` of the folded text is the month ("1 May 1998",
/// "May 5"), not the modal.
/// A number before "may" is a day only when it is no reference: "Article 10 may accede" is
/// the modal after an article's number.
fn month_may(hay: &str, i: usize) -> bool {
    let next = hay[i + " may ".len()..].chars().next();
    let mut before = hay[..i].rsplit(' ');
    let prev = before.next().unwrap_or("");
    let reference = before.next().is_some_and(|w| REFERENCE_NOUNS.contains(&w));
    next.is_some_and(|c| c.is_ascii_digit())
        || (!prev.is_empty() && prev.chars().all(|c| c.is_ascii_digit()) && !reference)
}

/// The word before the cue at `i` of a folded text (its leading space at `i`).
fn word_before(hay: &str, i: usize) -> &str {
    hay[..i].rsplit(' ').next().unwrap_or("")
}

/// Whether the English cue at `i` is inside a relative clause ("Anything that is required to
/// be done ... may be done by"): it qualifies the subject, the main clause states the rule.
fn relative(hay: &str, i: usize) -> bool {
    RELATIVES.contains(&word_before(hay, i))
}

/// English "No person shall", "No passport may be issued": a negated subject forbids.
/// A "No" that opens the provision may govern a longer subject ("No fees named in the tariff
/// of consular fees prescribed by order of the President shall be charged") than one inside it.
fn negated_subject(hay: &str) -> Option<Hit> {
    let words: Vec<&str> = hay.split(' ').collect();
    let mut pos = 0;
    // the first word (`hay` starts with a space, so words[0] is empty)
    let first = words.iter().position(|w| !w.is_empty()).unwrap_or(0);
    for (k, w) in words.iter().enumerate() {
        let reach = if k == first { OPENING_SUBJECT_WORDS } else { 4 };
        if *w == "no"
            && words[k + 1..]
                .iter()
                .take(reach)
                .any(|n| *n == "shall" || *n == "may")
        {
            return Some(Hit {
                modality: Modality::Prohibition,
                at: pos,
                evidence: "no … shall".to_string(),
            });
        }
        pos += w.len() + 1;
    }
    None
}

/// The cues of `v` that do not start inside one of `of`: a longer cue that contains a shorter
/// one of another table ("no podrá" contains "podrá", "shall be entitled" "shall") wins.
fn outside(v: Vec<CueAt>, of: &[CueAt]) -> Vec<CueAt> {
    v.into_iter()
        .filter(|(i, _)| !of.iter().any(|(j, c)| *i >= *j && *i < j + c.len()))
        .collect()
}

/// How far an English "No" that opens a provision reaches for its "shall" or "may".
const OPENING_SUBJECT_WORDS: usize = 15;

/// How many words make a heading a sentence of the provision rather than a title: some
/// readers (the Paraguayan laws) put a provision's first sentence in its heading.
const HEADING_SENTENCE_WORDS: usize = 8;
/// How far into a provision an amendment's lead-in ends and the text it inserts begins.
const AMENDMENT_LEAD_IN: usize = 400;

/// Decides the modality of a provision from its text and heading. Beyond `classify` of the
/// text: a heading that is a sentence (at least `HEADING_SENTENCE_WORDS` words) opens the
/// provision; an amendment that inserts quoted text ("Sustitúyese el artículo 10 por el
/// siguiente: \"El pago deberá...\"") has the modality of the text it inserts; and a provision
/// with no cue whose heading or opening names functions, duties or requirements (a list of an
/// office's functions, a list of requirements) states duties, as does a list whose lead-in is
/// its heading ("La mesa dará preferencia a:"). "Requisitos de ley" in a sentence is no list.
pub fn classify_provision(text: &str, heading: &str, lang: Language) -> ModalityResult {
    let heading = heading.trim();
    let sentence = heading.split_whitespace().count() >= HEADING_SENTENCE_WORDS;
    let joined;
    let body = if sentence {
        joined = format!("{heading} {text}");
        joined.as_str()
    } else {
        text
    };
    let decided = classify(body, lang);
    // A title joined as a sentence ("Fees for services to vessels prohibited") must not hide
    // the negative subject that opens the text itself ("No fees ... shall be charged").
    if sentence && decided.modality != Modality::Prohibition && opens_negatively(text) {
        let own = classify(text, lang);
        if own.modality == Modality::Prohibition {
            return own;
        }
    }
    if decided.modality != Modality::Other {
        return decided;
    }
    if let Some(inserted) = inserted_text(text, lang) {
        let inner = classify(inserted, lang);
        if !inner.evidence.is_empty() {
            return inner;
        }
    }
    if !decided.evidence.is_empty() {
        return decided;
    }
    if heading.ends_with(':') && !sentence {
        let lead = classify(heading, lang);
        if lead.modality != Modality::Other {
            return lead;
        }
    }
    // a list (two items or more) of functions or requirements: its heading or lead-in says so
    let (_, items) = super::shape::shape(text);
    let opening_end = crate::text::char_offset(text, 300);
    let opening = crate::text::folded_words(&format!("{heading} {}", &text[..opening_end]));
    // the U.S. Code numbers its paragraphs "(1)", "(2)"
    let list = items >= 2 || (text.contains("(1)") && text.contains("(2)"));
    if let Some(w) = function_words(lang)
        .iter()
        .find(|w| list && opening.contains(*w))
    {
        return ModalityResult {
            modality: Modality::Obligation,
            evidence: vec![w.trim().to_string()],
        };
    }
    decided
}

/// Whether a text's first word is a negative subject's ("No", "Ningún", "Aucun", "Nenhum"):
/// only then can the text alone be a prohibition its joined heading hid (a cheap guard, since
/// classifying the text again costs a pass over its opening).
fn opens_negatively(text: &str) -> bool {
    const NEGATIVE: &[&str] = &[
        "no", "ningun", "ninguna", "nadie", "aucun", "aucune", "nul", "nulle", "nenhum", "nenhuma",
        "ninguem",
    ];
    text.split_whitespace()
        .next()
        .is_some_and(|w| NEGATIVE.contains(&crate::text::fold_lower(w).as_str()))
}

/// The text an amendment inserts: what follows the first colon and opening quote in its
/// lead-in, when the lead-in says it amends ("por el siguiente:", "is amended by adding").
fn inserted_text(text: &str, lang: Language) -> Option<&str> {
    let end = crate::text::char_offset(text, AMENDMENT_LEAD_IN);
    let lead = &text[..end];
    let colon = lead.find(':')?;
    let after = &text[colon + 1..];
    let quote = after.trim_start();
    let open = quote
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '“' | '«' | '\''))?;
    let lead_in = crate::text::folded_words(&text[..colon]);
    amendment_cues(lang)
        .iter()
        .any(|c| lead_in.contains(c))
        .then(|| &quote[open.len_utf8()..])
}

/// Decides the modality of a provision text (its own words; headings do not carry modality).
pub fn classify(text: &str, lang: Language) -> ModalityResult {
    // Only the opening decides (see below): fold just that much of long texts.
    let opening_end = crate::text::char_offset(text, 1200);
    let text = &text[..opening_end];
    let hay = crate::text::folded_words(text);
    // Only the opening of a long provision decides its character; later sentences are
    // usually exceptions and procedure.
    let window = crate::text::char_offset(&hay, 900);
    let head = &hay[..window];
    let [pro, obl, mut per, oth] = find_all(head, lang);
    let [pro, mut obl, oth] = [pro, obl, oth];
    if lang == Language::En {
        per.retain(|(i, c)| !(*c == " may " && month_may(head, *i)));
        // a cue in a relative clause qualifies the subject; the main clause decides
        obl.retain(|(i, _)| !relative(head, *i));
        per.retain(|(i, _)| !relative(head, *i));
    }
    // "by electronic means" is no definition: "means" is a noun after these words
    let oth: Vec<_> = oth
        .into_iter()
        .filter(|(i, c)| !(*c == " means " && NOUN_MEANS.contains(&word_before(head, *i))))
        .collect();
    // clause types count only in the first 200 characters
    let short = crate::text::char_offset(&hay, 200);
    let oth: Vec<_> = oth
        .into_iter()
        .filter(|(i, c)| i + c.len() <= short)
        .collect();
    // Negated permission cues ("no podrá") also contain the permission cue: drop overlaps.
    let per = outside(per, &pro);
    let obl = outside(obl, &pro);
    // "shall be entitled", "shall not" overlaps: a permission/prohibition cue that contains an
    // obligation cue wins.
    let obl = outside(obl, &per);
    let ev = |v: &[CueAt]| {
        v.iter()
            .map(|(_, c)| c.trim().to_string())
            .take(3)
            .collect::<Vec<_>>()
    };

    let first = |v: &[CueAt]| v.first().map(|(i, _)| *i).unwrap_or(usize::MAX);
    // Definitions, amendments and final clauses: the clause type precedes any modal verb in it.
    let first_modal = first(&pro).min(first(&obl)).min(first(&per));
    if !oth.is_empty() && (first(&oth) <= first_modal || obl.len() + per.len() + pro.len() <= 1) {
        return ModalityResult {
            modality: Modality::Other,
            evidence: ev(&oth),
        };
    }
    // (modality, first position, cues found, evidence)
    let mut candidates = vec![
        (Modality::Prohibition, first(&pro), pro.len(), ev(&pro)),
        (Modality::Obligation, first(&obl), obl.len(), ev(&obl)),
        (Modality::Permission, first(&per), per.len(), ev(&per)),
    ];
    let starts = word_starts(head);
    let rules = match lang {
        Language::Es | Language::Pt => {
            // the opening only, lowercased in one pass
            let opening: String = text
                .chars()
                .take(900)
                .flat_map(char::to_lowercase)
                .collect();
            [
                legislative_future(&opening, &starts, lang),
                negative_subject_hit(head, &starts, lang),
            ]
        }
        Language::En => [negated_subject(head), None],
        Language::Fr => [negative_subject_hit(head, &starts, lang), None],
    };
    for h in rules.into_iter().flatten() {
        candidates.push((h.modality, h.at, 1, vec![h.evidence]));
    }
    candidates.retain(|c| c.2 > 0);
    if candidates.is_empty() {
        return ModalityResult {
            modality: Modality::Other,
            evidence: ev(&oth),
        };
    }
    // The first deontic cue states the provision's rule; later ones qualify it.
    candidates.sort_by_key(|c| c.1);
    let c = &candidates[0];
    ModalityResult {
        modality: c.0,
        evidence: c.3.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn modality_table() {
        let cases = [
            (
                "Los cónsules no podrán ejercer el comercio.",
                Es,
                Modality::Prohibition,
            ),
            (
                "El cónsul podrá expedir pasaportes provisionales.",
                Es,
                Modality::Permission,
            ),
            (
                "El cónsul deberá notificar a la familia.",
                Es,
                Modality::Obligation,
            ),
            (
                "Los consulados llevarán un registro de nacionales.",
                Es,
                Modality::Obligation,
            ),
            (
                "Toda persona extranjera tendrá derecho a la salud.",
                Es,
                Modality::Permission,
            ),
            (
                "Se prohíbe la expulsión colectiva.",
                Es,
                Modality::Prohibition,
            ),
            (
                "Para los efectos de la presente ley se entiende por consulado la oficina...",
                Es,
                Modality::Other,
            ),
            ("Comuníquese, publíquese y archívese.", Es, Modality::Other),
            (
                "The consular officer shall inform the person concerned without delay.",
                En,
                Modality::Obligation,
            ),
            (
                "The Minister may issue a passport to any citizen.",
                En,
                Modality::Permission,
            ),
            (
                "A consular officer shall not exercise any professional activity.",
                En,
                Modality::Prohibition,
            ),
            (
                "In this Act, consular officer means a consul-general.",
                En,
                Modality::Other,
            ),
            (
                "Le fonctionnaire consulaire doit informer l'intéressé.",
                Fr,
                Modality::Obligation,
            ),
            (
                "Le ministre peut délivrer un passeport.",
                Fr,
                Modality::Permission,
            ),
            (
                "Nul ne peut être privé de sa nationalité.",
                Fr,
                Modality::Prohibition,
            ),
            (
                "O cônsul deverá prestar assistência aos presos.",
                Pt,
                Modality::Obligation,
            ),
            (
                "O cônsul não poderá recusar o pedido.",
                Pt,
                Modality::Prohibition,
            ),
            (
                "O brasileiro no exterior poderá votar.",
                Pt,
                Modality::Permission,
            ),
            // The Portuguese legislative future, active and passive, states a duty...
            (
                "Os oficiais lavrarão o assento no livro próprio.",
                Pt,
                Modality::Obligation,
            ),
            (
                "O registro será feito no cartório do domicílio.",
                Pt,
                Modality::Obligation,
            ),
            // ... and forbids after a negation.
            (
                "Não será concedida a extradição quando o fato não constituir crime.",
                Pt,
                Modality::Prohibition,
            ),
            // A future of state or faculty is no duty.
            (
                "O prazo ficará suspenso durante o recesso.",
                Pt,
                Modality::Other,
            ),
            (
                "Cabe ao oficial de registro fiscalizar o pagamento dos emolumentos.",
                Pt,
                Modality::Obligation,
            ),
        ];
        for (text, lang, want) in cases {
            assert_eq!(classify(text, lang).modality, want, "{text}");
        }
    }

    #[test]
    fn cue_classes_per_language() {
        let cases = [
            // the enclitic imperative of a prohibition, and abstention
            ("Prohíbese a los funcionarios ejercer el comercio.", Es, Modality::Prohibition),
            ("Toda autoridad se abstendrá de devolver al solicitante.", Es, Modality::Prohibition),
            // negative subjects, whatever their verb
            ("Ningún trabajador migratorio será sometido a servidumbre.", Es, Modality::Prohibition),
            ("Nenhum brasileiro será extraditado.", Pt, Modality::Prohibition),
            ("Aucun passeport n'est délivré à une personne sans preuve.", Fr, Modality::Prohibition),
            // the passive future with an irregular participle states a duty ...
            ("La patente será devuelta al Ministerio.", Es, Modality::Obligation),
            // ... an adjective is no participle, and deeming is no duty
            ("Se entenderá que los nacionales actúan como tales.", Es, Modality::Other),
            // the month is no modal
            ("On May 1, 1998, the Secretary shall report to Congress.", En, Modality::Obligation),
            // a sanction later in the sentence is where it is, not where its verb first occurs
            ("Serán responsables las empresas que desobedezcan la orden y serán sancionados con multa.", Es, Modality::Prohibition),
        ];
        for (text, lang, want) in cases {
            assert_eq!(classify(text, lang).modality, want, "{text}");
        }
        assert_ne!(
            classify("La inscripción será válida si se hace ante el cónsul.", Es).modality,
            Modality::Obligation
        );
        // every cue is listed once
        for l in Language::ALL {
            for t in cues(l).tables() {
                let mut seen = std::collections::HashSet::new();
                for c in t {
                    assert!(seen.insert(c), "{c:?} twice");
                    assert!(c.is_ascii(), "{c:?} is not folded");
                }
            }
        }
    }

    #[test]
    fn cue_classes_of_the_second_pass() {
        let cases = [
            // a number before "may" that follows a reference noun is no day of May
            (
                "Any State not referred to in Article 10 may accede to the Convention.",
                En,
                Modality::Permission,
            ),
            // a cue in a relative clause qualifies the subject; the main clause decides
            (
                "Anything that is required to be done by the Minister may be done by a delegate.",
                En,
                Modality::Permission,
            ),
            // "by electronic means" is no definition
            (
                "The notice may be sent by mail or by electronic means.",
                En,
                Modality::Permission,
            ),
            // a charge in the present
            (
                "Los procedimientos están a cargo de la autoridad migratoria.",
                Es,
                Modality::Obligation,
            ),
            (
                "A existência de processo não impede a saída voluntária.",
                Pt,
                Modality::Permission,
            ),
            // the passive future with a pronoun before its participle
            (
                "Findo o prazo, será ele posto em liberdade.",
                Pt,
                Modality::Obligation,
            ),
        ];
        for (text, lang, want) in cases {
            assert_eq!(classify(text, lang).modality, want, "{text}");
        }
    }

    #[test]
    fn negative_subjects_and_exemptions() {
        let p = |t: &str, l| classify_provision(t, "", l).modality;
        // a "No" that opens the provision reaches a long subject
        assert_eq!(p("No fees named in the tariff of consular fees prescribed by order of the President shall be charged.", En), Modality::Prohibition);
        // inside the provision, "no" is a determiner only close to its verb
        assert_eq!(p("The consul shall act where no treaty named in the schedule of agreements of the State may apply.", En), Modality::Obligation);
        // no fee owed is an exemption, as "No fee is payable" is
        assert_eq!(
            p(
                "Aucun droit n'est exigible pour la délivrance d'un titre de voyage d'urgence.",
                Fr
            ),
            Modality::Permission
        );
    }

    #[test]
    fn a_provision_is_decided_by_its_main_clause_heading_and_inserted_text() {
        let p = |t: &str, h: &str, l| classify_provision(t, h, l).modality;
        // a heading that is the provision's first sentence opens it
        assert_eq!(
            p(
                "Los demás funcionarios conservan su rango.",
                "El Poder Ejecutivo podrá nombrar agregados en las misiones.",
                Es
            ),
            Modality::Permission
        );
        // a short heading is a title: it does not
        assert_eq!(
            p(
                "Los funcionarios conservan su rango.",
                "Agregados podrá",
                Es
            ),
            Modality::Other
        );
        // an amendment that inserts quoted text has the inserted text's modality
        assert_eq!(
            p("Sustitúyese el artículo 4 por el siguiente: \"El solicitante deberá presentar su pasaporte.\"", "", Es),
            Modality::Obligation
        );
        // ... and an amendment without inserted text is none
        assert_eq!(
            p("Derógase el artículo 4 de la ley.", "", Es),
            Modality::Other
        );
        assert_eq!(
            p(
                "Incorpóranse las siguientes modificaciones: 1. Intercálase la palabra cónsul.",
                "",
                Es
            ),
            Modality::Other
        );
        // a list of an office's functions, or of requirements, with no cue of its own
        assert_eq!(
            p(
                "(1) represent the interests of the State; (2) provide guidance.",
                "Functions of the Service",
                En
            ),
            Modality::Obligation
        );
        assert_eq!(
            p(
                "1) Certificado de nacimiento. 2) Cédula de identidad.",
                "Requisitos para la residencia:",
                Es
            ),
            Modality::Obligation
        );
        // a list whose lead-in is its heading takes the heading's cue
        assert_eq!(
            p(
                "a) mujeres embarazadas; b) personas mayores.",
                "La mesa dará preferencia a:",
                Es
            ),
            Modality::Obligation
        );
        // the word in a sentence that is no list is none
        assert_eq!(
            p("La inscripción se hace con los requisitos de ley.", "", Es),
            Modality::Other
        );
        // with no cue and no such word, none
        assert_eq!(
            p(
                "1) Certificado de nacimiento. 2) Cédula de identidad.",
                "Anexo",
                Es
            ),
            Modality::Other
        );
    }

    #[test]
    fn the_legislative_future_says_its_modality_in_its_type() {
        let hit = |t: &str, l| {
            let hay = crate::text::folded_words(t);
            legislative_future(&t.to_lowercase(), &word_starts(&hay), l)
                .map(|h| (h.modality, h.evidence))
        };
        assert_eq!(
            hit("Não será concedida a extradição.", Pt),
            Some((Modality::Prohibition, "não … será concedida".to_string()))
        );
        assert_eq!(
            hit("Los consulados llevarán un registro.", Es),
            Some((Modality::Obligation, "llevarán".to_string()))
        );
        // "sino" undoes the negation before it
        assert_eq!(
            hit("No el juez sino el cónsul expedirá el pasaporte.", Es).map(|h| h.0),
            Some(Modality::Obligation)
        );
        assert_eq!(hit("The consul shall issue.", En), None);
        assert_eq!(
            negated_subject(" no person shall enter ").map(|h| h.modality),
            Some(Modality::Prohibition)
        );
    }

    #[test]
    fn conditions_in_the_indicative_are_duties() {
        let cases = [
            ("El trámite está sujeto al pago de un derecho.", Es),
            ("Es necesario que se presente copia del acta.", Es),
            ("La expedición del pasaporte estará condicionada al consentimiento de ambos padres.", Es),
            ("O pedido está sujeito ao pagamento de emolumentos.", Pt),
        ];
        for (text, lang) in cases {
            assert_eq!(
                classify(text, lang).modality,
                Modality::Obligation,
                "{text}"
            );
        }
    }

    #[test]
    fn a_title_joined_as_a_sentence_does_not_hide_a_negative_subject() {
        // a heading of eight words or more opens the provision, but "No fees ... shall"
        // still opens the text
        let heading = "Fees for services to vessels or seamen of the United States prohibited";
        let text = "No fees named in the tariff of consular fees prescribed by order of the President shall be charged for such services.";
        assert_eq!(
            classify_provision(text, heading, En).modality,
            Modality::Prohibition
        );
    }
}
