//! The "model provision" ranking: which provision of a category a legislator should read
//! first, used by `gaps` (its exemplars), `compare` (strongest first) and the standards lens
//! alike. It prefers, for the category, provisions that create a service, a duty of the state
//! or its officials, a right or guarantee, a procedure or an institution (`annotate::role`),
//! held in the provision's own words (a primary tag, not instrument context, not one of the
//! weak tags a long text collects); it demotes penalties, definitions, transitional and final
//! clauses, pure delegations and repeal notes, and noisy texts (the text-quality estimate).
//! Every pick says why in a legislator's words, built from the same features (`reason`).

use super::Item;
use crate::annotate::modality::Modality;
use crate::annotate::role::{Actor, Holding, Role};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::error::Result;
use crate::search::{Dims, Engine};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use tantivy::DocAddress;

/// A text whose quality estimate is below this (OCR debris), or laid out in columns read across
/// (`annotate::role::interleaved`), is noisy: it may be offered after a clean model, never
/// first.
pub const NOISY_BELOW: f32 = 0.8;

/// The ranking's first feature: what kind of model a provision is for a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Creates a service, duty, right, procedure or institution, on the category, in its own
    /// words, in a clean text.
    Model,
    /// A rule on the category in its own words, of no recognised substantive kind.
    Plain,
    /// As a model or plain, but in a noisy text.
    Noisy,
    /// The category is not its primary subject in its own words (see `Aside`): instrument
    /// context, a weak tag, one item of a list of many functions, a subject abroad held by a
    /// text that names nothing abroad, immigration control offered for the protection of
    /// nationals, or treaty wording ("States Parties") reproduced as national law.
    Incidental,
    /// A penalty, definition, transitional clause, delegation or repeal note.
    Weak,
}

impl Tier {
    /// May be the first exemplar of a gap.
    pub fn first(self) -> bool {
        self <= Tier::Plain
    }
    /// May be offered at all as a model for a gap.
    pub fn offered(self) -> bool {
        self <= Tier::Noisy
    }
}

/// Why a provision that carries a category's tag is no model for it (`Tier::Incidental`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aside {
    /// Instrument context, a weak tag beside a stronger subject, or mostly headings.
    Passing,
    /// An enumeration (a list of a service's functions, of a policy's elements) that names the
    /// category in few of its items and not in its opening (`annotate::role::held`): one
    /// subject among many, not the model of this one.
    Listed,
    /// The category's subject is abroad (`ABROAD`) and no sentence naming it names consuls,
    /// missions or anything abroad: the same words about something at home (social security
    /// in general for migrant workers, detention in general for detained nationals).
    Home,
    /// Immigration control or enforcement on foreigners (`annotate::role`, `control`) offered
    /// for a category of the protection of nationals.
    Control,
    /// Treaty wording reproduced as national law.
    Treaty,
}

/// Categories whose scope note places their subject abroad (nationals abroad, before foreign
/// authorities, working abroad): a provision holds them only where it names a consular or
/// foreign element beside their words. Repatriation (reintegration happens at home),
/// emergencies and vulnerable groups are not among them: their scope notes do not say abroad.
pub const ABROAD: [&str; 6] = [
    "protection/general",
    "protection/detention",
    "protection/legal-assistance",
    "protection/deaths",
    "protection/financial-aid",
    "protection/migrant-workers",
];

/// The subtree of the protection of nationals, for which immigration control is no model.
pub const PROTECTION: &str = "protection";

/// What the ranking reads of one provision for one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub tier: Tier,
    pub role: Role,
    pub actor: Option<Actor>,
    pub persons: bool,
    pub modality: Modality,
    pub in_force: bool,
    pub text_quality: f32,
    /// The tag's confidence in the category (0 when untagged).
    pub confidence: f32,
    /// Categories it carries beside this one (fewer: more specific).
    pub other_categories: usize,
    pub kind: InstrumentKind,
    pub year: Option<i64>,
    /// How it holds the category (`annotate::role::Holding`).
    pub holding: Holding,
    /// It binds private parties, not the state.
    pub private: bool,
    pub treaty_text: bool,
    /// It names a consular or foreign element (consuls, missions, abroad).
    pub foreign: bool,
    /// Why it is no model for the category, when it is not (`Tier::Incidental`).
    pub aside: Option<Aside>,
}

/// The tag of `cat` or of a leaf under it, if the provision has one: (confidence, how it holds
/// it, whether a sentence naming it names a consular or foreign element), the firmest first.
fn tag_of(d: &Dims, cat: &CategoryId) -> Option<(f32, Holding, bool)> {
    let under = |c: &CategoryId| {
        c.as_str()
            .strip_prefix(cat.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    d.tags
        .iter()
        .filter(|(c, _)| under(c))
        .map(|(c, x)| {
            let (h, abroad) = d
                .own
                .iter()
                .find(|(o, _, _)| o == c)
                .map_or((Holding::Passing, false), |(_, h, a)| (*h, *a));
            (*x, h, abroad)
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)))
}

/// Whether `cat` is `root` or under it.
fn within(cat: &CategoryId, root: &str) -> bool {
    cat.as_str()
        .strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Why a provision is no model for a category, if it is not: the category must be its primary
/// subject in its own words (a primary tag, named in the opening or in a good share of the
/// items of a list), about something abroad where the category's subject is abroad, and not
/// immigration control where the category is the protection of nationals.
pub fn aside(d: &Dims, cat: &CategoryId, holding: Holding, abroad: bool) -> Option<Aside> {
    if d.role.treaty_text {
        Some(Aside::Treaty)
    } else if holding == Holding::Passing {
        Some(Aside::Passing)
    } else if holding == Holding::Listed {
        Some(Aside::Listed)
    } else if d.role.control && within(cat, PROTECTION) {
        Some(Aside::Control)
    } else if !abroad && ABROAD.iter().any(|a| within(cat, a)) {
        Some(Aside::Home)
    } else {
        None
    }
}

/// The features of a provision for a category.
pub fn features(d: &Dims, cat: &CategoryId) -> Features {
    let (confidence, holding, abroad) = tag_of(d, cat).unwrap_or((0.0, Holding::Passing, false));
    let role = d.role.role;
    let aside = aside(d, cat, holding, abroad);
    let tier = if role.weak() {
        Tier::Weak
    } else if aside.is_some() {
        Tier::Incidental
    } else if d.text_quality < NOISY_BELOW || d.role.interleaved {
        Tier::Noisy
    } else if role.substantive() && holding == Holding::Subject {
        Tier::Model
    } else {
        Tier::Plain
    };
    Features {
        tier,
        role,
        actor: d.role.actor,
        persons: d.role.persons,
        modality: d.modality,
        in_force: d.in_force,
        text_quality: d.text_quality,
        confidence,
        other_categories: d.tags.len().saturating_sub(1),
        kind: d.kind,
        year: d.year,
        holding,
        private: d.role.private,
        treaty_text: d.role.treaty_text,
        foreign: d.role.foreign,
        aside,
    }
}

/// The sort key of the ranking, best first: tier; a consular or foreign element named (consular
/// law before domestic administration); modality (obligations, prohibitions, permissions,
/// other); in force; substantive kind (duty, right, service, institution before procedure
/// before other); confidence in the category; fewer other categories; a law or constitution
/// before a decree, regulation or order.
pub type Key = (Tier, bool, u8, bool, u8, i64, usize, u8);

pub fn key(f: &Features) -> Key {
    let kind = match f.role {
        Role::Duty | Role::Right | Role::Service | Role::Institution => 0,
        Role::Procedure => 1,
        Role::Other => 2,
        _ => 3,
    };
    let rank = match f.kind {
        InstrumentKind::Constitution | InstrumentKind::Law => 0,
        InstrumentKind::Decree | InstrumentKind::Regulation => 1,
        _ => 2,
    };
    (
        f.tier,
        !f.foreign,
        f.modality.rank(),
        !f.in_force,
        kind,
        -((f.confidence * 1000.0) as i64),
        f.other_categories,
        rank,
    )
}

/// The ranking key of a provision for a category (see `key`).
pub fn rank(d: &Dims, cat: &CategoryId) -> Key {
    key(&features(d, cat))
}

/// How the ranking is documented in responses.
pub const RANKING: &str = "model provisions first: a service, a duty of the state or its officials, a right or guarantee, a procedure or an institution, holding the category as its subject in its own words (a primary tag on its own evidence, two terms or a term repeated, not instrument context) in a clean text, those naming a consular or foreign element first; then other rules on the category (obligations of private parties, a subject named once); then noisy texts (OCR, columns read across); then incidental mentions and treaty wording reproduced as law; penalties, definitions, transitional clauses, delegations and repeal notes last; within each, obligations before prohibitions before permissions before other, in force first, duties/rights/services/institutions before procedures, higher confidence, fewer other categories, laws before regulations";

/// Picks up to `n` exemplars among peers' provisions (`by_peer`, any order): each peer's best
/// first, so that they come from different peers, then the next best; only provisions the
/// ranking offers, none in `used` (nor its language twin), and the first a clean model or
/// plain rule (none at all otherwise). The picks are added to `used`.
pub fn pick<'a>(
    by_peer: &BTreeMap<&CountryCode, Vec<(DocAddress, &'a Dims)>>,
    cat: &CategoryId,
    n: usize,
    used: &mut HashSet<ProvisionId>,
) -> Vec<(DocAddress, &'a Dims, Features)> {
    let mut queues: Vec<Vec<(Key, DocAddress, &'a Dims, Features)>> = by_peer
        .values()
        .map(|v| {
            let mut q: Vec<_> = v
                .iter()
                .map(|(a, d)| {
                    let f = features(d, cat);
                    (key(&f), *a, *d, f)
                })
                .filter(|(_, _, _, f)| f.tier.offered())
                .collect();
            q.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.id.cmp(&b.2.id)));
            q.reverse(); // popped from the end: best first
            q
        })
        .collect();
    let mut out: Vec<(DocAddress, &'a Dims, Features)> = Vec::new();
    while out.len() < n {
        // one round: each peer's best unused provision, best first
        let mut round: Vec<(Key, DocAddress, &'a Dims, Features)> = Vec::new();
        for q in &mut queues {
            while let Some(c) = q.pop() {
                let twin_used = c.2.twin.as_ref().is_some_and(|t| used.contains(t));
                if !used.contains(&c.2.id) && !twin_used {
                    round.push(c);
                    break;
                }
            }
        }
        if round.is_empty() {
            break;
        }
        round.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.id.cmp(&b.2.id)));
        for (_, a, d, f) in round {
            if out.len() >= n || (out.is_empty() && !f.tier.first()) {
                break;
            }
            used.insert(d.id.clone());
            if let Some(t) = &d.twin {
                used.insert(t.clone());
            }
            out.push((a, d, f));
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

/// Why a gap has fewer exemplars than asked for (`picked` of them): what the peers' other
/// provisions are.
pub fn shortfall(
    by_peer: &BTreeMap<&CountryCode, Vec<(DocAddress, &Dims)>>,
    cat: &CategoryId,
    picked: usize,
) -> String {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut total = 0;
    for (_, d) in by_peer.values().flatten() {
        total += 1;
        let f = features(d, cat);
        let what = match f.tier {
            Tier::Weak => match f.role {
                Role::Penalty => "penalties",
                Role::Definition => "definitions",
                Role::Transitional => "transitional or final clauses",
                Role::Delegation => "delegations to a regulation",
                _ => "repeal notes",
            },
            Tier::Incidental => match f.aside {
                Some(Aside::Listed) => {
                    "name it in one item of a list of many functions or subjects"
                }
                Some(Aside::Home) => "name nothing consular or abroad beside it",
                Some(Aside::Control) => {
                    "are immigration control of foreigners, not protection of nationals"
                }
                _ => "name the category only in passing, from context or in treaty wording",
            },
            Tier::Noisy => "noisy texts",
            Tier::Model | Tier::Plain => "models (offered here or for an earlier gap)",
        };
        *counts.entry(what).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!(
        "{picked} offered; of the peers' {total} obligations in the category: {}",
        parts.join(", ")
    )
}

/// A provision offered as a model for a gap, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Exemplar {
    #[serde(flatten)]
    pub item: Item,
    pub country: CountryCode,
    pub role: Role,
    pub tier: Tier,
    /// Why it was chosen, in a legislator's words (see `reason`).
    pub reason: String,
    #[serde(skip)]
    pub features: Features,
}

impl Exemplar {
    pub fn new(
        engine: &Engine,
        addr: DocAddress,
        d: &Dims,
        f: Features,
        label: &str,
    ) -> Result<Self> {
        Ok(Exemplar {
            item: super::item(engine, addr)?,
            country: d.country.clone(),
            role: f.role,
            tier: f.tier,
            reason: reason(&f, label, Language::En),
            features: f,
        })
    }
}

/// One of a country's own provisions nearest to a category it is said to lack.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Nearest {
    #[serde(flatten)]
    pub item: Item,
    /// `tagged` (with the category but no obligation in force, or only in passing) or
    /// `below_threshold` (evidence short of the tagging threshold).
    pub state: &'static str,
    /// The tag's confidence, or the evidence's score.
    pub score: f32,
    /// The category's threshold, for evidence below it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    pub why: String,
}

/// A nearest-provision candidate: (0 tagged / 1 below threshold, strength, address, state,
/// threshold, why).
type NearCandidate = (u8, f32, DocAddress, &'static str, Option<f32>, String);

/// Nearest provisions listed per gap.
pub const NEAREST: usize = 3;

/// The country's own national provisions nearest to `cat`: those tagged with it (which, in a
/// gap, are permissions, declarations or not in force), then those whose evidence fell below
/// the tagging threshold, strongest first; or, when there are none, the sentence saying so.
pub fn nearest(
    engine: &Engine,
    country: &CountryCode,
    cat: &CategoryId,
    label: &str,
) -> Result<(Vec<Nearest>, Option<String>)> {
    let mut found: Vec<NearCandidate> = Vec::new();
    for (a, d) in engine.docs() {
        if &d.country != country || d.treaty_copy {
            continue;
        }
        if let Some((_, conf)) = d.tags.iter().find(|(c, _)| c == cat) {
            let own = d.own.iter().any(|(c, _, _)| c == cat);
            let why = format!(
                "tagged {}; {}; {}{} (confidence {:.2})",
                cat,
                d.modality.as_str(),
                if d.in_force {
                    "in force"
                } else {
                    "not in force"
                },
                if own {
                    ""
                } else {
                    "; the category only in passing"
                },
                conf
            );
            found.push((0, *conf, a, "tagged", None, why));
        } else if let Some(n) = d.near.iter().find(|n| &n.category == cat) {
            let why = format!(
                "evidence {:.2} below the tagging threshold {:.2}; {}",
                n.score,
                n.threshold,
                d.modality.as_str()
            );
            let ratio = if n.threshold > 0.0 {
                n.score / n.threshold
            } else {
                0.0
            };
            found.push((1, ratio, a, "below_threshold", Some(n.threshold), why));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    if found.is_empty() {
        return Ok((
            Vec::new(),
            Some(format!(
                "none: no national provision of {country} has evidence for {} ({cat}), tagged or below the threshold",
                lower_first(label)
            )),
        ));
    }
    let out = found
        .into_iter()
        .take(NEAREST)
        .map(|(_, score, a, state, threshold, why)| {
            let item = super::item(engine, a)?;
            let score = match threshold {
                Some(t) => score * t,
                None => score,
            };
            Ok(Nearest {
                item,
                state,
                score: (score * 1000.0).round() / 1000.0,
                threshold,
                why,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((out, None))
}

/// Words of the reasons, per language.
struct Words {
    institution: &'static str,
    right: &'static str,
    duty: &'static str,
    service: &'static str,
    procedure: &'static str,
    other: &'static str,
    penalty: &'static str,
    definition: &'static str,
    transitional: &'static str,
    delegation: &'static str,
    repeal_note: &'static str,
    of_consuls: &'static str,
    of_missions: &'static str,
    of_ministry: &'static str,
    of_state: &'static str,
    to_persons: &'static str,
    on: &'static str,
    obligation: &'static str,
    prohibition: &'static str,
    permission: &'static str,
    no_modality: &'static str,
    in_force: &'static str,
    not_in_force: &'static str,
    noisy: &'static str,
    incidental: &'static str,
    listed: &'static str,
    home: &'static str,
    control: &'static str,
    private_rule: &'static str,
    mention: &'static str,
    treaty: &'static str,
    of_year: &'static str,
    kinds: [&'static str; 7],
}

static EN: Words = Words {
    institution: "creates an institution",
    right: "grants a right or guarantee",
    duty: "sets a duty",
    service: "provides a service",
    procedure: "sets a procedure",
    other: "states a rule",
    penalty: "a penalty or sanction",
    definition: "a definition",
    transitional: "a transitional or final clause",
    delegation: "delegates the matter to a regulation",
    repeal_note: "a repeal note",
    of_consuls: "of consuls",
    of_missions: "of diplomatic missions",
    of_ministry: "of the ministry",
    of_state: "of the state",
    to_persons: "to persons",
    on: "on",
    obligation: "obligation",
    prohibition: "prohibition",
    permission: "permission",
    no_modality: "no modal verb",
    in_force: "in force",
    not_in_force: "not in force",
    noisy: "text partly garbled",
    incidental: "the category only in passing",
    listed: "one item of a list of many functions or subjects",
    home: "names nothing consular or abroad beside it",
    control: "immigration control of foreigners, not protection of nationals",
    private_rule: "sets an obligation of private parties",
    mention: "the subject named once",
    treaty: "treaty wording (States Parties)",
    of_year: "of",
    kinds: [
        "constitution",
        "law",
        "decree",
        "regulation",
        "order",
        "treaty",
        "instrument",
    ],
};

static ES: Words = Words {
    institution: "crea una institución",
    right: "otorga un derecho o garantía",
    duty: "establece un deber",
    service: "presta un servicio",
    procedure: "establece un procedimiento",
    other: "enuncia una regla",
    penalty: "una sanción",
    definition: "una definición",
    transitional: "una disposición transitoria o final",
    delegation: "remite la materia a un reglamento",
    repeal_note: "una nota de derogación",
    of_consuls: "de los cónsules",
    of_missions: "de las misiones diplomáticas",
    of_ministry: "del ministerio",
    of_state: "del Estado",
    to_persons: "a las personas",
    on: "sobre",
    obligation: "obligación",
    prohibition: "prohibición",
    permission: "permiso",
    no_modality: "sin verbo modal",
    in_force: "vigente",
    not_in_force: "no vigente",
    noisy: "texto en parte dañado",
    incidental: "la categoría solo de paso",
    listed: "un punto de una lista de muchas funciones o materias",
    home: "no nombra nada consular ni del exterior a su lado",
    control: "control migratorio de extranjeros, no protección de nacionales",
    private_rule: "establece una obligación de particulares",
    mention: "el tema nombrado una sola vez",
    treaty: "redacción de tratado (Estados Partes)",
    of_year: "de",
    kinds: [
        "constitución",
        "ley",
        "decreto",
        "reglamento",
        "resolución",
        "tratado",
        "instrumento",
    ],
};

static FR: Words = Words {
    institution: "crée une institution",
    right: "accorde un droit ou une garantie",
    duty: "établit un devoir",
    service: "fournit un service",
    procedure: "établit une procédure",
    other: "énonce une règle",
    penalty: "une sanction",
    definition: "une définition",
    transitional: "une disposition transitoire ou finale",
    delegation: "renvoie la matière à un règlement",
    repeal_note: "une note d'abrogation",
    of_consuls: "des consuls",
    of_missions: "des missions diplomatiques",
    of_ministry: "du ministère",
    of_state: "de l'État",
    to_persons: "aux personnes",
    on: "sur",
    obligation: "obligation",
    prohibition: "interdiction",
    permission: "permission",
    no_modality: "sans verbe modal",
    in_force: "en vigueur",
    not_in_force: "non en vigueur",
    noisy: "texte en partie altéré",
    incidental: "la catégorie seulement en passant",
    listed: "un point d'une liste de nombreuses fonctions ou matières",
    home: "ne nomme rien de consulaire ni d'étranger à côté",
    control: "contrôle migratoire des étrangers, non protection des nationaux",
    private_rule: "établit une obligation de particuliers",
    mention: "le sujet nommé une seule fois",
    treaty: "rédaction de traité (États parties)",
    of_year: "de",
    kinds: [
        "constitution",
        "loi",
        "décret",
        "règlement",
        "arrêté",
        "traité",
        "instrument",
    ],
};

static PT: Words = Words {
    institution: "cria uma instituição",
    right: "concede um direito ou garantia",
    duty: "estabelece um dever",
    service: "presta um serviço",
    procedure: "estabelece um procedimento",
    other: "enuncia uma regra",
    penalty: "uma sanção",
    definition: "uma definição",
    transitional: "uma disposição transitória ou final",
    delegation: "remete a matéria a um regulamento",
    repeal_note: "uma nota de revogação",
    of_consuls: "dos cônsules",
    of_missions: "das missões diplomáticas",
    of_ministry: "do ministério",
    of_state: "do Estado",
    to_persons: "às pessoas",
    on: "sobre",
    obligation: "obrigação",
    prohibition: "proibição",
    permission: "permissão",
    no_modality: "sem verbo modal",
    in_force: "em vigor",
    not_in_force: "sem vigência",
    noisy: "texto em parte danificado",
    incidental: "a categoria só de passagem",
    listed: "um item de uma lista de muitas funções ou matérias",
    home: "não nomeia nada consular nem do exterior ao lado",
    control: "controle migratório de estrangeiros, não proteção de nacionais",
    private_rule: "estabelece uma obrigação de particulares",
    mention: "o tema nomeado uma só vez",
    treaty: "redação de tratado (Estados Partes)",
    of_year: "de",
    kinds: [
        "constituição",
        "lei",
        "decreto",
        "regulamento",
        "portaria",
        "tratado",
        "instrumento",
    ],
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Es => &ES,
        Language::En => &EN,
        Language::Fr => &FR,
        Language::Pt => &PT,
    }
}

/// Why a provision was chosen, in a legislator's words, from the ranking's features: "sets a
/// duty of consuls on detained nationals; obligation; in force; law of 2017". `label` is the
/// category's label in `lang`.
pub fn reason(f: &Features, label: &str, lang: Language) -> String {
    let w = words(lang);
    let what = match f.role {
        Role::Institution => w.institution,
        Role::Right => w.right,
        Role::Duty => w.duty,
        Role::Service => w.service,
        Role::Procedure => w.procedure,
        Role::Other if f.private => w.private_rule,
        Role::Other => w.other,
        Role::Penalty => w.penalty,
        Role::Definition => w.definition,
        Role::Transitional => w.transitional,
        Role::Delegation => w.delegation,
        Role::RepealNote => w.repeal_note,
    };
    let mut head = what.to_string();
    match f.role {
        Role::Duty => {
            if let Some(a) = f.actor {
                head.push(' ');
                head.push_str(match a {
                    Actor::Consuls => w.of_consuls,
                    Actor::Missions => w.of_missions,
                    Actor::Ministry => w.of_ministry,
                    Actor::State => w.of_state,
                });
            }
        }
        Role::Right | Role::Service if f.persons => {
            head.push(' ');
            head.push_str(w.to_persons);
        }
        _ => {}
    }
    head.push_str(&format!(" {} {}", w.on, lower_first(label)));
    let mut parts = vec![head];
    parts.push(
        match f.modality {
            Modality::Obligation => w.obligation,
            Modality::Prohibition => w.prohibition,
            Modality::Permission => w.permission,
            Modality::Other => w.no_modality,
        }
        .to_string(),
    );
    parts.push(
        if f.in_force {
            w.in_force
        } else {
            w.not_in_force
        }
        .to_string(),
    );
    if f.tier == Tier::Noisy {
        parts.push(format!("{} ({:.2})", w.noisy, f.text_quality));
    }
    match f.aside {
        Some(Aside::Treaty) => parts.push(w.treaty.to_string()),
        Some(Aside::Passing) => parts.push(w.incidental.to_string()),
        Some(Aside::Listed) => parts.push(w.listed.to_string()),
        Some(Aside::Home) => parts.push(w.home.to_string()),
        Some(Aside::Control) => parts.push(w.control.to_string()),
        None if f.holding == Holding::Mention => parts.push(w.mention.to_string()),
        None => {}
    }
    let kind = w.kinds[InstrumentKind::ALL
        .iter()
        .position(|k| *k == f.kind)
        .unwrap_or(6)];
    parts.push(match f.year {
        Some(y) => format!("{kind} {} {y}", w.of_year),
        None => kind.to_string(),
    });
    parts.join("; ")
}

/// "Detained nationals" -> "detained nationals" (a label inside a sentence), keeping acronyms.
fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(tier: Tier, role: Role, modality: Modality) -> Features {
        Features {
            tier,
            role,
            actor: Some(Actor::Consuls),
            persons: true,
            modality,
            in_force: true,
            text_quality: 1.0,
            confidence: 0.8,
            other_categories: 0,
            kind: InstrumentKind::Law,
            year: Some(2017),
            holding: Holding::Subject,
            private: false,
            treaty_text: false,
            foreign: true,
            aside: None,
        }
    }

    /// A provision of `country` tagged `cat`, held as `holding` (abroad or not), a clean duty of
    /// consuls in force.
    fn dims(country: &str, cat: &str, holding: Holding, abroad: bool) -> Dims {
        let c: CategoryId = cat.parse().expect("category");
        Dims {
            id: ProvisionId::new(&format!("{}-x", country.to_lowercase()), "art_1"),
            instrument: "x".into(),
            country: country.parse().expect("country"),
            subsystems: vec![],
            kind: InstrumentKind::Law,
            categories: c.with_ancestors(),
            tags: vec![(c.clone(), 0.8)],
            language: Language::Es,
            modality: Modality::Obligation,
            in_force: true,
            year: Some(2010),
            treaty_copy: false,
            role: crate::annotate::role::ProvisionRole {
                role: Role::Duty,
                actor: Some(Actor::Consuls),
                persons: true,
                foreign: true,
                ..Default::default()
            },
            text_quality: 1.0,
            own: vec![(c, holding, abroad)],
            near: vec![],
            twin: None,
            group: None,
        }
    }

    fn cat(c: &str) -> CategoryId {
        c.parse().expect("category")
    }

    #[test]
    fn a_category_named_in_one_item_of_a_list_is_no_first_model_of_it() {
        let listed = dims("PY", "documents/passports", Holding::Listed, true);
        let f = features(&listed, &cat("documents/passports"));
        assert_eq!((f.tier, f.aside), (Tier::Incidental, Some(Aside::Listed)));
        assert!(!f.tier.first() && !f.tier.offered());
        assert!(reason(&f, "Passports", Language::En).contains("one item of a list"));
        let subject = dims("PY", "documents/passports", Holding::Subject, true);
        assert_eq!(
            features(&subject, &cat("documents/passports")).tier,
            Tier::Model
        );
    }

    #[test]
    fn immigration_control_is_no_model_for_the_protection_of_nationals() {
        let mut d = dims("US", "protection/detention", Holding::Subject, true);
        d.role.control = true;
        let f = features(&d, &cat("protection/detention"));
        assert_eq!((f.tier, f.aside), (Tier::Incidental, Some(Aside::Control)));
        // outside the protection of nationals, control is what the category is about
        let mut v = dims("US", "documents/visas", Holding::Subject, true);
        v.role.control = true;
        assert_eq!(features(&v, &cat("documents/visas")).tier, Tier::Model);
    }

    #[test]
    fn a_subject_abroad_is_held_only_beside_words_of_something_abroad() {
        let home = dims("BR", "protection/migrant-workers", Holding::Subject, false);
        let f = features(&home, &cat("protection/migrant-workers"));
        assert_eq!((f.tier, f.aside), (Tier::Incidental, Some(Aside::Home)));
        // reintegration on return happens at home: repatriation needs no words abroad
        let back = dims("CO", "protection/repatriation", Holding::Subject, false);
        assert_eq!(
            features(&back, &cat("protection/repatriation")).tier,
            Tier::Model
        );
        let out = dims("BR", "protection/migrant-workers", Holding::Subject, true);
        assert_eq!(
            features(&out, &cat("protection/migrant-workers")).tier,
            Tier::Model
        );
    }

    #[test]
    fn a_gap_whose_candidates_all_fail_gets_none_and_says_why() {
        let c = cat("protection/migrant-workers");
        let a = dims("BR", "protection/migrant-workers", Holding::Subject, false);
        let b = dims("MX", "protection/migrant-workers", Holding::Listed, true);
        let (br, mx): (CountryCode, CountryCode) = ("BR".parse().unwrap(), "MX".parse().unwrap());
        let mut by_peer: BTreeMap<&CountryCode, Vec<(DocAddress, &Dims)>> = BTreeMap::new();
        by_peer.insert(&br, vec![(DocAddress::new(0, 0), &a)]);
        by_peer.insert(&mx, vec![(DocAddress::new(0, 1), &b)]);
        let picks = pick(&by_peer, &c, 2, &mut HashSet::new());
        assert!(picks.is_empty());
        let note = shortfall(&by_peer, &c, 0);
        assert!(note.starts_with("0 offered"), "{note}");
        assert!(
            note.contains("one item of a list") && note.contains("nothing consular or abroad"),
            "{note}"
        );
    }

    #[test]
    fn the_reason_reads_like_a_sentence() {
        let x = f(Tier::Model, Role::Duty, Modality::Obligation);
        assert_eq!(
            reason(&x, "Detained nationals", Language::En),
            "sets a duty of consuls on detained nationals; obligation; in force; law of 2017"
        );
        assert_eq!(
            reason(&x, "Personas detenidas", Language::Es),
            "establece un deber de los cónsules sobre personas detenidas; obligación; vigente; ley de 2017"
        );
        let mut noisy = f(Tier::Noisy, Role::Service, Modality::Obligation);
        noisy.text_quality = 0.61;
        noisy.year = None;
        assert_eq!(
            reason(&noisy, "Passports", Language::En),
            "provides a service to persons on passports; obligation; in force; text partly garbled (0.61); law"
        );
    }

    #[test]
    fn models_outrank_weak_clauses_whatever_their_modality() {
        let model = f(Tier::Model, Role::Service, Modality::Permission);
        let penalty = f(Tier::Weak, Role::Penalty, Modality::Obligation);
        let plain = f(Tier::Plain, Role::Other, Modality::Obligation);
        assert!(key(&model) < key(&plain));
        assert!(key(&plain) < key(&penalty));
        assert!(Tier::Model.first() && Tier::Plain.first());
        assert!(!Tier::Noisy.first() && Tier::Noisy.offered());
        assert!(!Tier::Incidental.offered() && !Tier::Weak.offered());
        let mut older = f(Tier::Model, Role::Duty, Modality::Obligation);
        older.in_force = false;
        assert!(key(&f(Tier::Model, Role::Duty, Modality::Obligation)) < key(&older));
    }
}
