//! Reading the corpus: finds the source files under a corpus root, hands each to the reader of
//! its format, and turns what the readers return into `Instrument`s and `Provision`s with stable
//! ids, languages, provenance and (for Canada) English/French twins. Bad files are rejected with
//! a reason and never stop the run.

pub mod audit;
pub mod canada;
pub mod countries;
pub mod json;
pub mod lang;
pub mod markdown;
pub mod mexico;
pub mod model;
pub mod planalto;
pub mod raw;
pub mod treaty;
pub mod uscode;

use crate::error::{Error, Result};
use model::{
    bytes_hash, content_hash, eid_number, CountryCode, Instrument, InstrumentKind, Language,
    Provision, ProvisionId,
};
use raw::{ParsedDoc, ReadError};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The source formats the corpus holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = SourceFormat)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Markdown,
    TreatyMarkdown,
    CanadaXml,
    Json,
    /// A bare Planalto page (`.htm`, `.html`); Planalto HTML inside JSON is sniffed as `Json`.
    PlanaltoHtml,
    /// A symbolic link: never followed (it may lead outside the corpus or loop), always
    /// reported as a rejected file.
    Link,
}

/// A file found under the corpus root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative path with `/` separators (`CA/eng/acts/F-29.4.xml`).
    pub rel: String,
    pub path: PathBuf,
    pub country: CountryCode,
    pub format: Format,
}

/// An instrument with its provisions, as read.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Loaded {
    pub instrument: Instrument,
    pub provisions: Vec<Provision>,
    pub warnings: Vec<String>,
    pub bytes: usize,
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Rejected {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

/// The whole corpus as read.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Corpus {
    pub instruments: Vec<Loaded>,
    pub rejected: Vec<Rejected>,
}

impl Corpus {
    pub fn provisions(&self) -> impl Iterator<Item = (&Instrument, &Provision)> {
        self.instruments
            .iter()
            .flat_map(|l| l.provisions.iter().map(move |p| (&l.instrument, p)))
    }
    pub fn provision_count(&self) -> usize {
        self.instruments.iter().map(|l| l.provisions.len()).sum()
    }
    pub fn bytes(&self) -> usize {
        self.instruments.iter().map(|l| l.bytes).sum()
    }
}

/// Licence and attribution of a folder of sources, from the nearest `PROVENANCE.md` and
/// `LICENSE` up the folder tree (US/usc-t22 has its own, apart from the rest of US/).
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub licence: Option<String>,
    pub attribution: Option<String>,
    /// The licence text's file, relative to the corpus root.
    pub licence_file: Option<String>,
}

fn read_provenance_file(path: &Path) -> Option<Provenance> {
    let text = std::fs::read_to_string(path).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| {
                l.trim_start_matches(['-', ' '])
                    .strip_prefix(name)
                    .map(|v| v.trim().to_string())
            })
            .filter(|v| !v.is_empty())
    };
    let repo = field("Repository:");
    let licence = field("Licence / status:");
    Some(Provenance {
        attribution: repo.map(|r| {
            format!("Text reproduced from {r}; see the licence for the required attribution.")
        }),
        licence,
        licence_file: None,
    })
}

/// The provenance of the files in `dir` (relative to `root`): the nearest `PROVENANCE.md` and
/// the nearest `LICENSE*` file, each looked for from `dir` up to the country folder.
fn provenance_for(root: &Path, dir: &Path) -> Provenance {
    let mut prov: Option<Provenance> = None;
    let mut licence_file: Option<String> = None;
    let mut d = dir;
    loop {
        let here = root.join(d);
        if prov.is_none() {
            prov = read_provenance_file(&here.join("PROVENANCE.md"));
        }
        if licence_file.is_none() {
            licence_file = ["LICENSE", "LICENSE.md", "LICENSE.txt"]
                .iter()
                .map(|n| d.join(n))
                .find(|p| root.join(p).is_file())
                .map(|p| rel_path(&p));
        }
        match d.parent() {
            Some(p) if !p.as_os_str().is_empty() => d = p,
            _ => break,
        }
    }
    let mut p = prov.unwrap_or_default();
    p.licence_file = licence_file;
    p
}

fn rel_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

const SKIP_NAMES: [&str; 3] = ["PROVENANCE.md", "README.md", "LICENSE.md"];

/// Lists the instrument files under `root`, sorted, with their format and country.
pub fn discover(root: &Path) -> Result<Vec<SourceFile>> {
    if !root.is_dir() {
        return Err(Error::Config(format!(
            "corpus directory {} does not exist",
            root.display()
        )));
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(2).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Config(format!("walking {}: {e}", root.display())))?;
        let link = entry.path_is_symlink();
        if !entry.file_type().is_file() && !link {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel_path = path.strip_prefix(root).unwrap_or(&path);
        let rel = rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let name = entry.file_name().to_string_lossy();
        if SKIP_NAMES.contains(&name.as_ref())
            || name.starts_with("LICENSE")
            || name.starts_with('.')
        {
            continue;
        }
        let top = rel.split('/').next().unwrap_or("");
        let Ok(country) = top.parse::<CountryCode>() else {
            continue; // folders that are not countries hold no instruments
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let format = match ext.as_str() {
            _ if link => Format::Link,
            "md" if country.is_intl() => Format::TreatyMarkdown,
            "md" => Format::Markdown,
            "xml" => Format::CanadaXml,
            "json" => Format::Json,
            "htm" | "html" => Format::PlanaltoHtml,
            _ => continue,
        };
        out.push(SourceFile {
            rel,
            path,
            country,
            format,
        });
    }
    Ok(out)
}

/// Lower-case slug used in instrument ids.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in crate::text::fold_lower(s).chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The instrument id of a file: country plus its path inside the country folder; a folder that
/// the file name repeats is said once (`US/usc-t22/USC-T22-S1731.md` -> `us-usc-t22-s1731`).
pub fn instrument_id(rel: &str) -> String {
    let no_ext = rel.rsplit_once('.').map_or(rel, |(a, _)| a);
    let owned;
    let no_ext = match no_ext.rsplit_once('/') {
        Some((dir, stem)) => match dir.rsplit_once('/') {
            Some((parent, last)) if stem.to_lowercase().starts_with(&last.to_lowercase()) => {
                owned = format!("{parent}/{stem}");
                owned.as_str()
            }
            _ => no_ext,
        },
        None => no_ext,
    };
    let mut parts = no_ext.splitn(2, '/');
    let cc = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("");
    // Canadian files live in eng/acts, fra/lois ...: the language folder stays, the kind folder goes.
    let rest = rest
        .replace("/acts/", "/")
        .replace("/lois/", "/")
        .replace("/regulations/", "/")
        .replace("/reglements/", "/");
    slug(&format!("{cc}-{rest}"))
}

/// Key shared by a Canadian English file and its French twin.
pub fn canada_twin_key(rel: &str) -> Option<String> {
    let rest = rel.strip_prefix("CA/")?;
    let (_, rest) = rest.split_once('/')?;
    let (_, stem) = rest.split_once('/')?;
    let stem = stem.rsplit_once('.').map_or(stem, |(a, _)| a);
    let stem = stem
        .replacen("DORS-", "SOR-", 1)
        .replacen("TR-", "SI-", 1)
        .replace("_ch._", "_c._");
    Some(stem)
}

fn kind_from_file(rel: &str) -> InstrumentKind {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_lowercase();
    if name.starts_with("ley") || name.contains("-ley-") {
        InstrumentKind::Law
    } else if name.starts_with("dec") || name.contains("decreto") {
        InstrumentKind::Decree
    } else {
        InstrumentKind::Other
    }
}

/// Reads one file into an instrument (without twins, which need the whole corpus).
pub fn read_file(src: &SourceFile, prov: &Provenance) -> std::result::Result<Loaded, Rejected> {
    let reject = |e: ReadError| Rejected {
        file: src.rel.clone(),
        line: e.line,
        reason: e.reason,
    };
    if src.format == Format::Link {
        let target = std::fs::read_link(&src.path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|e| format!("unreadable link: {e}"));
        return Err(reject(ReadError::new(format!(
            "symbolic link to {target}: not followed (links may lead outside the corpus or loop); put the file itself in the corpus"
        ))));
    }
    let bytes = std::fs::read(&src.path)
        .map_err(|e| reject(ReadError::new(format!("cannot read: {e}"))))?;
    let doc = match src.format {
        // Markdown comes in three shapes that the extension does not tell apart; each reader
        // recognises its own from the first lines.
        Format::Markdown if uscode::sniff(&bytes) => uscode::read(&bytes),
        Format::Markdown if mexico::sniff(&bytes) => mexico::read(&bytes),
        Format::Markdown => markdown::read(&bytes),
        Format::TreatyMarkdown => treaty::read(&bytes),
        Format::CanadaXml => canada::read(&bytes),
        Format::Json if planalto::sniff_json(&bytes) => planalto::read_json(&bytes),
        Format::Json => json::read(&bytes),
        Format::PlanaltoHtml => planalto::read_html(&bytes),
        Format::Link => Err(ReadError::new("symbolic link: not followed")),
    }
    .map_err(reject)?;
    assemble(src, prov, &bytes, doc).map_err(reject)
}

fn assemble(
    src: &SourceFile,
    prov: &Provenance,
    bytes: &[u8],
    doc: ParsedDoc,
) -> std::result::Result<Loaded, ReadError> {
    let ParsedDoc {
        meta,
        provisions: raw,
        mut warnings,
    } = doc;
    let id = instrument_id(&src.rel);
    let completeness = audit::audit(&raw);
    if let Some(c) = &meta.country {
        if !c.eq_ignore_ascii_case(src.country.as_str()) {
            warnings.push(format!(
                "front matter says country '{c}', folder says {}: folder wins",
                src.country
            ));
        }
    }
    let title = meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| ReadError::new("missing required metadata: title"))?;
    if raw.is_empty() {
        return Err(ReadError::new(
            "no recognisable provisions (no article or section headings)",
        ));
    }
    let sample: String = raw
        .iter()
        .take(40)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let language = match meta.language.as_deref().map(str::parse::<Language>) {
        Some(Ok(l)) => l,
        _ => lang::detect(&format!("{title} {sample}"))
            .ok_or_else(|| ReadError::new("cannot tell the language: too few words"))?,
    };
    let kind = if src.country.is_intl() {
        InstrumentKind::Treaty
    } else {
        match meta.rank.as_deref().map(InstrumentKind::from_rank) {
            Some(InstrumentKind::Other) | None => kind_from_file(&src.rel),
            Some(k) => k,
        }
    };
    let status = meta
        .status
        .as_deref()
        .map(crate::text::fold_lower)
        .unwrap_or_default();
    let in_force = !(status.contains("derog")
        || status.contains("repeal")
        || status.contains("not_in_force")
        || status.contains("no vigente")
        || status.contains("abrog"));
    let instrument = Instrument {
        id: id.clone(),
        country: src.country.clone(),
        kind,
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        language,
        identifier: meta.identifier,
        publication_date: meta
            .publication_date
            .filter(|d| d.len() >= 4 && !d.starts_with("1900")),
        last_updated: meta.last_updated.filter(|d| !d.starts_with("1900")),
        in_force,
        source_url: meta.source_url,
        attribution: prov.attribution.clone(),
        licence: prov.licence.clone(),
        licence_file: prov.licence_file.clone(),
        file: src.rel.clone(),
        twin: None,
        file_hash: bytes_hash(bytes),
        completeness,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut provisions = Vec::with_capacity(raw.len());
    for r in raw {
        let num_for_eid = r
            .number
            .strip_prefix(r.element)
            .filter(|s| !s.is_empty())
            .unwrap_or(&r.number);
        let base = format!("{}_{}", r.element, eid_number(num_for_eid));
        let base = match &r.part_eid {
            Some(p) => format!("{p}__{base}"),
            None => base,
        };
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let eid = if *n == 1 {
            base
        } else {
            format!("{base}__{n}")
        };
        let mut text = r.text;
        if text.trim().is_empty() {
            match &r.heading {
                Some(h) if !h.trim().is_empty() => text = h.clone(),
                _ => {
                    warnings.push(format!(
                        "{}provision {} has no text: skipped",
                        r.line.map(|l| format!("line {l}: ")).unwrap_or_default(),
                        r.number
                    ));
                    continue;
                }
            }
        }
        let heading = r.heading.filter(|h| !h.trim().is_empty());
        let hash = content_hash(&[&r.number, heading.as_deref().unwrap_or(""), &text]);
        provisions.push(Provision {
            id: ProvisionId::new(&id, &eid),
            instrument: id.clone(),
            eid,
            number: r.number,
            heading,
            hierarchy: r.hierarchy,
            repealed: r.repealed,
            vetoed: r.vetoed,
            transitory: r.transitory,
            notes: r.notes,
            part: r.part_label,
            language,
            position: provisions.len(),
            twin: None,
            content_hash: hash,
            text,
        });
    }
    if provisions.is_empty() {
        return Err(ReadError::new("no provision with text"));
    }
    Ok(Loaded {
        instrument,
        provisions,
        warnings,
        bytes: bytes.len(),
    })
}

/// Reads the whole corpus, in parallel unless `parallel` is false.
pub fn load(root: &Path, parallel: bool) -> Result<Corpus> {
    let files = discover(root)?;
    load_files(root, &files, parallel)
}

/// Reads the given files of a corpus root.
pub fn load_files(root: &Path, files: &[SourceFile], parallel: bool) -> Result<Corpus> {
    // One provenance per folder holding files, looked up once.
    let folder = |f: &SourceFile| -> PathBuf {
        Path::new(&f.rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let dirs: HashSet<PathBuf> = files.iter().map(folder).collect();
    let provenance: HashMap<PathBuf, Provenance> = dirs
        .into_iter()
        .map(|d| {
            let p = provenance_for(root, &d);
            (d, p)
        })
        .collect();
    let read = |f: &SourceFile| {
        read_file(
            f,
            provenance.get(&folder(f)).unwrap_or(&Provenance::default()),
        )
    };
    let results: Vec<_> = if parallel {
        files.par_iter().map(read).collect()
    } else {
        files.iter().map(read).collect()
    };
    let mut corpus = Corpus::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (f, r) in files.iter().zip(results) {
        match r {
            Ok(l) => {
                if let Some(first) = ids.get(&l.instrument.id) {
                    corpus.rejected.push(Rejected {
                        file: f.rel.clone(),
                        line: None,
                        reason: format!(
                            "duplicate instrument id {} (already used by {first})",
                            l.instrument.id
                        ),
                    });
                } else {
                    ids.insert(l.instrument.id.clone(), f.rel.clone());
                    corpus.instruments.push(l);
                }
            }
            Err(rej) => corpus.rejected.push(rej),
        }
    }
    link_twins(&mut corpus);
    Ok(corpus)
}

/// Links Canadian English and French instruments and their sections (same eId in both).
pub fn link_twins(corpus: &mut Corpus) {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in corpus.instruments.iter().enumerate() {
        if let Some(k) = canada_twin_key(&l.instrument.file) {
            by_key.entry(k).or_default().push(i);
        }
    }
    for idx in by_key.values() {
        let [a, b] = idx.as_slice() else { continue };
        let (a, b) = (*a, *b);
        if corpus.instruments[a].instrument.language == corpus.instruments[b].instrument.language {
            continue;
        }
        let ida = corpus.instruments[a].instrument.id.clone();
        let idb = corpus.instruments[b].instrument.id.clone();
        let eids_b: HashSet<String> = corpus.instruments[b]
            .provisions
            .iter()
            .map(|p| p.eid.clone())
            .collect();
        let eids_a: HashSet<String> = corpus.instruments[a]
            .provisions
            .iter()
            .map(|p| p.eid.clone())
            .collect();
        corpus.instruments[a].instrument.twin = Some(idb.clone());
        corpus.instruments[b].instrument.twin = Some(ida.clone());
        for p in &mut corpus.instruments[a].provisions {
            if eids_b.contains(&p.eid) {
                p.twin = Some(ProvisionId::new(&idb, &p.eid));
            }
        }
        for p in &mut corpus.instruments[b].provisions {
            if eids_a.contains(&p.eid) {
                p.twin = Some(ProvisionId::new(&ida, &p.eid));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_twin_keys() {
        assert_eq!(instrument_id("AR/LEY-17081.md"), "ar-ley-17081");
        assert_eq!(instrument_id("CA/eng/acts/F-29.4.xml"), "ca-eng-f-29.4");
        assert_eq!(
            instrument_id("US/usc-t22/USC-T22-S1731.md"),
            "us-usc-t22-s1731"
        );
        assert_eq!(
            instrument_id("CA/fra/reglements/DORS-95-538.xml"),
            "ca-fra-dors-95-538"
        );
        assert_eq!(
            canada_twin_key("CA/fra/reglements/DORS-95-538.xml"),
            canada_twin_key("CA/eng/regulations/SOR-95-538.xml")
        );
        assert_eq!(
            canada_twin_key("CA/fra/reglements/TR-81-86.xml"),
            canada_twin_key("CA/eng/regulations/SI-81-86.xml")
        );
        assert_eq!(
            canada_twin_key("CA/fra/reglements/C.R.C.,_ch._719.xml"),
            canada_twin_key("CA/eng/regulations/C.R.C.,_c._719.xml")
        );
    }
}
