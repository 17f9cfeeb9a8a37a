//! Reader for treaty texts in the INTL folder: Markdown converted from the Dutch treaty
//! database, with an HTML meta line on top, a Dutch `##` title, the authentic title as `####`,
//! `### Article N` headings each followed by a `####` article title, and `### Chapter`/`### SECTION`
//! headings for the structure.
//!
//! Not for: national Markdown with front matter (see `markdown`).

use super::markdown::strip_markup;
use super::raw::{close_provision, decode_utf8, ParsedDoc, RawProvision, ReadError};
use crate::corpus::model::normalise_number;

enum Pending {
    None,
    ArticleTitle,
    StructureTitle,
}

/// Parses a treaty Markdown file.
pub fn read(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let text = decode_utf8(bytes)?;
    let mut doc = ParsedDoc::default();
    doc.meta.rank = Some("treaty".into());
    let mut hierarchy: Vec<(usize, String)> = Vec::new();
    let mut current: Option<RawProvision> = None;
    let mut body: Vec<String> = Vec::new();
    let mut pending = Pending::None;
    let mut part: Option<(String, String)> = None;
    let mut parts = 0usize;

    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("<meta") {
            continue;
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        let plain = strip_markup(t);
        if hashes == 3 {
            let mut words = plain.split_whitespace();
            let first = words.next().unwrap_or("").to_lowercase();
            let rest: Vec<&str> = words.collect();
            if first == "artikel" || first == "artículo" || first == "artigo" {
                // The database appends a translation (Dutch) after the authentic text.
                doc.warnings.push(format!(
                    "line {}: a translation begins here; not read",
                    i + 1
                ));
                break;
            }
            let is_number = first.chars().all(|c| c.is_ascii_digit())
                || first.chars().all(|c| "ivxlc".contains(c));
            if first == "article" || (is_number && part.is_some()) {
                close_provision(&mut current, &mut body, &mut doc.provisions);
                let (element, number) = if first == "article" {
                    ("art", rest.join(" "))
                } else {
                    ("para", first.clone())
                };
                let mut hier: Vec<String> = hierarchy.iter().map(|(_, h)| h.clone()).collect();
                if let Some((_, label)) = &part {
                    hier.insert(0, label.clone());
                }
                current = Some(RawProvision {
                    element,
                    number: normalise_number(&number),
                    hierarchy: hier,
                    part_eid: part.as_ref().map(|(e, _)| e.clone()),
                    part_label: part.as_ref().map(|(_, l)| l.clone()),
                    line: Some(i + 1),
                    ..Default::default()
                });
                pending = Pending::ArticleTitle;
            } else {
                close_provision(&mut current, &mut body, &mut doc.provisions);
                let level = if first == "chapter" || first == "part" {
                    1
                } else {
                    2
                };
                hierarchy.retain(|(l, _)| *l < level);
                hierarchy.push((level, plain.clone()));
                pending = Pending::StructureTitle;
            }
            continue;
        }
        if hashes >= 4 {
            match pending {
                Pending::ArticleTitle => {
                    if let Some(c) = current.as_mut() {
                        c.heading = Some(plain);
                    }
                }
                Pending::StructureTitle => {
                    if let Some((_, h)) = hierarchy.last_mut() {
                        *h = format!("{h} - {plain}");
                    }
                }
                Pending::None => {
                    if doc.meta.title.is_none() {
                        doc.meta.title = Some(plain);
                    } else if current.is_some() || !doc.provisions.is_empty() {
                        // A new titled text after the articles: the Final Act, resolutions ...
                        close_provision(&mut current, &mut body, &mut doc.provisions);
                        parts += 1;
                        part = Some((format!("annex_{parts}"), plain));
                        hierarchy.clear();
                    }
                }
            }
            pending = Pending::None;
            continue;
        }
        pending = Pending::None;
        if hashes == 2 || hashes == 1 {
            // The Dutch title of the database entry: kept only if no authentic title follows.
            continue;
        }
        if current.is_some() {
            body.push(plain);
        }
    }
    close_provision(&mut current, &mut body, &mut doc.provisions);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_articles_titles_and_structure() {
        let src = "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n##Verdrag\n\n####Test Convention\n\nPreamble text.\n\n### Article  1  \n\n####Definitions\n\n1. For the purposes...\n\n### Chapter  I  \n\n####General\n\n### Article  2  \n\n####Scope\n\nIt applies.\n";
        let doc = read(src.as_bytes()).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Test Convention"));
        assert_eq!(doc.provisions.len(), 2);
        assert_eq!(doc.provisions[0].heading.as_deref(), Some("Definitions"));
        assert_eq!(doc.provisions[1].number, "2");
        assert_eq!(
            doc.provisions[1].hierarchy,
            vec!["Chapter I - General".to_string()]
        );
        assert_eq!(doc.provisions[1].text, "It applies.");
    }
}
