//! Normative modality of a provision: obligation, permission, prohibition or other, with the
//! words that decided it. Deterministic rules over the folded, lowercased text: negated modals
//! are prohibitions, deontic verbs (shall, deberá, doit, deverá) and the Spanish legislative
//! future ("los cónsules expedirán") are obligations, "may"/"podrá"/"tendrá derecho" are
//! permissions; definitions, entry-into-force and publication clauses are "other".

use crate::corpus::model::Language;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModalityResult {
    pub modality: Modality,
    pub evidence: Vec<String>,
}

// Cues are matched on folded lowercase text padded with spaces, so " shall not " etc.
const PROHIBITION: &[(&str, &[&str])] = &[
    (
        "es",
        &[
            " no podra ",
            " no podran ",
            " no puede ",
            " no pueden ",
            " se prohibe ",
            " queda prohibido ",
            " queda prohibida ",
            " prohibido ",
            " prohibida ",
            " no se permitira ",
            " no se admitira ",
            " no deberan ",
            " no debera ",
            " en ningun caso ",
            " ninguna persona podra ",
            " nadie podra ",
            " no se podra ",
            " no se otorgara ",
            " no se concedera ",
            " no se expedira ",
            " no seran ",
            " no sera ",
            // sanctions: the conduct punished is prohibited
            " sera sancionado ",
            " sera sancionada ",
            " seran sancionados ",
            " seran sancionadas ",
            " sera castigado ",
            " sera penado ",
            " incurrira en ",
            " incurriran en ",
            " sera reprimido ",
            " con multa de ",
            " con pena de ",
        ],
    ),
    (
        "en",
        &[
            " shall not ",
            " may not ",
            " must not ",
            " no person shall ",
            " is prohibited ",
            " are prohibited ",
            " prohibited from ",
            " shall in no case ",
            " cannot ",
            " no person may ",
            " in no case ",
            " it is unlawful ",
            " it shall be unlawful ",
            " shall be guilty of ",
            " is guilty of ",
            " guilty of an offence ",
            " liable on summary conviction ",
            " shall be liable to a fine ",
            " shall be fined ",
            " penalty for ",
            " commits an offence ",
        ],
    ),
    (
        "fr",
        &[
            " ne peut ",
            " ne peuvent ",
            " ne doit ",
            " ne doivent ",
            " il est interdit ",
            " est interdit ",
            " ne sont pas ",
            " ne pourra ",
            " en aucun cas ",
            " nul ne peut ",
            " commet une infraction ",
            " est passible ",
            " coupable d'une infraction ",
        ],
    ),
    (
        "pt",
        &[
            " nao podera ",
            " nao poderao ",
            " nao pode ",
            " e proibido ",
            " e vedado ",
            " vedada ",
            " proibido ",
            " sera punido ",
            " serao punidos ",
        ],
    ),
];

const OBLIGATION: &[(&str, &[&str])] = &[
    (
        "es",
        &[
            " es deber ",
            " son deberes ",
            " debera ",
            " deberan ",
            " debe ",
            " deben ",
            " esta obligado ",
            " estan obligados ",
            " tendra la obligacion ",
            " tendran la obligacion ",
            " es obligacion ",
            " son obligaciones ",
            " corresponde ",
            " corresponderá ",
            " correspondera ",
            " son funciones ",
            " son atribuciones ",
            " son deberes ",
            " tendra a su cargo ",
            " se encargara ",
            " estara a cargo ",
            " es obligatorio ",
            " es obligatoria ",
            " se requiere ",
            " requerira ",
            " garantizara ",
            " se garantiza ",
            " velara ",
            " tiene a su cargo ",
            " tienen a su cargo ",
            " estan obligadas ",
            " esta obligada ",
        ],
    ),
    (
        "en",
        &[
            " shall ",
            " must ",
            " is required to ",
            " are required to ",
            " has the duty ",
            " is obliged ",
            " are obliged ",
            " is responsible for ",
            " it is the duty ",
            " will ",
            " has the primary responsibility ",
            " is responsible ",
            " are responsible ",
        ],
    ),
    (
        "fr",
        &[
            " doit ",
            " doivent ",
            " est tenu ",
            " sont tenus ",
            " il incombe ",
            " devra ",
            " devront ",
            " est charge ",
            " veille ",
        ],
    ),
    (
        "pt",
        &[
            " devera ",
            " deverao ",
            " deve ",
            " devem ",
            " compete ",
            " incumbe ",
            " e obrigatorio ",
            " esta obrigado ",
            " fica obrigado ",
            " ficam obrigados ",
            " cabe ao ",
            " cabe a ",
            " cumpre ao ",
            " e dever ",
            " sao deveres ",
        ],
    ),
];

const PERMISSION: &[(&str, &[&str])] = &[
    (
        "es",
        &[
            " podra ",
            " podran ",
            " puede ",
            " pueden ",
            " tendra derecho ",
            " tendran derecho ",
            " tiene derecho ",
            " tienen derecho ",
            " tienen el derecho ",
            " tiene el derecho ",
            " esta facultado ",
            " estan facultados ",
            " se faculta ",
            " facultase ",
            " se autoriza ",
            " autorizase ",
            " podran optar ",
            " gozaran ",
            " gozara ",
            " goza ",
            " gozan ",
            " derecho a ",
            " son derechos ",
            " tendran los siguientes derechos ",
            " estaran exentos ",
            " estara exento ",
            " quedan exentos ",
            " queda exento ",
        ],
    ),
    (
        "en",
        &[
            " may ",
            " is entitled ",
            " are entitled ",
            " has the right ",
            " have the right ",
            " shall be entitled ",
            " shall have the right ",
            " is authorized ",
            " are authorized ",
            " shall enjoy ",
            " shall be free to ",
            " is permitted ",
            " right to ",
            " shall be exempt ",
            " is exempt ",
            " are exempt ",
            " is free to ",
            " are free to ",
            " it shall be lawful ",
            " no fee is payable ",
            " is not payable ",
        ],
    ),
    (
        "fr",
        &[
            " peut ",
            " peuvent ",
            " pourra ",
            " pourront ",
            " a le droit ",
            " ont le droit ",
            " est autorise ",
            " sont autorises ",
            " jouit ",
            " jouissent ",
            " est habilite ",
            " sont exemptes ",
            " est exempte ",
            " est libre de ",
        ],
    ),
    (
        "pt",
        &[
            " podera ",
            " poderao ",
            " pode ",
            " podem ",
            " tem direito ",
            " tem o direito ",
            " e facultado ",
            " fica autorizado ",
            " gozara ",
        ],
    ),
];

const OTHER: &[(&str, &[&str])] = &[
    (
        "es",
        &[
            " comuniquese ",
            " publiquese ",
            " deroganse ",
            " derogase ",
            " entrara en vigencia ",
            " entrara en vigor ",
            " rige a partir ",
            " se entiende por ",
            " se entendera por ",
            " para los efectos de la presente ",
            " para efectos de la presente ",
            " a los efectos de la presente ",
            " definiciones ",
            " apruebase ",
            " tiene por objeto ",
            " tiene como objeto ",
            " la presente ley tiene por objeto ",
            " derogado ",
            " modificase ",
            " sustituyese ",
            " incorporase ",
            " agregase ",
            " agreganse ",
            " sustituyese ",
            " esta ley deroga ",
            " deroga ",
            " no afectaran ",
            " quedara abierta a la firma ",
            " entrara en vigor ",
            " sujeta a ratificacion ",
            " se consideraran ",
            " se considerara ",
            " se regiran ",
            " se regira ",
            " produciran efectos ",
            " producira efectos ",
            " serviran de ",
            " servira de ",
        ],
    ),
    (
        "en",
        &[
            " means ",
            " in this act ",
            " in these regulations ",
            " this act may be cited ",
            " short title ",
            " comes into force ",
            " come into force ",
            " repealed ",
            " includes ",
            " shall enter into force ",
            " open for signature ",
            " subject to ratification ",
            " instruments of ratification ",
            " is amended ",
            " are amended ",
            " shall come to an end ",
            " shall be open for signature ",
            " is subject to ratification ",
        ],
    ),
    (
        "fr",
        &[
            " s'entend ",
            " designe ",
            " la presente loi ",
            " titre abrege ",
            " entre en vigueur ",
            " abroge ",
        ],
    ),
    (
        "pt",
        &[
            " entende-se ",
            " entra em vigor ",
            " revoga-se ",
            " revogam-se ",
        ],
    ),
];

/// The cue tables, in the order `find_all` indexes them.
const TABLES: [&[(&str, &[&str])]; 4] = [PROHIBITION, OBLIGATION, PERMISSION, OTHER];

/// Every (overlapping) occurrence of every table's cues for a language in `hay`, per table, by
/// position. One DFA per language over all four tables, built once: a single pass over the text.
fn find_all(hay: &str, lang: Language) -> [Vec<(usize, &'static str)>; 4] {
    use aho_corasick::{AhoCorasick, AhoCorasickKind};
    use std::sync::OnceLock;
    type Automaton = (Vec<(usize, &'static str)>, Option<AhoCorasick>);
    static AUTOMATA: OnceLock<Vec<Automaton>> = OnceLock::new();
    let all = AUTOMATA.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|l| {
                let cues: Vec<(usize, &'static str)> = TABLES
                    .iter()
                    .enumerate()
                    .flat_map(|(ti, t)| {
                        t.iter()
                            .filter(|(c, _)| *c == l.code())
                            .flat_map(move |(_, v)| v.iter().map(move |cue| (ti, *cue)))
                    })
                    .collect();
                let ac = AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(cues.iter().map(|(_, c)| *c))
                    .ok();
                (cues, ac)
            })
            .collect()
    });
    let mut out: [Vec<(usize, &'static str)>; 4] = Default::default();
    let li = Language::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    let (cues, Some(ac)) = &all[li] else {
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

/// Future forms that state a faculty, a state of affairs or a rule's own working rather than
/// a duty ("podrá", "terá", "entrará en vigor"), per language.
const FUTURE_EXCLUDE_ES: &[&str] = &[
    "podrá",
    "podrán",
    "tendrá",
    "tendrán",
    "habrá",
    "habrán",
    "será",
    "serán",
    "estará",
    "estarán",
    "gozará",
    "gozarán",
    "entrará",
    "regirá",
    "quedará",
    "quedarán",
    "corresponderá",
    "considerará",
    "considerarán",
    "regirán",
    "producirá",
    "producirán",
    "servirá",
    "servirán",
];
const FUTURE_EXCLUDE_PT: &[&str] = &[
    "poderá",
    "poderão",
    "terá",
    "terão",
    "haverá",
    "haverão",
    "será",
    "serão",
    "estará",
    "estarão",
    "gozará",
    "gozarão",
    "entrará",
    "entrarão",
    "vigorará",
    "ficará",
    "ficarão",
    "considerará",
    "considerarão",
    "produzirá",
    "produzirão",
    "servirá",
    "servirão",
    "valerá",
];

/// The legislative future of Spanish and Portuguese: "expedirán", "lavrará", "farão" (third
/// person future, written with the accent) state duties, as do the passive "será devuelta",
/// "será feito"; after a negation ("no se efectivizará", "não será concedido") they forbid.
/// Works on the unfolded text: the accent is what tells "llevará" from "extranjera".
fn legislative_future(lower: &str, lang: Language) -> Option<(usize, String)> {
    let (exclude, endings, negation, passive): (&[&str], &[&str], &str, &[&str]) = match lang {
        Language::Es => (FUTURE_EXCLUDE_ES, &["rá", "rán"], "no", &["será", "serán"]),
        Language::Pt => (FUTURE_EXCLUDE_PT, &["rá", "rão"], "não", &["será", "serão"]),
        _ => return None,
    };
    const PARTICIPLES: &[&str] = &["ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"];
    // Portuguese irregular participles of the verbs laws use most.
    const IRREGULAR: &[&str] = &[
        "feito", "feita", "feitos", "feitas", "posto", "aberto", "escrito",
    ];
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // char offset of a word, comparable with the folded text's offsets of the other cues;
    // computed only for the word returned (searching for every word was quadratic)
    let at = |w: &str| {
        lower
            .find(w)
            .map_or(usize::MAX, |b| lower[..b].chars().count() + 1)
    };
    for (k, w) in words.iter().enumerate() {
        let negated = || {
            let before = &words[k.saturating_sub(3)..k];
            before.contains(&negation) && !before.contains(&"sino") && !before.contains(&"senão")
        };
        if passive.contains(w)
            && words.get(k + 1).is_some_and(|n| {
                PARTICIPLES.iter().any(|e| n.ends_with(e)) || IRREGULAR.contains(n)
            })
        {
            if negated() {
                return Some((at(w), format!("{negation} … {w} {}", words[k + 1])));
            }
            return Some((at(w), format!("{w} {}", words[k + 1])));
        }
        if w.chars().count() >= 4 && endings.iter().any(|e| w.ends_with(e)) && !exclude.contains(w)
        {
            if negated() {
                return Some((at(w), format!("{negation} … {w}")));
            }
            return Some((at(w), w.to_string()));
        }
    }
    None
}

/// English "No person shall", "No passport may be issued": a negated subject forbids.
fn negated_subject(hay: &str) -> Option<usize> {
    let words: Vec<&str> = hay.split(' ').collect();
    let mut pos = 0;
    for (k, w) in words.iter().enumerate() {
        if *w == "no"
            && words[k + 1..]
                .iter()
                .take(4)
                .any(|n| *n == "shall" || *n == "may")
        {
            return Some(pos);
        }
        pos += w.len() + 1;
    }
    None
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
    let [pro, obl, per, oth] = find_all(head, lang);
    // clause types count only in the first 200 characters
    let short = crate::text::char_offset(&hay, 200);
    let oth: Vec<_> = oth
        .into_iter()
        .filter(|(i, c)| i + c.len() <= short)
        .collect();
    // Negated permission cues ("no podrá") also contain the permission cue: drop overlaps.
    let per: Vec<_> = per
        .into_iter()
        .filter(|(i, _)| !pro.iter().any(|(j, c)| *i >= *j && *i < j + c.len()))
        .collect();
    let obl: Vec<_> = obl
        .into_iter()
        .filter(|(i, _)| !pro.iter().any(|(j, c)| *i >= *j && *i < j + c.len()))
        .collect();
    // "shall be entitled", "shall not" overlaps: a permission/prohibition cue that contains an
    // obligation cue wins.
    let obl: Vec<_> = obl
        .into_iter()
        .filter(|(i, _)| !per.iter().any(|(j, c)| *i >= *j && *i < j + c.len()))
        .collect();
    let ev = |v: &[(usize, &str)]| {
        v.iter()
            .map(|(_, c)| c.trim().to_string())
            .take(3)
            .collect::<Vec<_>>()
    };

    let first = |v: &[(usize, &str)]| v.first().map(|(i, _)| *i).unwrap_or(usize::MAX);
    // Definitions, amendments and final clauses: the clause type precedes any modal verb in it.
    let first_modal = first(&pro).min(first(&obl)).min(first(&per));
    if !oth.is_empty() && (first(&oth) <= first_modal || obl.len() + per.len() + pro.len() <= 1) {
        return ModalityResult {
            modality: Modality::Other,
            evidence: ev(&oth),
        };
    }
    let mut candidates = vec![
        (Modality::Prohibition, first(&pro), pro.len(), ev(&pro)),
        (Modality::Obligation, first(&obl), obl.len(), ev(&obl)),
        (Modality::Permission, first(&per), per.len(), ev(&per)),
    ];
    if matches!(lang, Language::Es | Language::Pt) {
        // the opening only, lowercased in one pass
        let opening: String = text
            .chars()
            .take(900)
            .flat_map(char::to_lowercase)
            .collect();
        if let Some((at, w)) = legislative_future(&opening, lang) {
            let m = if w.starts_with("no …") || w.starts_with("não …") {
                Modality::Prohibition
            } else {
                Modality::Obligation
            };
            candidates.push((m, at, 1, vec![w]));
        }
    }
    if lang == Language::En {
        if let Some(at) = negated_subject(head) {
            candidates.push((Modality::Prohibition, at, 1, vec!["no … shall".to_string()]));
        }
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
}
