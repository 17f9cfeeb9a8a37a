//! The brief: one document a legislator can take to committee. For a country against its peers:
//! its coverage of every category, each gap with its exemplars in full original text (and a
//! translation hint from the glossary where the language differs), the Vienna Convention
//! article that grounds the category, the country's own nearest provisions, the sources with
//! their licences and attributions, and the date and generation of the index. Rendered as one
//! self-contained HTML file (print CSS, no external assets) or as Markdown; the labels follow
//! the requested language.

use super::exemplar::{self, Exemplar};
use super::{gaps, Gap, Peers};
use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, Language, ProvisionId};
use crate::error::{Error, Result};
use crate::search::{Engine, PartialSource};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Exemplars per gap in a brief.
pub const BRIEF_EXEMPLARS: usize = 2;
/// Characters of a Vienna Convention article quoted under a gap.
const VCCR_QUOTE_CHARS: usize = 700;

/// What a brief is asked for.
#[derive(Debug, Clone)]
pub struct BriefRequest {
    pub country: CountryCode,
    pub peers: Peers,
    pub lang: Language,
    pub exemplars: usize,
}

/// Markdown or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = BriefFormat)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Md,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Md),
            _ => Err(format!("'{s}' is not html or md")),
        }
    }
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
        }
    }
}

/// One row of the coverage table: the country's provisions and obligations in a category, and
/// how many peers have obligations there.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageRow {
    pub category: CategoryId,
    pub label: String,
    pub provisions: usize,
    pub obligations: usize,
    pub peers_with_obligations: usize,
    pub gap: bool,
}

/// A term of an exemplar in its language and the glossary's equivalents in the brief's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hint {
    pub term: String,
    pub equivalents: Vec<String>,
}

/// An exemplar as the brief prints it: the pick, its full text, and the hint.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BriefExemplar {
    pub exemplar: Exemplar,
    pub country_name: String,
    pub text: String,
    /// The reason in the brief's language.
    pub reason: String,
    pub hints: Vec<Hint>,
}

/// The Vienna Convention article a category cites (`36`, `5(e)`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VccrGround {
    pub article: String,
    pub provision: Option<ProvisionId>,
    pub title: Option<String>,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BriefGap {
    pub gap: Gap,
    pub label: String,
    pub scope: String,
    pub vccr: Vec<VccrGround>,
    pub exemplars: Vec<BriefExemplar>,
}

/// A source the brief relies on, with its licence and attribution.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = BriefSource)]
pub struct Source {
    pub instrument: String,
    pub title: String,
    pub country: CountryCode,
    pub licence: Option<String>,
    pub attribution: Option<String>,
    pub source_url: Option<String>,
    pub partial: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Brief {
    pub country: CountryCode,
    pub country_name: String,
    pub lang: Language,
    /// The day the brief was made (UTC).
    pub date: String,
    pub generation: String,
    pub generation_built_at: String,
    pub taxonomy_version: String,
    pub peers: Vec<CountryCode>,
    pub peers_basis: String,
    pub peers_fallback: Option<String>,
    pub partial_sources: Vec<PartialSource>,
    pub coverage: Vec<CoverageRow>,
    pub gaps: Vec<BriefGap>,
    pub sources: Vec<Source>,
}

/// Assembles the brief of a country (see the module comment).
pub fn brief(engine: &Engine, r: &BriefRequest) -> Result<Brief> {
    let g = gaps(engine, &r.country, &r.peers, r.exemplars)?;
    let tax = engine.taxonomy();
    let lang = r.lang.code();
    let reg = engine.registry();
    let name = |c: &CountryCode| {
        reg.get(c)
            .map_or(c.to_string(), |x| x.name(lang).to_string())
    };
    let label = |c: &CategoryId| {
        tax.get(c)
            .and_then(|x| x.labels.get(lang).or_else(|| x.labels.get("en")).cloned())
            .unwrap_or_else(|| c.to_string())
    };

    // coverage: national law in force, one pass
    let mut mine: BTreeMap<&CategoryId, (usize, usize)> = BTreeMap::new();
    let mut peers_obl: BTreeMap<&CategoryId, BTreeSet<&CountryCode>> = BTreeMap::new();
    for (_, d) in engine.docs() {
        if d.treaty_copy || !d.in_force {
            continue;
        }
        for (c, _) in &d.tags {
            if d.country == r.country {
                let e = mine.entry(c).or_default();
                e.0 += 1;
                e.1 += usize::from(d.modality == Modality::Obligation);
            } else if d.modality == Modality::Obligation && g.peers.contains(&d.country) {
                peers_obl.entry(c).or_default().insert(&d.country);
            }
        }
    }
    let gap_cats: BTreeSet<&CategoryId> = g.gaps.iter().map(|x| &x.category).collect();
    let coverage = tax
        .leaves()
        .map(|c| {
            let (provisions, obligations) = mine.get(&c.id).copied().unwrap_or((0, 0));
            CoverageRow {
                category: c.id.clone(),
                label: label(&c.id),
                provisions,
                obligations,
                peers_with_obligations: peers_obl.get(&c.id).map_or(0, |s| s.len()),
                gap: gap_cats.contains(&c.id),
            }
        })
        .collect();

    let vccr_source = engine.instrument(crate::search::VCCR_SOURCE).ok();
    let mut instruments: BTreeSet<String> = engine
        .instruments(Some(&r.country))
        .into_iter()
        .map(|i| i.summary.id)
        .collect();
    let mut out_gaps = Vec::new();
    for gap in g.gaps {
        let cat = tax
            .get(&gap.category)
            .ok_or_else(|| Error::Data(format!("category {} not in taxonomy", gap.category)))?;
        let mut vccr = Vec::new();
        for a in &cat.vccr {
            let base: String = a.chars().take_while(|c| c.is_ascii_digit()).collect();
            let p = vccr_source.as_ref().and_then(|i| {
                i.provision_list
                    .iter()
                    .find(|p| p.number == base && p.id.as_str().contains(":art_"))
            });
            let quote = match p.and_then(|p| engine.dims_of(&p.id)) {
                Some((addr, _)) => {
                    let rec = engine.record(addr)?;
                    let end = crate::text::char_offset(&rec.provision.text, VCCR_QUOTE_CHARS);
                    let mut q = rec.provision.text[..end].to_string();
                    if end < rec.provision.text.len() {
                        q.push_str(" …");
                    }
                    instruments.insert(rec.instrument.id);
                    Some(q)
                }
                None => None,
            };
            vccr.push(VccrGround {
                article: a.clone(),
                provision: p.map(|p| p.id.clone()),
                title: p.and_then(|p| p.heading.clone()),
                quote,
            });
        }
        let mut exemplars = Vec::new();
        for e in &gap.exemplars {
            let Some((addr, _)) = engine.dims_of(&e.item.id) else {
                continue;
            };
            let rec = engine.record(addr)?;
            instruments.insert(rec.instrument.id.clone());
            let hints = if rec.provision.language == r.lang {
                Vec::new()
            } else {
                let terms = rec
                    .annotation
                    .tags
                    .iter()
                    .filter(|t| t.category == gap.category)
                    .flat_map(|t| t.evidence.iter().map(|e| e.matched.clone()));
                hints(engine, terms, rec.provision.language, r.lang)
            };
            exemplars.push(BriefExemplar {
                country_name: name(&e.country),
                reason: exemplar::reason(&e.features, &label(&gap.category), r.lang),
                text: rec.provision.text,
                hints,
                exemplar: e.clone(),
            });
        }
        for n in &gap.nearest {
            instruments.insert(n.item.instrument.clone());
        }
        out_gaps.push(BriefGap {
            label: label(&gap.category),
            scope: cat.scope.clone(),
            vccr,
            exemplars,
            gap,
        });
    }
    let sources = engine
        .instruments(None)
        .into_iter()
        .filter(|i| instruments.contains(&i.summary.id))
        .map(|i| Source {
            instrument: i.summary.id,
            title: i.summary.title,
            country: i.summary.country,
            licence: i.summary.licence,
            attribution: i.summary.attribution,
            source_url: i.summary.source_url,
            partial: i.summary.partial,
        })
        .collect();
    let now = crate::index::generation::now_rfc3339();
    Ok(Brief {
        country_name: name(&r.country),
        country: r.country.clone(),
        lang: r.lang,
        date: now.get(..10).unwrap_or(&now).to_string(),
        generation: engine.meta.generation.clone(),
        generation_built_at: engine.meta.built_at.clone(),
        taxonomy_version: engine.meta.taxonomy_version.clone(),
        peers: g.peers,
        peers_basis: g.peers_basis,
        peers_fallback: g.peers_fallback,
        partial_sources: g.partial_sources,
        coverage,
        gaps: out_gaps,
        sources,
    })
}

/// The glossary's equivalents in `to` of the words an exemplar matched in `from`: each matched
/// phrase, and each of its words the glossary knows.
fn hints(
    engine: &Engine,
    matched: impl Iterator<Item = String>,
    from: Language,
    to: Language,
) -> Vec<Hint> {
    let mut out: Vec<Hint> = Vec::new();
    let mut seen = BTreeSet::new();
    for m in matched {
        let key = crate::text::fold_lower(&m);
        if !seen.insert(key) {
            continue;
        }
        let mut eq: Vec<String> = Vec::new();
        let words: Vec<&str> = m.split_whitespace().collect();
        let tries: Vec<&str> = if words.len() == 1 {
            words
        } else {
            words
                .into_iter()
                .filter(|w| w.chars().count() >= 4 && !crate::corpus::lang::is_stopword(w))
                .collect()
        };
        for w in tries {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            let terms = engine.glossary().translations(w);
            // the word must be a term of the exemplar's language in that entry
            if !terms.iter().any(|t| t.language == from) {
                continue;
            }
            for t in terms.iter().filter(|t| t.language == to) {
                if !eq.contains(&t.text) {
                    eq.push(t.text.clone());
                }
            }
        }
        if !eq.is_empty() {
            eq.truncate(4);
            out.push(Hint {
                term: m,
                equivalents: eq,
            });
        }
    }
    out
}

/// One peer practice as the brief lists it: who runs it, its title and kind, its summary, its
/// legal basis (with the instruments of the corpus it names, or said not to be there) and its
/// first source; as HTML (escaped) or as Markdown.
fn practice_line(p: &crate::search::PracticeHit, l: &Labels, html: bool) -> String {
    use crate::index::practices::LegalStatus;
    let e = |t: &str| if html { esc(t) } else { t.to_string() };
    let who = match (&p.country, p.countries.is_empty()) {
        (Some(c), _) => c.to_string(),
        (None, false) => p
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        (None, true) => String::new(),
    };
    let title = p.title_en.as_deref().unwrap_or(&p.title);
    let head = format!(
        "{} — {} ({}{})",
        e(&who),
        e(title),
        p.kind.as_str(),
        p.year.map(|y| format!(", {y}")).unwrap_or_default()
    );
    let mut out = if html {
        format!("<strong>{head}</strong>. {}", e(&p.summary))
    } else {
        format!("**{head}**. {}", p.summary)
    };
    if let Some(lb) = &p.legal_basis {
        let where_ = match p.legal_status {
            LegalStatus::Linked => p
                .legal_links
                .iter()
                .map(|k| {
                    format!(
                        "{}{}",
                        e(&k.title),
                        k.article
                            .as_ref()
                            .map(|a| format!(", {} {}", l.contents, e(a)))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => l.not_in_corpus.to_string(),
        };
        out.push_str(&format!(" {}: {} ({where_}).", l.legal_basis, e(lb)));
    }
    if let Some(src) = &p.source {
        // the brief is self-contained: addresses are printed, never linked
        if html {
            out.push_str(&format!(
                " {}: <span class=\"muted\">{}</span>",
                l.source,
                esc(src)
            ));
        } else {
            out.push_str(&format!(" {}: <{src}>", l.source));
        }
    }
    out
}

/// The document's labels in one language.
struct Labels {
    title: &'static str,
    made: &'static str,
    generation: &'static str,
    peers: &'static str,
    fallback: &'static str,
    partial: &'static str,
    coverage: &'static str,
    category: &'static str,
    provisions: &'static str,
    obligations: &'static str,
    peers_with: &'static str,
    gap: &'static str,
    gaps: &'static str,
    no_gaps: &'static str,
    has_none: &'static str,
    permissive_only: &'static str,
    scope: &'static str,
    vienna: &'static str,
    exemplars: &'static str,
    why: &'static str,
    hint: &'static str,
    nearest: &'static str,
    sources: &'static str,
    licence: &'static str,
    attribution: &'static str,
    not_stated: &'static str,
    contents: &'static str,
    source_partial: &'static str,
    no_exemplar: &'static str,
    practices: &'static str,
    legal_basis: &'static str,
    not_in_corpus: &'static str,
    source: &'static str,
}

static EN: Labels = Labels {
    title: "Consular law brief",
    made: "Prepared on",
    generation: "index generation",
    peers: "Compared with",
    fallback: "Note on peers",
    partial: "Incomplete sources",
    coverage: "Coverage against peers",
    category: "Category",
    provisions: "Provisions",
    obligations: "Obligations",
    peers_with: "Peers with obligations",
    gap: "gap",
    gaps: "Gaps and model provisions",
    no_gaps: "No gaps: wherever these peers have obligations, the country has too.",
    has_none: "has no provision in this category",
    permissive_only: "has only permissive or declaratory provisions in this category",
    scope: "Scope",
    vienna: "Vienna Convention on Consular Relations",
    exemplars: "Model provisions from peers",
    why: "Why",
    hint: "Translation hint",
    nearest: "The country's nearest provisions",
    sources: "Sources",
    licence: "Licence",
    attribution: "Attribution",
    not_stated: "not stated",
    contents: "article",
    source_partial: "source lacks articles",
    no_exemplar: "No peer provision here is offered as a model",
    practices: "Peer practices in this category",
    legal_basis: "Legal basis",
    not_in_corpus: "not in the corpus",
    source: "Source",
};

static ES: Labels = Labels {
    title: "Informe de derecho consular",
    made: "Preparado el",
    generation: "generación del índice",
    peers: "Comparado con",
    fallback: "Nota sobre los pares",
    partial: "Fuentes incompletas",
    coverage: "Cobertura frente a los pares",
    category: "Categoría",
    provisions: "Disposiciones",
    obligations: "Obligaciones",
    peers_with: "Pares con obligaciones",
    gap: "vacío",
    gaps: "Vacíos y disposiciones modelo",
    no_gaps: "Sin vacíos: donde estos pares tienen obligaciones, el país también.",
    has_none: "no tiene disposiciones en esta categoría",
    permissive_only: "solo tiene disposiciones permisivas o declarativas en esta categoría",
    scope: "Alcance",
    vienna: "Convención de Viena sobre Relaciones Consulares",
    exemplars: "Disposiciones modelo de los pares",
    why: "Por qué",
    hint: "Pista de traducción",
    nearest: "Disposiciones más cercanas del país",
    sources: "Fuentes",
    licence: "Licencia",
    attribution: "Atribución",
    not_stated: "no indicada",
    contents: "artículo",
    source_partial: "a la fuente le faltan artículos",
    no_exemplar: "Ninguna disposición de los pares se ofrece aquí como modelo",
    practices: "Prácticas de los pares en esta categoría",
    legal_basis: "Base legal",
    not_in_corpus: "no está en el corpus",
    source: "Fuente",
};

static FR: Labels = Labels {
    title: "Note de droit consulaire",
    made: "Établie le",
    generation: "génération de l'index",
    peers: "Comparé avec",
    fallback: "Note sur les pairs",
    partial: "Sources incomplètes",
    coverage: "Couverture par rapport aux pairs",
    category: "Catégorie",
    provisions: "Dispositions",
    obligations: "Obligations",
    peers_with: "Pairs ayant des obligations",
    gap: "lacune",
    gaps: "Lacunes et dispositions modèles",
    no_gaps: "Aucune lacune : là où ces pairs ont des obligations, le pays en a aussi.",
    has_none: "n'a aucune disposition dans cette catégorie",
    permissive_only: "n'a que des dispositions permissives ou déclaratives dans cette catégorie",
    scope: "Portée",
    vienna: "Convention de Vienne sur les relations consulaires",
    exemplars: "Dispositions modèles des pairs",
    why: "Pourquoi",
    hint: "Aide à la traduction",
    nearest: "Dispositions les plus proches du pays",
    sources: "Sources",
    licence: "Licence",
    attribution: "Attribution",
    not_stated: "non indiquée",
    contents: "article",
    source_partial: "la source est incomplète",
    no_exemplar: "Aucune disposition des pairs n'est proposée ici comme modèle",
    practices: "Pratiques des pairs dans cette catégorie",
    legal_basis: "Base juridique",
    not_in_corpus: "absente du corpus",
    source: "Source",
};

static PT: Labels = Labels {
    title: "Relatório de direito consular",
    made: "Preparado em",
    generation: "geração do índice",
    peers: "Comparado com",
    fallback: "Nota sobre os pares",
    partial: "Fontes incompletas",
    coverage: "Cobertura em relação aos pares",
    category: "Categoria",
    provisions: "Disposições",
    obligations: "Obrigações",
    peers_with: "Pares com obrigações",
    gap: "lacuna",
    gaps: "Lacunas e disposições modelo",
    no_gaps: "Sem lacunas: onde estes pares têm obrigações, o país também tem.",
    has_none: "não tem disposições nesta categoria",
    permissive_only: "só tem disposições permissivas ou declaratórias nesta categoria",
    scope: "Âmbito",
    vienna: "Convenção de Viena sobre Relações Consulares",
    exemplars: "Disposições modelo dos pares",
    why: "Por quê",
    hint: "Dica de tradução",
    nearest: "Disposições mais próximas do país",
    sources: "Fontes",
    licence: "Licença",
    attribution: "Atribuição",
    not_stated: "não indicada",
    contents: "artigo",
    source_partial: "faltam artigos na fonte",
    no_exemplar: "Nenhuma disposição dos pares é oferecida aqui como modelo",
    practices: "Práticas dos pares nesta categoria",
    legal_basis: "Base legal",
    not_in_corpus: "não está no corpus",
    source: "Fonte",
};

fn labels(lang: Language) -> &'static Labels {
    match lang {
        Language::Es => &ES,
        Language::En => &EN,
        Language::Fr => &FR,
        Language::Pt => &PT,
    }
}

/// The brief of a country rendered in a format: what `consulex brief` writes and `/v1/brief`
/// serves.
pub fn document(engine: &Engine, r: &BriefRequest, format: Format) -> Result<String> {
    Ok(render(&brief(engine, r)?, format))
}

/// Renders a brief in a format.
pub fn render(b: &Brief, format: Format) -> String {
    match format {
        Format::Html => render_html(b),
        Format::Md => render_md(b),
    }
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    crate::text::escape_html(s)
}

/// A provision's text as paragraphs (its line breaks kept).
fn paragraphs(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("<p>{}</p>", esc(l)))
        .collect()
}

const CSS: &str = "
:root { --ink: #1b1b1b; --muted: #555; --rule: #c8c8c8; --accent: #0b4f6c; }
* { box-sizing: border-box; }
body { font-family: Georgia, 'Times New Roman', serif; color: var(--ink); max-width: 50rem;
  margin: 2rem auto; padding: 0 1rem; line-height: 1.45; font-size: 11pt; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; color: var(--accent); }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-bottom: 0.3rem; }
h4 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
.meta, .muted { color: var(--muted); font-size: 0.9rem; }
.note { border-left: 4px solid #b58900; background: #fdf6e3; padding: 0.4rem 0.8rem; margin: 0.6rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid var(--rule); padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eef3f6; }
td.n { text-align: right; }
tr.gap td { background: #fff4f0; }
.gap-block { margin-top: 1.5rem; }
.exemplar { border: 1px solid var(--rule); border-radius: 4px; padding: 0.5rem 0.8rem; margin: 0.6rem 0; }
.exemplar .text { font-family: 'Helvetica Neue', Arial, sans-serif; font-size: 0.92rem; }
.exemplar .text p { margin: 0.25rem 0; }
blockquote { margin: 0.3rem 0 0.3rem 1rem; padding-left: 0.6rem; border-left: 3px solid var(--rule); color: #333; }
ul { margin: 0.3rem 0; padding-left: 1.3rem; }
code { font-size: 0.85rem; }
code, td, .meta { overflow-wrap: anywhere; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  .exemplar, tr, blockquote { break-inside: avoid; }
  .gap-block { break-before: auto; }
}
";

fn render_html(b: &Brief) -> String {
    let l = labels(b.lang);
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        b.lang.code(),
        esc(l.title),
        esc(&b.country_name)
    ));
    h.push_str(&format!(
        "<h1>{} — {} ({})</h1>\n<p class=\"meta\">{} {} · {} <code>{}</code> ({}) · taxonomy {}</p>\n",
        esc(l.title),
        esc(&b.country_name),
        b.country,
        esc(l.made),
        esc(&b.date),
        esc(l.generation),
        esc(&b.generation),
        esc(&b.generation_built_at),
        esc(&b.taxonomy_version)
    ));
    h.push_str(&format!(
        "<p><strong>{}:</strong> {} ({})</p>\n",
        esc(l.peers),
        esc(&b.peers_basis),
        esc(&join_codes(&b.peers))
    ));
    if let Some(f) = &b.peers_fallback {
        h.push_str(&format!(
            "<p class=\"note\"><strong>{}:</strong> {}</p>\n",
            esc(l.fallback),
            esc(f)
        ));
    }
    if !b.partial_sources.is_empty() {
        h.push_str(&format!(
            "<div class=\"note\"><strong>{}:</strong><ul>",
            esc(l.partial)
        ));
        for p in &b.partial_sources {
            h.push_str(&format!(
                "<li>{} (<code>{}</code>): {}</li>",
                esc(&p.title),
                esc(&p.instrument),
                esc(&p.summary)
            ));
        }
        h.push_str("</ul></div>\n");
    }

    h.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        esc(l.coverage),
        esc(l.category),
        esc(l.provisions),
        esc(l.obligations),
        esc(l.peers_with)
    ));
    for r in &b.coverage {
        h.push_str(&format!(
            "<tr{}><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td></tr>\n",
            if r.gap { " class=\"gap\"" } else { "" },
            esc(&r.label),
            if r.gap { format!(" <strong>({})</strong>", esc(l.gap)) } else { String::new() },
            r.provisions,
            r.obligations,
            r.peers_with_obligations,
            b.peers.len()
        ));
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str(&format!("<h2>{}</h2>\n", esc(l.gaps)));
    if b.gaps.is_empty() {
        h.push_str(&format!("<p>{}</p>\n", esc(l.no_gaps)));
    }
    for (i, g) in b.gaps.iter().enumerate() {
        h.push_str(&format!(
            "<section class=\"gap-block\">\n<h3>{}. {} <span class=\"muted\"><code>{}</code></span></h3>\n",
            i + 1,
            esc(&g.label),
            g.gap.category
        ));
        if let Some(c) = &g.gap.caveat {
            h.push_str(&format!("<p class=\"note\">{}</p>\n", esc(c)));
        }
        h.push_str(&format!(
            "<p>{} {}. {}: {}.</p>\n",
            esc(&b.country_name),
            esc(if g.gap.country_has == "none" {
                l.has_none
            } else {
                l.permissive_only
            }),
            esc(l.peers_with),
            esc(&join_codes(&g.gap.peers_with_obligations))
        ));
        h.push_str(&format!(
            "<p class=\"muted\"><strong>{}:</strong> {}</p>\n",
            esc(l.scope),
            esc(&g.scope)
        ));
        for v in &g.vccr {
            h.push_str(&format!(
                "<h4>{}, {} {}{}</h4>\n",
                esc(l.vienna),
                esc(l.contents),
                esc(&v.article),
                v.title
                    .as_ref()
                    .map(|t| format!(" — {}", esc(t)))
                    .unwrap_or_default()
            ));
            if let Some(q) = &v.quote {
                h.push_str(&format!("<blockquote>{}</blockquote>\n", esc(q)));
            }
        }
        h.push_str(&format!("<h4>{}</h4>\n", esc(l.exemplars)));
        if g.exemplars.is_empty() {
            h.push_str(&format!(
                "<p>{}{}</p>\n",
                esc(l.no_exemplar),
                g.gap
                    .exemplars_note
                    .as_ref()
                    .map(|n| format!(": {}", esc(n)))
                    .unwrap_or_else(|| ".".into())
            ));
        }
        for e in &g.exemplars {
            let x = &e.exemplar.item;
            h.push_str(&format!(
                "<div class=\"exemplar\">\n<p><strong>{} — {}, {} {}</strong>{}<br><span class=\"muted\"><code>{}</code> · {}</span></p>\n",
                esc(&e.country_name),
                esc(&x.instrument_title),
                esc(l.contents),
                esc(&x.number),
                x.heading.as_ref().map(|t| format!(" — {}", esc(t))).unwrap_or_default(),
                esc(x.id.as_str()),
                x.language
            ));
            h.push_str(&format!(
                "<p><strong>{}:</strong> {}</p>\n",
                esc(l.why),
                esc(&e.reason)
            ));
            h.push_str(&format!(
                "<div class=\"text\">{}</div>\n",
                paragraphs(&e.text)
            ));
            if !e.hints.is_empty() {
                let list: Vec<String> = e
                    .hints
                    .iter()
                    .map(|t| {
                        format!(
                            "<em>{}</em> → {}",
                            esc(&t.term),
                            esc(&t.equivalents.join(", "))
                        )
                    })
                    .collect();
                h.push_str(&format!(
                    "<p class=\"muted\"><strong>{} ({} → {}):</strong> {}</p>\n",
                    esc(l.hint),
                    x.language,
                    b.lang,
                    list.join("; ")
                ));
            }
            h.push_str("</div>\n");
        }
        if !g.gap.peer_practices.is_empty() {
            h.push_str(&format!("<h4>{}</h4>\n<ul>\n", esc(l.practices)));
            for p in &g.gap.peer_practices {
                h.push_str(&format!("<li>{}</li>\n", practice_line(p, l, true)));
            }
            h.push_str("</ul>\n");
        }
        h.push_str(&format!("<h4>{}</h4>\n", esc(l.nearest)));
        if g.gap.nearest.is_empty() {
            h.push_str(&format!(
                "<p>{}</p>\n",
                esc(g.gap.nearest_note.as_deref().unwrap_or(""))
            ));
        } else {
            h.push_str("<ul>\n");
            for n in &g.gap.nearest {
                h.push_str(&format!(
                    "<li><strong>{} {}</strong> ({}) — {}<br><span class=\"muted\">{}</span></li>\n",
                    esc(l.contents),
                    esc(&n.item.number),
                    esc(&n.item.instrument_title),
                    esc(&n.why),
                    esc(&n.item.excerpt)
                ));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }

    h.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        esc(l.sources),
        esc(l.sources),
        esc(l.licence),
        esc(l.attribution)
    ));
    for s in &b.sources {
        h.push_str(&format!(
            "<tr><td>{} ({})<br><code>{}</code>{}{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&s.title),
            s.country,
            esc(&s.instrument),
            s.source_url
                .as_ref()
                .map(|u| format!("<br><span class=\"muted\">{}</span>", esc(u)))
                .unwrap_or_default(),
            if s.partial {
                format!("<br><em>{}</em>", esc(l.source_partial))
            } else {
                String::new()
            },
            esc(s.licence.as_deref().unwrap_or(l.not_stated)),
            esc(s.attribution.as_deref().unwrap_or(l.not_stated))
        ));
    }
    h.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    h
}

fn join_codes(v: &[CountryCode]) -> String {
    v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// Markdown cell text: no line breaks, no pipes.
fn cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

fn render_md(b: &Brief) -> String {
    let l = labels(b.lang);
    let mut m = String::new();
    m.push_str(&format!(
        "# {} — {} ({})\n\n{} {} · {} `{}` ({}) · taxonomy {}\n\n",
        l.title,
        b.country_name,
        b.country,
        l.made,
        b.date,
        l.generation,
        b.generation,
        b.generation_built_at,
        b.taxonomy_version
    ));
    m.push_str(&format!(
        "**{}:** {} ({})\n\n",
        l.peers,
        b.peers_basis,
        join_codes(&b.peers)
    ));
    if let Some(f) = &b.peers_fallback {
        m.push_str(&format!("> **{}:** {f}\n\n", l.fallback));
    }
    if !b.partial_sources.is_empty() {
        m.push_str(&format!("> **{}:**\n", l.partial));
        for p in &b.partial_sources {
            m.push_str(&format!(
                "> - {} (`{}`): {}\n",
                p.title, p.instrument, p.summary
            ));
        }
        m.push('\n');
    }
    m.push_str(&format!(
        "## {}\n\n| {} | {} | {} | {} |\n|---|---:|---:|---:|\n",
        l.coverage, l.category, l.provisions, l.obligations, l.peers_with
    ));
    for r in &b.coverage {
        m.push_str(&format!(
            "| {}{} | {} | {} | {} / {} |\n",
            cell(&r.label),
            if r.gap {
                format!(" **({})**", l.gap)
            } else {
                String::new()
            },
            r.provisions,
            r.obligations,
            r.peers_with_obligations,
            b.peers.len()
        ));
    }
    m.push_str(&format!("\n## {}\n\n", l.gaps));
    if b.gaps.is_empty() {
        m.push_str(&format!("{}\n\n", l.no_gaps));
    }
    for (i, g) in b.gaps.iter().enumerate() {
        m.push_str(&format!(
            "### {}. {} (`{}`)\n\n",
            i + 1,
            g.label,
            g.gap.category
        ));
        if let Some(c) = &g.gap.caveat {
            m.push_str(&format!("> {c}\n\n"));
        }
        m.push_str(&format!(
            "{} {}. {}: {}.\n\n*{}:* {}\n\n",
            b.country_name,
            if g.gap.country_has == "none" {
                l.has_none
            } else {
                l.permissive_only
            },
            l.peers_with,
            join_codes(&g.gap.peers_with_obligations),
            l.scope,
            g.scope
        ));
        for v in &g.vccr {
            m.push_str(&format!(
                "**{}, {} {}{}**\n\n",
                l.vienna,
                l.contents,
                v.article,
                v.title
                    .as_ref()
                    .map(|t| format!(" — {t}"))
                    .unwrap_or_default()
            ));
            if let Some(q) = &v.quote {
                m.push_str(&format!("> {}\n\n", q.replace('\n', "\n> ")));
            }
        }
        m.push_str(&format!("#### {}\n\n", l.exemplars));
        if g.exemplars.is_empty() {
            m.push_str(&format!(
                "{}{}\n\n",
                l.no_exemplar,
                g.gap
                    .exemplars_note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_else(|| ".".into())
            ));
        }
        for e in &g.exemplars {
            let x = &e.exemplar.item;
            m.push_str(&format!(
                "**{} — {}, {} {}**{} (`{}`, {})\n\n*{}:* {}\n\n",
                e.country_name,
                x.instrument_title,
                l.contents,
                x.number,
                x.heading
                    .as_ref()
                    .map(|t| format!(" — {t}"))
                    .unwrap_or_default(),
                x.id,
                x.language,
                l.why,
                e.reason
            ));
            for line in e.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                m.push_str(&format!("> {line}\n>\n"));
            }
            m.push('\n');
            if !e.hints.is_empty() {
                let list: Vec<String> = e
                    .hints
                    .iter()
                    .map(|t| format!("*{}* → {}", t.term, t.equivalents.join(", ")))
                    .collect();
                m.push_str(&format!(
                    "{} ({} → {}): {}\n\n",
                    l.hint,
                    x.language,
                    b.lang,
                    list.join("; ")
                ));
            }
        }
        if !g.gap.peer_practices.is_empty() {
            m.push_str(&format!("#### {}\n\n", l.practices));
            for p in &g.gap.peer_practices {
                m.push_str(&format!("- {}\n", practice_line(p, l, false)));
            }
            m.push('\n');
        }
        m.push_str(&format!("#### {}\n\n", l.nearest));
        if g.gap.nearest.is_empty() {
            m.push_str(&format!(
                "{}\n\n",
                g.gap.nearest_note.as_deref().unwrap_or("")
            ));
        } else {
            for n in &g.gap.nearest {
                m.push_str(&format!(
                    "- **{} {}** ({}) — {}\n",
                    l.contents, n.item.number, n.item.instrument_title, n.why
                ));
            }
            m.push('\n');
        }
    }
    m.push_str(&format!(
        "## {}\n\n| {} | {} | {} |\n|---|---|---|\n",
        l.sources, l.sources, l.licence, l.attribution
    ));
    for s in &b.sources {
        m.push_str(&format!(
            "| {} ({}) `{}`{}{} | {} | {} |\n",
            cell(&s.title),
            s.country,
            s.instrument,
            s.source_url
                .as_ref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default(),
            if s.partial {
                format!(" *{}*", l.source_partial)
            } else {
                String::new()
            },
            cell(s.licence.as_deref().unwrap_or(l.not_stated)),
            cell(s.attribution.as_deref().unwrap_or(l.not_stated))
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_it_prints() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(paragraphs("a\n\n b <c>\n"), "<p>a</p><p>b &lt;c&gt;</p>");
    }

    #[test]
    fn formats_parse_and_have_content_types() {
        assert_eq!("HTML".parse::<Format>(), Ok(Format::Html));
        assert_eq!("markdown".parse::<Format>(), Ok(Format::Md));
        assert!("pdf".parse::<Format>().is_err());
        assert!(Format::Md.content_type().starts_with("text/markdown"));
    }

    #[test]
    fn the_css_loads_nothing_from_outside() {
        assert!(!CSS.contains("url(") && !CSS.contains("@import"));
    }

    #[test]
    fn every_language_has_its_labels() {
        for l in Language::ALL {
            let x = labels(l);
            assert!(!x.title.is_empty() && !x.licence.is_empty() && !x.nearest.is_empty());
        }
        assert_ne!(labels(Language::Es).title, labels(Language::En).title);
    }
}
