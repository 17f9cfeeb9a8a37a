//! Reader for national laws published as Markdown with YAML front matter (AR, CO, CL, UY).
//!
//! The front matter is a flat `key: value` map whose keys come in English or Spanish; the body
//! marks articles in many typographic styles (`ARTÍCULO 1º.-`, `**ARTICULO 1º –**`,
//! `##### Artículo 12`, `**Artículo 5 bis**`, `ARTICULO 69`, `Art. 3`, `Artículo14`). Chapter and
//! title headings become the provision's hierarchy. A law that approves a treaty and reproduces
//! it restarts its numbering at 1: the reproduced text becomes a marked part (`annex_1__art_36`).
//!
//! Not for: the treaty Markdown under INTL (see `treaty`), which has no front matter.

use super::raw::{close_provision, decode_utf8, DocMeta, ParsedDoc, RawProvision, ReadError};
use crate::corpus::model::normalise_number;
use regex::Regex;
use std::sync::OnceLock;

/// Keys understood in the front matter, English and Spanish, and the field each fills.
const KEYS: &[(&str, &str)] = &[
    ("title", "title"),
    ("titulo", "title"),
    ("identifier", "identifier"),
    ("identificador", "identifier"),
    ("country", "country"),
    ("pais", "country"),
    ("rank", "rank"),
    ("rango", "rank"),
    ("publication_date", "publication_date"),
    ("fecha_publicacion", "publication_date"),
    ("last_updated", "last_updated"),
    ("ultima_actualizacion", "last_updated"),
    ("status", "status"),
    ("estado", "status"),
    ("source", "source"),
    ("fuente", "source"),
    ("language", "language"),
    ("idioma", "language"),
    ("lang", "language"),
];

fn article_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Capital first letter is required: a wrapped line of running text that starts with
        // "artículo 54 y los párrafos" is not a heading.
        Regex::new(
            r"^[#\s*_>]*(?:ART[IÍ]CULO|Art[ií]culo|ARTICULO|Art\.)\s*(\d+(?:\.\d+)*(?:-[A-Z]\b)?|[ÚU]NICO|[ÚUúu]nico|[IVXL]+\b|PRIMERO|Primero)\s*(?:[º°o](?:\s|\.|-|–|—|\*|$))?\s*((?:bis|ter|qu[aá]ter|quinquies|sexies|septies|octies|[A-Z])\b)?(.*)$",
        )
        .expect("static regex")
    })
}

fn structure_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?i:libro|parte|t[ií]tulo|cap[ií]tulo|secci[oó]n|p[aá]rrafo|subt[ií]tulo)\s+([IVXLC]+|\d+|[ÚU]NICO|[ÚU]nico|PRIMERO|Primero|preliminar|PRELIMINAR)\b")
            .expect("static regex")
    })
}

/// Parses the front matter into known fields, warning about unparseable lines.
fn front_matter(lines: &[&str], meta: &mut DocMeta, warnings: &mut Vec<String>) {
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line
            .split_once(':')
            .filter(|(k, _)| !k.trim().contains(' '))
        else {
            // A value folded onto the next line continues the previous key.
            if i == 0 {
                warnings.push(format!("line {}: front matter line without 'key:'", i + 2));
            }
            continue;
        };
        let key = crate::text::fold_lower(key.trim());
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        let Some((_, field)) = KEYS.iter().find(|(k, _)| *k == key) else {
            continue; // unknown keys are kept out of the model, not an error
        };
        let slot = match *field {
            "title" => &mut meta.title,
            "identifier" => &mut meta.identifier,
            "country" => &mut meta.country,
            "rank" => &mut meta.rank,
            "publication_date" => &mut meta.publication_date,
            "last_updated" => &mut meta.last_updated,
            "status" => &mut meta.status,
            "source" => &mut meta.source_url,
            _ => &mut meta.language,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    v.replace("\\\"", "\"")
}

/// Removes Markdown markup from a line: heading hashes, emphasis, links, html tags.
pub fn strip_markup(line: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    static TAG: OnceLock<Regex> = OnceLock::new();
    let link = LINK.get_or_init(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("static regex"));
    let tag = TAG.get_or_init(|| Regex::new(r"</?[a-zA-Z][^>]*>").expect("static regex"));
    let l = line.trim_start_matches(['#', '>']).trim();
    let l = link.replace_all(l, "$1");
    let l = tag.replace_all(&l, " ");
    l.replace("**", " ")
        .replace("__", " ")
        .replace(['*', '\u{ad}'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

struct Heading {
    number: String,
    heading: Option<String>,
    rest: String,
}

/// Recognises an article heading line and splits it into number, heading and first text.
fn article_heading(line: &str) -> Option<Heading> {
    let caps = article_re().captures(line)?;
    let num = caps.get(1)?.as_str();
    let suffix = caps.get(2).map(|m| m.as_str()).unwrap_or("");
    let rest_raw = caps.get(3).map(|m| m.as_str()).unwrap_or("");
    // Reject references that happen to start a line: "Artículo 91 de la Ley 20.957."
    let after = rest_raw.trim_start_matches(['*', ' ', '_']);
    let first_word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    if (matches!(
        first_word.as_str(),
        "de" | "del"
            | "y"
            | "a"
            | "en"
            | "o"
            | "que"
            | "al"
            | "inciso"
            | "numeral"
            | "literal"
            | "bis"
            | "ter"
    ) || after.starts_with([',', ';', ')']))
        && (suffix.is_empty() || !first_word.is_empty())
    {
        return None;
    }
    // A single capital letter suffix is only a suffix when followed by punctuation (20-A, 5 A.-).
    let suffix = if suffix.len() == 1
        && !rest_raw
            .trim_start()
            .starts_with(['.', '-', '–', '—', ')', '*'])
    {
        ""
    } else {
        suffix
    };
    let rest_raw = if suffix.is_empty() {
        &line[caps
            .get(2)
            .map_or(caps.get(3).map_or(line.len(), |m| m.start()), |m| m.start())..]
    } else {
        rest_raw
    };
    let number = normalise_number(&format!("{num} {suffix}"));
    let label_bold = line.trim_start_matches(['#', ' ']).starts_with("**");
    let (heading, rest) = split_heading(rest_raw, label_bold);
    let rest = strip_markup(&rest);
    let rest = trim_punct(&rest).to_string();
    Some(Heading {
        number,
        heading,
        rest,
    })
}

fn trim_punct(s: &str) -> &str {
    s.trim_start_matches(['.', '-', '–', '—', ':', ' ', '°', 'º', ')'])
}

/// Splits what follows an article label into an optional bold heading and the text.
/// `**ARTICULO 3° De la prueba.** Para...` and `**Artículo 12****Exequátur**` carry headings;
/// `**Artículo 5**. El texto` does not.
fn split_heading(rest_raw: &str, label_bold: bool) -> (Option<String>, String) {
    let r = trim_punct(rest_raw);
    if !label_bold {
        return (None, r.to_string());
    }
    let Some(end) = r.find("**") else {
        return (None, r.to_string());
    };
    let before = r[..end].trim_matches(|c: char| matches!(c, '.' | '-' | '–' | '—' | ' ' | ':'));
    let after = &r[end + 2..];
    if before.is_empty() {
        let a = trim_punct(after);
        if let Some(inner) = a.strip_prefix("**") {
            if let Some(e2) = inner.find("**") {
                let head = strip_markup(&inner[..e2]);
                let head = head
                    .trim_matches(|c: char| matches!(c, '.' | ' '))
                    .to_string();
                if !head.is_empty() {
                    return (Some(head), inner[e2 + 2..].to_string());
                }
            }
        }
        return (None, after.to_string());
    }
    let head = strip_markup(before);
    if head.chars().next().is_some_and(|c| c.is_uppercase()) && head.chars().count() < 160 {
        (Some(head), after.to_string())
    } else {
        (None, format!("{before} {after}"))
    }
}

/// Parses a Markdown file with front matter into provisions.
pub fn read(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let text = decode_utf8(bytes)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut doc = ParsedDoc::default();
    let mut body_start = 0;
    if lines.first().map(|l| l.trim()) == Some("---") {
        let end = lines[1..]
            .iter()
            .position(|l| l.trim() == "---")
            .ok_or_else(|| ReadError::at(1, "front matter opened with '---' is never closed"))?;
        front_matter(&lines[1..=end], &mut doc.meta, &mut doc.warnings);
        body_start = end + 2;
    } else {
        doc.warnings
            .push("no front matter: metadata from folder and file".into());
    }

    let mut hierarchy: Vec<(usize, String)> = Vec::new();
    let mut current: Option<RawProvision> = None;
    let mut body: Vec<String> = Vec::new();
    let mut part: Option<(String, String)> = None; // (eid, label)
    let mut parts = 0usize;
    let mut seen_in_part = 0usize;
    let mut last_caps_line: Option<String> = None;

    // A short first line followed by a new sentence is the article's title
    // ("Inviolabilidad de los archivos consulares"); it stays in the text as printed.
    let flush =
        |cur: &mut Option<RawProvision>, body: &mut Vec<String>, out: &mut Vec<RawProvision>| {
            if let Some(p) = cur
                .as_mut()
                .filter(|p| p.heading.is_none() && body.len() >= 2)
            {
                let first = &body[0];
                let next_upper = body[1].chars().next().is_some_and(|c| c.is_uppercase());
                let starts_upper = first.chars().next().is_some_and(|c| c.is_uppercase());
                if first.chars().count() <= 100
                    && !first.ends_with(['.', ';', ':', ','])
                    && starts_upper
                    && next_upper
                {
                    p.heading = Some(first.clone());
                }
            }
            close_provision(cur, body, out);
        };

    for (i, raw_line) in lines.iter().enumerate().skip(body_start) {
        let line_no = i + 1;
        let trimmed = raw_line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(h) = article_heading(trimmed) {
            flush(&mut current, &mut body, &mut doc.provisions);
            // Numbering restarting at 1 after articles means a reproduced text begins.
            let restarts = (h.number == "1" || h.number == "primero") && seen_in_part > 0;
            if restarts {
                parts += 1;
                let label = last_caps_line
                    .clone()
                    .unwrap_or_else(|| format!("Anexo {parts}"));
                part = Some((format!("annex_{parts}"), label.clone()));
                hierarchy.clear();
                seen_in_part = 0;
            }
            seen_in_part += 1;
            let mut hier: Vec<String> = hierarchy.iter().map(|(_, h)| h.clone()).collect();
            if let Some((_, label)) = &part {
                hier.insert(0, label.clone());
            }
            current = Some(RawProvision {
                element: "art",
                number: h.number,
                heading: h.heading.clone(),
                hierarchy: hier,
                part_eid: part.as_ref().map(|(e, _)| e.clone()),
                part_label: part.as_ref().map(|(_, l)| l.clone()),
                line: Some(line_no),
                ..Default::default()
            });
            // The text keeps the heading words as printed (the title is also kept apart).
            if let Some(head) = &h.heading {
                body.push(head.clone());
            }
            if !h.rest.is_empty() {
                body.push(h.rest);
            }
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        let plain = strip_markup(trimmed);
        if plain.is_empty() {
            continue;
        }
        if hashes == 1 {
            // The document title repeated as a level-1 heading.
            if doc.meta.title.is_none() {
                doc.meta.title = Some(plain);
            }
            continue;
        }
        let structural = structure_re().is_match(&plain);
        if structural || (hashes >= 2 && current.is_none()) {
            flush(&mut current, &mut body, &mut doc.provisions);
            let level = structural_level(&plain, hashes);
            hierarchy.retain(|(l, _)| *l < level);
            hierarchy.push((level, plain.chars().take(200).collect()));
            continue;
        }
        if plain.chars().filter(|c| c.is_alphabetic()).count() >= 8
            && plain.chars().filter(|c| c.is_lowercase()).count() == 0
        {
            last_caps_line = Some(plain.chars().take(200).collect());
        }
        if current.is_some() {
            body.push(plain);
        }
    }
    flush(&mut current, &mut body, &mut doc.provisions);
    Ok(doc)
}

/// Depth of a structural heading: books above titles above chapters above sections.
fn structural_level(plain: &str, hashes: usize) -> usize {
    let f = crate::text::fold_lower(plain);
    let word = f.split_whitespace().next().unwrap_or("");
    match word {
        "libro" => 1,
        "parte" => 2,
        "titulo" | "subtitulo" => 3,
        "capitulo" => 4,
        "seccion" => 5,
        "parrafo" => 6,
        _ => hashes.max(2) + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_styles_are_recognised() {
        let cases = [
            ("ARTÍCULO 1º.- Los cónsules", "1", "Los cónsules"),
            ("**ARTICULO 1º –**Los cónsules", "1", "Los cónsules"),
            ("##### Artículo 12", "12", ""),
            ("**Artículo 5 bis**", "5 bis", ""),
            ("ARTICULO 69", "69", ""),
            ("Art. 3 - Texto", "3", "Texto"),
            ("Artículo14", "14", ""),
            ("##### ARTICULO 4°.- Corresponde", "4", "Corresponde"),
            ("**Artículo único**. Apruébase", "unico", "Apruébase"),
            ("##### Artículo Unico", "unico", ""),
        ];
        for (line, num, rest) in cases {
            let h = article_heading(line).unwrap_or_else(|| panic!("not a heading: {line}"));
            assert_eq!(h.number, num, "{line}");
            assert_eq!(h.rest, rest, "{line}");
        }
    }

    #[test]
    fn references_are_not_headings() {
        for line in [
            "##### artículo 51;",
            "Artículo 91 de la Ley 20.957.",
            "artículo, el Estado receptor",
            "Artículos 3 y 4",
        ] {
            assert!(article_heading(line).is_none(), "{line}");
        }
    }

    #[test]
    fn bold_heading_is_split() {
        let h =
            article_heading("**ARTICULO 3° De la prueba de nacionalidad.** Para todos los efectos")
                .unwrap();
        assert_eq!(h.number, "3");
        assert_eq!(h.heading.as_deref(), Some("De la prueba de nacionalidad"));
        assert_eq!(h.rest, "Para todos los efectos");
    }
}
