//! The role a provision plays in its law, read from its own words: whether it creates a service,
//! a duty of the state or its officials, a right or guarantee of persons, a procedure or an
//! institution (the substance a legislator can take as a model), or whether it is a penalty, a
//! definition, a transitional or final clause, a pure delegation to a regulation or a ministry,
//! or a repeal note (weak models, whatever their category). The comparisons rank exemplars by it
//! (`compare::exemplar`); it never changes a tag or a modality.
//!
//! General cue rules per language over the folded words (`text::folded_words`), looked for in
//! the heading and in the opening of the text, where a provision says what it does: a sanction
//! clause that ends a long article on consular duties is still an article on consular duties.

mod cues;

use super::modality::Modality;
use super::types::{Field, Tag};
use crate::text::Language;
use cues::cues;
use serde::{Deserialize, Serialize};

/// What a provision does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Creates a body, register, fund or programme.
    Institution,
    /// Grants a right or guarantee to persons.
    Right,
    /// Sets a duty or function of the state or its officials.
    Duty,
    /// Provides something to persons (assistance, documents, aid).
    Service,
    /// Sets the steps, requirements or time limits of a procedure.
    Procedure,
    /// None of the above was recognised: a declaration, a rule without a cue.
    #[default]
    Other,
    /// A penalty, sanction or offence.
    Penalty,
    /// A definition of terms.
    Definition,
    /// A transitional, entry-into-force, publication or repealing (final) clause.
    Transitional,
    /// Only delegates the matter to a regulation, a decree or a ministry.
    Delegation,
    /// A repealed or vetoed article kept as a note, or an empty text.
    RepealNote,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Institution,
        Role::Right,
        Role::Duty,
        Role::Service,
        Role::Procedure,
        Role::Other,
        Role::Penalty,
        Role::Definition,
        Role::Transitional,
        Role::Delegation,
        Role::RepealNote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Institution => "institution",
            Role::Right => "right",
            Role::Duty => "duty",
            Role::Service => "service",
            Role::Procedure => "procedure",
            Role::Other => "other",
            Role::Penalty => "penalty",
            Role::Definition => "definition",
            Role::Transitional => "transitional",
            Role::Delegation => "delegation",
            Role::RepealNote => "repeal_note",
        }
    }

    /// Creates a service, duty, right, procedure or institution: a model in substance.
    pub fn substantive(self) -> bool {
        matches!(
            self,
            Role::Institution | Role::Right | Role::Duty | Role::Service | Role::Procedure
        )
    }

    /// A penalty, definition, transitional clause, delegation or repeal note: never offered
    /// first as a model, whatever its category.
    pub fn weak(self) -> bool {
        matches!(
            self,
            Role::Penalty
                | Role::Definition
                | Role::Transitional
                | Role::Delegation
                | Role::RepealNote
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a provision addresses as the bearer of its duty, when it names one in its opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// Consuls, consular officers, consular posts.
    Consuls,
    /// Embassies, diplomatic missions, representations abroad.
    Missions,
    /// The ministry, its secretary, the foreign service's administration.
    Ministry,
    /// The state, its government or executive.
    State,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Consuls => "consuls",
            Actor::Missions => "missions",
            Actor::Ministry => "ministry",
            Actor::State => "state",
        }
    }
}

/// A provision's role, its duty-bearer and the cue words that decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct ProvisionRole {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Names the persons it serves (nationals, citizens, migrants, persons).
    #[serde(default)]
    pub persons: bool,
    /// The cue words found, as folded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The text is laid out as two columns read across, or carries marginal notes inside its
    /// lines (see `interleaved`): unreadable as a model whatever its words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interleaved: bool,
    /// It binds private parties (carriers, candidates, "any person"), not the state.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    /// Treaty wording ("los Estados Partes", "Contracting Parties") reproduced as national law:
    /// an obligation of states under the treaty, not a national model.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub treaty_text: bool,
    /// It names a consular or foreign element (consuls, missions, abroad, foreigners): a
    /// provision of consular law rather than of domestic administration.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub foreign: bool,
    /// Immigration control or enforcement on foreigners: its heading or opening names a
    /// control authority or power (inspection, detention, removal, expulsion of aliens) and it
    /// names foreigners. A rule of the state's migration control, not of the protection of its
    /// nationals abroad, whatever words of detention or emergency it uses.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub control: bool,
}

/// What the classifier reads of a provision.
pub struct RoleInput<'a> {
    pub text: &'a str,
    pub heading: &'a str,
    /// Its enclosing headings, joined.
    pub hierarchy: &'a str,
    pub language: Language,
    /// Repealed or vetoed: a note, not law.
    pub repealed: bool,
    /// A transitory article (of the original law or of a reform decree).
    pub transitory: bool,
    pub modality: Modality,
}

/// Words of the opening read for the weak clause types: a definition, a sanction or a
/// delegation says so in its first sentence.
const OPENING_WORDS: usize = 40;
/// Words read for the substantive kinds.
const SUBSTANCE_WORDS: usize = 80;
/// A text this short that names a repeal is a repeal note ("Derogado.", "[Repealed, 2001]").
const NOTE_WORDS: usize = 15;
/// Words read for the duty-bearer (or a private party bound instead): the subject of the first
/// sentence.
const ACTOR_WORDS: usize = 12;

/// A tag within this share of a provision's best tag's score is one of its primary subjects;
/// below it, one of the weak tags a long provision collects (up to five).
pub const PRIMARY_SHARE: f32 = 0.5;
/// A tag holds its category "in the provision's own words" when at least this share of its
/// evidence (weights as scored) is in the text, not the heading or the chapter titles.
pub const OWN_WORDS_SHARE: f32 = 0.5;

/// How a provision holds one of its tags.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Holding {
    /// From instrument context, a weak tag beside a stronger subject, or mostly from headings.
    Passing,
    /// Named in its own words, but only in a few items of an enumeration (a list of functions
    /// or of subjects), not in its opening: one subject among many (`held`).
    Listed,
    /// A primary subject in its own words, but resting on one term named once.
    Mention,
    /// A primary subject in its own words: two or more terms in the text, a term named again,
    /// or a term of the text that its heading repeats.
    Subject,
}

/// For each tag (in order), how the provision holds that category (see `Holding`): a primary
/// subject is not from instrument context, has most of its evidence in the text, and is
/// within `PRIMARY_SHARE` of the best tag. Only a subject is a model for the category.
pub fn own_words(tags: &[Tag]) -> Vec<Holding> {
    let best = tags.iter().map(|t| t.score).fold(0.0f32, f32::max);
    tags.iter()
        .map(|t| {
            let weight = |text_only: bool| -> f32 {
                t.evidence
                    .iter()
                    .filter(|e| !text_only || e.field == Field::Text)
                    .map(|e| e.weight * e.field.factor())
                    .sum()
            };
            let primary = t.context.is_none()
                && t.score >= best * PRIMARY_SHARE
                && weight(true) >= weight(false) * OWN_WORDS_SHARE
                && weight(true) > 0.0;
            let in_text: Vec<_> = t
                .evidence
                .iter()
                .filter(|e| e.field == Field::Text)
                .collect();
            let heading = t.evidence.iter().any(|e| e.field == Field::Heading);
            if !primary {
                Holding::Passing
            } else if in_text.len() >= 2 || in_text.iter().any(|e| e.count >= 2) || heading {
                Holding::Subject
            } else {
                Holding::Mention
            }
        })
        .collect()
}

/// An enumeration has at least this many items: lettered, numbered or roman-numbered clauses
/// ("a)", "1.", "(2)", "IV.-") at the start of a line or after a colon or semicolon.
pub const LIST_ITEMS: usize = 4;
/// A category an enumeration names only in its items is its subject when it is named in at
/// least this share of them (and in two at least); named in fewer, it is one subject among the
/// many the list sets out.
pub const LIST_SHARE: f32 = 1.0 / 3.0;
/// The share for a list that its opening calls an office's functions, duties or powers ("Son
/// funciones de", "Compete ao", "duties"): such a list sets out everything the office does,
/// and a category is its subject only where it dominates, in half its items.
pub const FUNCTIONS_SHARE: f32 = 0.5;

/// How a provision holds each of its tags, read with its text: `own_words`, and, for a tag of
/// an enumeration that names the category in none of its opening words (the heading, the text
/// before the first item) and in fewer than `LIST_SHARE` of its items (`FUNCTIONS_SHARE` when
/// the opening calls them functions, duties or powers), `Holding::Listed`: a list of an
/// office's functions names many subjects, each in passing. The second value says
/// whether a sentence holding the tag's evidence (or the heading, or the opening of the list
/// it is an item of) names a consular or foreign element (consuls, missions, abroad): the
/// tag is about something abroad, not about the same subject at home.
pub fn held(tags: &[Tag], text: &str, heading: &str, lang: Language) -> Vec<(Holding, bool)> {
    let own = own_words(tags);
    let c = cues(lang);
    let foreign = |s: &str| {
        let f = crate::text::folded_words(s);
        [c.consuls, c.missions, c.abroad]
            .iter()
            .any(|t| first_cue(&f, t).is_some())
    };
    let items = list_items(text);
    let chapeau_end = items.first().copied().unwrap_or(text.len());
    let heading_abroad = foreign(heading);
    let chapeau_abroad = !items.is_empty() && foreign(&text[..chapeau_end]);
    let opening_words = crate::text::folded_words(&format!("{heading} {}", &text[..chapeau_end]));
    let share = if first_cue(&opening_words, c.functions).is_some() {
        FUNCTIONS_SHARE
    } else {
        LIST_SHARE
    };
    tags.iter()
        .zip(own)
        .map(|(t, h)| {
            let at = evidence_positions(t, text);
            let abroad = heading_abroad
                || at.iter().any(|&i| {
                    let (a, b) = sentence_around(text, i);
                    foreign(&text[a..b]) || (i >= chapeau_end && chapeau_abroad)
                });
            if h == Holding::Passing || items.len() < LIST_ITEMS {
                return (h, abroad);
            }
            let in_opening = t.evidence.iter().any(|e| e.field == Field::Heading)
                || at.iter().any(|&i| i < chapeau_end);
            let mut named: Vec<usize> = at
                .iter()
                .map(|&i| items.iter().take_while(|&&s| s <= i).count())
                .collect();
            named.sort_unstable();
            named.dedup();
            let needed = ((items.len() as f32 * share).ceil() as usize).max(2);
            if in_opening || named.len() >= needed {
                (h, abroad)
            } else {
                (Holding::Listed, abroad)
            }
        })
        .collect()
}

/// Byte offsets where the items of an enumeration start (see `LIST_ITEMS`).
fn list_items(text: &str) -> Vec<usize> {
    use regex::Regex;
    use std::sync::OnceLock;
    static MARKER: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(marker) = MARKER.get_or_init(|| {
        Regex::new(
            r"^(?:\((?:[a-zA-Z]{1,2}|\d{1,3}|[ivxlc]{1,6})\)|(?:[a-z]{1,2}\)|[a-z]\.|\d{1,3}\s?[.)º°ª-]|[IVXLC]{1,7}\s?(?:\.-|[.)–—-]))(?:\s|$))",
        )
        .ok()
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut piece = 0;
    for (i, ch) in text.char_indices() {
        if i == piece {
            // an amended text quoted inside the provision opens its items with quotes
            let rest = &text[i..];
            let skip = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_whitespace() || "\"“”«'".contains(c))
                    .len();
            if marker.is_match(&rest[skip..]) && out.last() != Some(&(i + skip)) {
                out.push(i + skip);
            }
        }
        if matches!(ch, '\n' | ';' | ':') {
            piece = i + ch.len_utf8();
        }
    }
    out
}

/// Where a tag's evidence is in the text: the recorded first match of each term found in the
/// text, and its other occurrences (the same words, in any case).
fn evidence_positions(t: &Tag, text: &str) -> Vec<usize> {
    let mut at = Vec::new();
    for e in t.evidence.iter().filter(|e| e.field == Field::Text) {
        if e.start < text.len() {
            at.push(e.start);
        }
        if e.count > 1 && !e.matched.is_empty() {
            if let Ok(re) = regex::Regex::new(&format!("(?i){}", regex::escape(&e.matched))) {
                at.extend(re.find_iter(text).map(|m| m.start()));
            }
        }
    }
    at.sort_unstable();
    at.dedup();
    at
}

/// The sentence (or line, or clause between semicolons) of `text` around byte `i`.
fn sentence_around(text: &str, i: usize) -> (usize, usize) {
    let end_of = |s: &str, k: usize| {
        let b = s.as_bytes();
        b[k] == b'\n' || b[k] == b';' || (b[k] == b'.' && b.get(k + 1) == Some(&b' '))
    };
    let bytes = text.len();
    let i = i.min(bytes.saturating_sub(1));
    let mut a = i;
    while a > 0 && !end_of(text, a - 1) {
        a -= 1;
    }
    let mut b = i;
    while b < bytes && !end_of(text, b) {
        b += 1;
    }
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while b < bytes && !text.is_char_boundary(b) {
        b += 1;
    }
    (a, b)
}

/// Lines that show a page's layout inside a text: a run of this many spaces between words (two
/// columns read across), or a line pushed this far right (a marginal note)...
const COLUMN_GAP: usize = 6;
const MARGIN_INDENT: usize = 30;
/// ... in at least this many lines.
const LAYOUT_LINES: usize = 2;

/// Upper-case words (of at least this many letters) met inside a line after a lower-case word,
/// in at least this number: the headings of another column ("DISPOSICIONES GENERALES",
/// "PRIMERA.") read into the text.
const CAPS_LETTERS: usize = 5;
const CAPS_WORDS: usize = 3;

/// Whether a text was extracted from a page laid out in columns and read across them, or with
/// marginal notes interleaved (PDF and OCR extractions): the words of two articles alternate
/// line by line. Seen in the spacing when it was kept (a column gap inside a line, a line
/// pushed to the margin), and in the words when it was not: another article's heading inside
/// the text ("... de la materia. Artículo 35.- Derecho ..."), a phrase read twice across the
/// columns ("personas ecuatorianas personas ecuatorianas"), the other column's upper-case
/// headings inside a sentence. Leading indentation of a paragraph, cross-references ("el
/// artículo 35") and an amended article quoted after a colon do not count.
pub fn interleaved(text: &str) -> bool {
    use regex::Regex;
    use std::sync::OnceLock;
    static HEADING: OnceLock<Option<Regex>> = OnceLock::new();
    static GAZETTE: OnceLock<Option<Regex>> = OnceLock::new();
    // a page's running header: the gazette's name and number, or a weekday and date
    let gazette = GAZETTE.get_or_init(|| {
        Regex::new(r"(?:Registro|Diario|Gaceta|Boletín) Oficial N[º°o.]\s*\d+\s*[–—-]|(?:Lunes|Martes|Miércoles|Jueves|Viernes|Sábado|Domingo) \d{1,2} de \p{Ll}+ de \d{4}").ok()
    });
    if gazette.as_ref().is_some_and(|re| re.is_match(text)) {
        return true;
    }
    let heading = HEADING.get_or_init(|| {
        Regex::new(r"(?:Art[íi]culo|ARTÍCULO|ARTICULO|Article|Artigo|Art\.)\s*\d+[º°o]?(?:\s*(?:bis|ter))?\s*\.?\s*[-–—]\s*\p{Lu}").ok()
    });
    let mut layout = 0;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim();
        if body.is_empty() {
            continue;
        }
        let gap = body
            .split(|c: char| c != ' ')
            .any(|run| run.len() >= COLUMN_GAP);
        if gap || indent >= MARGIN_INDENT {
            layout += 1;
            if layout >= LAYOUT_LINES {
                return true;
            }
        }
    }
    if let Some(re) = heading {
        for m in re.find_iter(text).filter(|m| m.start() > 0) {
            let before: String = text[..m.start()].chars().rev().take(3).collect();
            if !before.contains(['"', '“', '«', ':', '\'']) {
                return true;
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let repeated = words.windows(4).any(|w| {
        let (a, b) = (clean(w[0]), clean(w[1]));
        a.chars().count() >= 4 && b.chars().count() >= 4 && a == clean(w[2]) && b == clean(w[3])
    });
    if repeated {
        return true;
    }
    let mut caps = std::collections::HashSet::new();
    for line in text.lines() {
        let mut lower_seen = false;
        for w in line.split_whitespace() {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.is_empty() {
                continue;
            }
            if letters.iter().all(|c| c.is_uppercase()) {
                if lower_seen && letters.len() >= CAPS_LETTERS {
                    caps.insert(letters.iter().collect::<String>());
                }
            } else if letters[0].is_lowercase() {
                lower_seen = true;
            }
        }
    }
    caps.len() >= CAPS_WORDS
}

/// The role of a transitory article (of the original law or of a reform decree), whatever
/// its words.
pub fn transitory() -> ProvisionRole {
    ProvisionRole {
        role: Role::Transitional,
        actor: None,
        persons: false,
        evidence: vec!["transitory".into()],
        interleaved: false,
        private: false,
        treaty_text: false,
        foreign: false,
        control: false,
    }
}

/// The first cue of `table` found in `hay`, and where.
fn first_cue(hay: &str, table: &[&'static str]) -> Option<(usize, &'static str)> {
    table
        .iter()
        .filter_map(|c| hay.find(c).map(|i| (i, *c)))
        .min_by_key(|(i, _)| *i)
}

/// The distinct cues of `table` found in `hay`.
fn cues_in(hay: &str, table: &[&'static str]) -> Vec<&'static str> {
    table.iter().copied().filter(|c| hay.contains(c)).collect()
}

/// The folded words of the first `n` words of a text (see `text::folded_words`).
fn opening(folded: &str, n: usize) -> &str {
    let mut seen = 0;
    for (i, b) in folded.bytes().enumerate() {
        if b == b' ' {
            if seen == n {
                return &folded[..=i];
            }
            seen += 1;
        }
    }
    folded
}

/// Classifies a provision by what it does (see the module comment).
pub fn classify(p: &RoleInput<'_>) -> ProvisionRole {
    let c = cues(p.language);
    // the first 2,000 characters are more than every window read below
    let text = &p.text[..crate::text::char_offset(p.text, 2000)];
    let folded = crate::text::folded_words(text);
    let words = folded.split_whitespace().count();
    let heading = crate::text::folded_words(p.heading);
    let hierarchy = crate::text::folded_words(p.hierarchy);
    let open = opening(&folded, OPENING_WORDS);
    let interleaved = interleaved(text);
    let treaty_text = first_cue(&folded, c.treaty).is_some();
    let foreign = [c.consuls, c.missions, c.abroad]
        .iter()
        .any(|t| first_cue(&folded, t).is_some());
    let control = first_cue(&heading, c.control)
        .or_else(|| first_cue(open, c.control))
        .is_some()
        && first_cue(opening(&folded, SUBSTANCE_WORDS), c.aliens).is_some();
    let weak = |role: Role, cue: &str| ProvisionRole {
        role,
        actor: None,
        persons: false,
        evidence: vec![cue.trim().to_string()],
        interleaved,
        private: false,
        treaty_text,
        foreign,
        control,
    };

    if p.repealed || words < 3 {
        return weak(
            Role::RepealNote,
            if p.repealed { "repealed" } else { "empty" },
        );
    }
    if words <= NOTE_WORDS {
        if let Some((_, cue)) = first_cue(&folded, c.repeal) {
            return weak(Role::RepealNote, cue);
        }
    }
    if let Some((_, cue)) =
        first_cue(&heading, c.definition_heading).or_else(|| first_cue(open, c.definition))
    {
        return weak(Role::Definition, cue);
    }
    if p.transitory {
        return weak(Role::Transitional, "transitory");
    }
    if let Some((_, cue)) = first_cue(&heading, c.transitional_heading)
        .or_else(|| first_cue(&hierarchy, c.transitional_heading))
        .or_else(|| first_cue(opening(&folded, 25), c.transitional))
    {
        return weak(Role::Transitional, cue);
    }
    // a sanction says so in its heading or its first sentence; a long article on duties that
    // ends on a sanction is not a penalty
    let penalties = cues_in(&folded, c.penalty);
    if let Some((_, cue)) = first_cue(&heading, c.penalty_heading)
        .or_else(|| first_cue(open, c.penalty))
        .or_else(|| (penalties.len() >= 2 && words < 150).then(|| (0, penalties[0])))
    {
        return weak(Role::Penalty, cue);
    }
    if let Some((_, cue)) = first_cue(opening(&folded, 30), c.delegation) {
        return weak(Role::Delegation, cue);
    }

    let substance = opening(&folded, SUBSTANCE_WORDS);
    let subject = opening(&folded, ACTOR_WORDS);
    let (actor_at, actor) = [
        (Actor::Consuls, c.consuls),
        (Actor::Missions, c.missions),
        (Actor::Ministry, c.ministry),
        (Actor::State, c.state),
    ]
    .into_iter()
    .filter_map(|(a, t)| first_cue(subject, t).map(|(i, _)| (i, a)))
    .min_by_key(|(i, _)| *i)
    .map_or((usize::MAX, None), |(i, a)| (i, Some(a)));
    // a private party named before any official is who the provision binds
    let private = first_cue(subject, c.private).is_some_and(|(i, _)| i < actor_at);
    let actor = actor.filter(|_| !private);
    let persons = first_cue(substance, c.persons).is_some();
    let duty_modality = matches!(p.modality, Modality::Obligation | Modality::Prohibition);
    let found = |role: Role, cue: &str| ProvisionRole {
        role,
        actor,
        persons,
        evidence: vec![cue.trim().to_string()],
        interleaved,
        private,
        treaty_text,
        foreign,
        control,
    };
    // the kind whose cue comes first says what the provision does: "Los cónsules deberán
    // ... derecho a" is a duty, "Los detenidos tendrán derecho a la asistencia consular" a right
    let mut kinds: Vec<(usize, Role, &'static str)> = Vec::new();
    if let Some((i, cue)) = first_cue(opening(&folded, 30), c.institution) {
        kinds.push((i, Role::Institution, cue));
    }
    if let Some((i, cue)) = first_cue(opening(&folded, 50), c.right) {
        kinds.push((i, Role::Right, cue));
    }
    if duty_modality {
        if let Some(a) = actor {
            kinds.push((actor_at, Role::Duty, a.as_str()));
        }
    }
    if !private {
        if let Some((i, cue)) = first_cue(substance, c.service) {
            kinds.push((i, Role::Service, cue));
        }
    }
    if let Some((_, role, cue)) = kinds.into_iter().min_by_key(|(i, r, _)| (*i, *r as u8)) {
        return found(role, cue);
    }
    // steps and requirements: two cues, or one in a rule that obliges ("se inscribirán")
    let steps = cues_in(substance, c.procedure);
    if steps.len() >= 2 || (duty_modality && !private && !steps.is_empty()) {
        return found(Role::Procedure, steps[0]);
    }
    ProvisionRole {
        role: Role::Other,
        actor,
        persons,
        evidence: if private {
            vec!["private parties".into()]
        } else {
            Vec::new()
        },
        interleaved,
        private,
        treaty_text,
        foreign,
        control,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_of(text: &str, lang: Language, modality: Modality) -> Role {
        role_with(text, "", lang, modality)
    }

    fn role_with(text: &str, heading: &str, lang: Language, modality: Modality) -> Role {
        classify(&RoleInput {
            text,
            heading,
            hierarchy: "",
            language: lang,
            repealed: false,
            transitory: false,
            modality,
        })
        .role
    }

    use Language::{En, Es, Fr, Pt};
    use Modality::{Obligation as O, Other as X, Permission as P};

    #[test]
    fn weak_clause_types_in_four_languages() {
        let cases = [
            ("Derogado.", Es, X, Role::RepealNote),
            ("[Repealed, 2001, c. 27, s. 274]", En, X, Role::RepealNote),
            (
                "Para los efectos de esta ley se entiende por nacional a toda persona...",
                Es,
                X,
                Role::Definition,
            ),
            (
                "In this Act, consular officer means a person who holds a commission.",
                En,
                X,
                Role::Definition,
            ),
            (
                "Dans la présente loi, agent consulaire s'entend de toute personne.",
                Fr,
                X,
                Role::Definition,
            ),
            (
                "Para os fins desta Lei, considera-se migrante a pessoa que se desloque.",
                Pt,
                X,
                Role::Definition,
            ),
            (
                "La presente ley entrará en vigor a los noventa días de su publicación.",
                Es,
                X,
                Role::Transitional,
            ),
            (
                "This Act comes into force on a day to be fixed by order.",
                En,
                X,
                Role::Transitional,
            ),
            ("Esta Lei entra em vigor na data de sua publicação.", Pt, X, Role::Transitional),
            (
                "El que ingresare al país eludiendo el control migratorio será sancionado con multa de cien unidades.",
                Es,
                Modality::Prohibition,
                Role::Penalty,
            ),
            (
                "Every person who contravenes section 3 is guilty of an offence and liable on summary conviction to a fine.",
                En,
                O,
                Role::Penalty,
            ),
            (
                "Quiconque contrevient à l'article 5 commet une infraction et encourt une amende.",
                Fr,
                X,
                Role::Penalty,
            ),
            (
                "El Poder Ejecutivo reglamentará la presente ley dentro de los noventa días.",
                Es,
                O,
                Role::Delegation,
            ),
            (
                "The Governor in Council may make regulations respecting the issue of passports.",
                En,
                P,
                Role::Delegation,
            ),
            (
                "O regulamento disporá sobre os procedimentos de emissão de documentos de viagem.",
                Pt,
                O,
                Role::Delegation,
            ),
        ];
        for (text, lang, m, want) in cases {
            assert_eq!(role_of(text, lang, m), want, "{text}");
        }
    }

    #[test]
    fn substantive_kinds_in_four_languages() {
        let cases = [
            (
                "Créase el Registro de Connacionales en el Exterior, que llevará la Dirección.",
                Es,
                O,
                Role::Institution,
            ),
            (
                "There is hereby established a Consular Assistance Fund.",
                En,
                X,
                Role::Institution,
            ),
            (
                "Los nacionales detenidos en el exterior tendrán derecho a la asistencia consular.",
                Es,
                P,
                Role::Right,
            ),
            (
                "O migrante tem direito à assistência consular gratuita.",
                Pt,
                P,
                Role::Right,
            ),
            (
                "Les fonctionnaires consulaires doivent visiter les ressortissants détenus et en informer leur famille.",
                Fr,
                O,
                Role::Duty,
            ),
            (
                "The consular officer shall visit any national who is detained and inform the family.",
                En,
                O,
                Role::Duty,
            ),
            (
                "Se brindará asistencia jurídica gratuita a los nacionales que no puedan pagarla.",
                Es,
                O,
                Role::Service,
            ),
            (
                "La solicitud se presentará con los requisitos que siguen, dentro del plazo de diez días.",
                Es,
                X,
                Role::Procedure,
            ),
        ];
        for (text, lang, m, want) in cases {
            assert_eq!(role_of(text, lang, m), want, "{text}");
        }
    }

    #[test]
    fn a_sanction_at_the_end_of_an_article_on_duties_is_no_penalty() {
        let text =
            "Los cónsules deberán visitar a los nacionales detenidos en su circunscripción, \
            informar a sus familiares, velar por el respeto del debido proceso, procurar \
            asistencia letrada, comunicar a la Cancillería cada caso dentro de las veinticuatro \
            horas, llevar un registro de los nacionales privados de libertad, solicitar a las \
            autoridades locales la información necesaria y colaborar con las organizaciones de \
            derechos humanos en la protección de los detenidos y sus familias. El incumplimiento \
            de estas obligaciones constituye falta grave.";
        let r = classify(&RoleInput {
            text,
            heading: "",
            hierarchy: "",
            language: Es,
            repealed: false,
            transitory: false,
            modality: O,
        });
        assert_eq!(r.role, Role::Duty);
        assert_eq!(r.actor, Some(Actor::Consuls));
        assert!(r.persons);
    }

    #[test]
    fn headings_and_flags_decide_too() {
        assert_eq!(
            role_with("Las siguientes conductas...", "Sanciones", Es, X),
            Role::Penalty
        );
        assert_eq!(
            role_with("Consular officer: a person...", "Definitions", En, X),
            Role::Definition
        );
        let transitory = classify(&RoleInput {
            text: "Los consulados aplicarán las tarifas anteriores durante seis meses.",
            heading: "",
            hierarchy: "TRANSITORIOS",
            language: Es,
            repealed: false,
            transitory: true,
            modality: O,
        });
        assert_eq!(transitory.role, Role::Transitional);
        let repealed = classify(&RoleInput {
            text: "Los cónsules expedirán pasaportes.",
            heading: "",
            hierarchy: "",
            language: Es,
            repealed: true,
            transitory: false,
            modality: O,
        });
        assert_eq!(repealed.role, Role::RepealNote);
    }

    #[test]
    fn columns_read_across_and_marginal_notes_are_interleaved_text() {
        let two_columns = "Artículo 28.- Derecho a la homologación            o inmuebles del emprendimiento\n\
            y reconocimiento de estudios en el exterior. Las personas         retornada o a través del\n\
            ecuatorianas retornadas tienen derecho a que se homologue,        previsto en la ley.";
        assert!(interleaved(two_columns));
        let pad = " ".repeat(40);
        let margin = format!(
            "10. The Minister may make regulations for carrying into Powerto\n\
             effect the provisions of this Act and for prescribing fees to make\n\
             {pad}regulations.\n{pad}1611962\nbe paid thereunder."
        );
        assert!(interleaved(&margin));
        let clean = "Los cónsules deberán visitar a los detenidos.\n    a) informar a la familia;\n    b) procurar asistencia letrada.";
        assert!(!interleaved(clean));
    }

    #[test]
    fn tags_held_in_the_provisions_own_words() {
        use super::super::taxonomy::CategoryId;
        use super::super::types::Evidence;
        let ev = |field, weight| Evidence {
            term: "t".into(),
            matched: "t".into(),
            field,
            start: 0,
            end: 1,
            count: 1,
            weight,
        };
        let tag = |cat: &str, score, evidence, context| Tag {
            category: cat.parse::<CategoryId>().unwrap(),
            confidence: 0.5,
            score,
            evidence,
            context,
        };
        let tags = vec![
            tag(
                "notarial",
                3.0,
                vec![ev(Field::Text, 2.0), ev(Field::Heading, 1.0)],
                None,
            ),
            tag(
                "documents/passports",
                2.0,
                vec![ev(Field::Text, 2.0)],
                Some(0.4),
            ),
            tag("administration/fees", 1.0, vec![ev(Field::Text, 1.0)], None),
            tag(
                "civil-registry",
                2.0,
                vec![ev(Field::Hierarchy, 4.0), ev(Field::Text, 0.5)],
                None,
            ),
        ];
        // primary in its words (text and heading); from context; a weak tag; mostly from
        // chapter titles
        use Holding::{Passing, Subject};
        assert_eq!(own_words(&tags), vec![Subject, Passing, Passing, Passing]);
        let single = vec![tag("notarial", 1.0, vec![ev(Field::Text, 1.0)], None)];
        assert_eq!(own_words(&single), vec![Holding::Mention]);
    }

    /// A tag whose evidence is each occurrence of `term` in `text`.
    fn tag_on(cat: &str, text: &str, term: &str) -> Tag {
        use super::super::taxonomy::CategoryId;
        use super::super::types::Evidence;
        let start = text.find(term).expect("term in text");
        Tag {
            category: cat.parse::<CategoryId>().unwrap(),
            confidence: 0.8,
            score: 2.0,
            evidence: vec![Evidence {
                term: term.into(),
                matched: term.into(),
                field: Field::Text,
                start,
                end: start + term.len(),
                count: text.matches(term).count(),
                weight: 1.0,
            }],
            context: None,
        }
    }

    #[test]
    fn a_category_named_in_one_item_of_a_long_list_is_listed_not_the_subject() {
        let functions = "Son funciones de los cónsules:\n\
            a) Representar al Estado;\n\
            b) Fomentar el comercio y el turismo;\n\
            c) Expedir pasaportes a los nacionales y renovar pasaportes vencidos;\n\
            d) Legalizar documentos;\n\
            e) Llevar el registro de nacionales;\n\
            f) Informar al Ministerio.";
        let held_as = |text: &str, term: &str| {
            held(
                &[tag_on("documents/passports", text, term)],
                text,
                "",
                Language::Es,
            )[0]
            .0
        };
        // one function among six
        assert_eq!(held_as(functions, "pasaportes"), Holding::Listed);
        // named in the opening, the list is about it
        let about = "Los cónsules expedirán pasaportes con los requisitos siguientes:\n\
            a) la solicitud;\nb) una fotografía;\nc) el pago del arancel;\nd) la cédula.";
        assert_ne!(held_as(about, "pasaportes"), Holding::Listed);
        // named in most items, the list is about it
        let most = "Corresponde a la Dirección:\n1. Expedir pasaportes.\n2. Anular pasaportes.\n\
            3. Custodiar pasaportes en blanco.\n4. Informar.";
        assert_eq!(held_as(most, "pasaportes"), Holding::Subject);
        // two items of six: one subject among a list of functions, but a subject of a list of
        // principles
        let duties =
            "Son deberes de los cónsules:\na) Expedir pasaportes;\nb) Renovar pasaportes;\n\
            c) Legalizar;\nd) Informar;\ne) Registrar;\nf) Asistir.";
        assert_eq!(held_as(duties, "pasaportes"), Holding::Listed);
        let principles = duties.replace(
            "Son deberes de los cónsules",
            "La política seguirá estos principios",
        );
        assert_eq!(held_as(&principles, "pasaportes"), Holding::Subject);
        // three items are no list
        let short = "a) Expedir pasaportes dos veces, pasaportes;\nb) Legalizar;\nc) Informar.";
        assert_eq!(held_as(short, "pasaportes"), Holding::Subject);
    }

    #[test]
    fn a_tag_is_about_something_abroad_only_beside_words_abroad() {
        let abroad = |text: &str, term: &str, heading: &str| {
            held(
                &[tag_on("protection/migrant-workers", text, term)],
                text,
                heading,
                Language::Es,
            )[0]
            .1
        };
        let home = "La seguridad social comprende la salud y la previsión. La ley organiza la seguridad social; \
            los recursos vienen también de importaciones del exterior.";
        assert!(!abroad(home, "seguridad social", ""));
        let out = "Los trabajadores nacionales en el exterior tendrán acceso a la seguridad social por convenio.";
        assert!(abroad(out, "seguridad social", ""));
        assert!(abroad(
            home,
            "seguridad social",
            "De los nacionales en el extranjero"
        ));
    }

    #[test]
    fn immigration_control_on_foreigners_is_control_and_consular_duty_is_not() {
        let control_of = |text: &str, lang| {
            classify(&RoleInput {
                text,
                heading: "",
                hierarchy: "",
                language: lang,
                repealed: false,
                transitory: false,
                modality: O,
            })
            .control
        };
        assert!(control_of(
            "The Secretary shall be charged with the administration and enforcement of the laws relating to the removal of aliens.",
            En
        ));
        assert!(control_of(
            "La Dirección Nacional de Migraciones dispondrá la expulsión del extranjero que ingrese sin documentos.",
            Es
        ));
        assert!(control_of(
            "A Polícia Federal procederá à deportação do estrangeiro em situação irregular.",
            Pt
        ));
        assert!(!control_of(
            "The consular officer shall visit any national who is detained and inform the family.",
            En
        ));
        // the protection of nationals facing expulsion abroad names no foreigners of its own
        assert!(!control_of(
            "Los cónsules asistirán a los nacionales sometidos a expulsión en el Estado receptor.",
            Es
        ));
    }

    #[test]
    fn substantive_and_weak_are_disjoint() {
        for r in Role::ALL {
            assert!(!(r.substantive() && r.weak()), "{r}");
        }
        assert!(!Role::Other.substantive() && !Role::Other.weak());
    }
}
