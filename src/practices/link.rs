//! The bridge from a practice to the law behind it: the instruments of the corpus that a
//! record's `legal_basis` names, and the article where it names one. A law is recognised by its
//! citation (kind and number, with the year where both sides give one: `Ley 1565 de 2012`,
//! `Ley Nº 19.951`, `22 U.S.C. § 2671`) or by its full title, and only among the instruments of
//! the states the practice belongs to (and the treaties): a Costa Rican "Código Electoral" is
//! not Argentina's. What the text names and the corpus lacks is said, not guessed.

use crate::corpus::model::CountryCode;
use serde::Serialize;

/// What is known of one instrument of the corpus.
#[derive(Debug, Clone)]
pub struct InstrumentRef<'a> {
    pub id: &'a str,
    pub country: &'a CountryCode,
    pub title: &'a str,
}

/// One instrument a legal basis names.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LegalLink {
    pub instrument: String,
    /// The article named right after the law's citation, as written (`29`, `9.2`).
    pub article: Option<String>,
}

/// A citation found in a text: `ley`, `decreto` or `usc` (with the title in `series`), the
/// number without separators, the year when given.
#[derive(Debug, Clone, PartialEq)]
struct Citation {
    family: &'static str,
    number: String,
    year: Option<u32>,
    /// Byte offset just after the citation in the folded text (where an article follows).
    end: usize,
}

fn family(word: &str) -> Option<&'static str> {
    match word {
        "ley" | "lei" | "law" | "loi" => Some("ley"),
        "decreto" | "decree" | "dec" | "decret" => Some("decreto"),
        "decision" => Some("decision"),
        "resolucion" | "resolution" => Some("resolucion"),
        _ => None,
    }
}

/// The words of a folded text with their byte ranges.
fn words(s: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let part = c.is_alphanumeric();
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                out.push((b, i, &s[b..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(b) = start {
        out.push((b, s.len(), &s[b..]));
    }
    out
}

/// Numbers as laws print them: `19.951`, `106-2013` (number-year), `1565`.
fn number_and_year(
    ws: &[(usize, usize, &str)],
    mut i: usize,
    text: &str,
) -> Option<(String, Option<u32>, usize, usize)> {
    // skip "n", "no", "nº", "numero" markers
    while i < ws.len() && matches!(ws[i].2, "n" | "no" | "nº" | "numero" | "nr" | "o" | "º") {
        i += 1;
    }
    let (b, mut e, w) = *ws.get(i)?;
    if !w.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut number = w.to_string();
    let mut j = i + 1;
    // thousands separated by a dot: 19.951, 7.214
    while let Some(&(nb, ne, nw)) = ws.get(j) {
        let sep = &text[e..nb];
        if sep == "." && nw.len() == 3 && nw.bytes().all(|c| c.is_ascii_digit()) {
            number.push_str(nw);
            e = ne;
            j += 1;
        } else {
            break;
        }
    }
    let _ = b;
    let mut year = None;
    if let Some(&(nb, ne, nw)) = ws.get(j) {
        let sep = &text[e..nb];
        let is_year = nw.len() == 4 && nw.bytes().all(|c| c.is_ascii_digit());
        if is_year && (sep == "-" || sep == "/") {
            year = nw.parse().ok();
            e = ne;
            j += 1;
        } else if nw == "de" || nw == "of" {
            if let Some(&(_, ye, yw)) = ws.get(j + 1) {
                if yw.len() == 4 && yw.bytes().all(|c| c.is_ascii_digit()) {
                    year = yw.parse().ok();
                    e = ye;
                    j += 2;
                }
            }
        }
    }
    Some((number.trim_start_matches('0').to_string(), year, e, j))
}

fn citations(folded: &str) -> Vec<Citation> {
    let ws = words(folded);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i].2;
        // 22 U.S.C. § 2671
        if w.bytes().all(|c| c.is_ascii_digit())
            && ws.get(i + 1).is_some_and(|x| x.2 == "u")
            && ws.get(i + 2).is_some_and(|x| x.2 == "s")
            && ws.get(i + 3).is_some_and(|x| x.2 == "c")
        {
            if let Some(&(_, e, sec)) = ws.get(i + 4) {
                out.push(Citation {
                    family: "usc",
                    number: format!("{w}:{sec}"),
                    year: None,
                    end: e,
                });
                i += 5;
                continue;
            }
        }
        if let Some(f) = family(w) {
            // "decreto ley", "decreto legislativo": the family of the first word
            let mut k = i + 1;
            while ws.get(k).is_some_and(|x| {
                matches!(
                    x.2,
                    "ley" | "legislativo" | "supremo" | "ejecutivo" | "federal"
                )
            }) {
                k += 1;
            }
            if let Some((number, year, end, next)) = number_and_year(&ws, k, folded) {
                if !number.is_empty() {
                    out.push(Citation {
                        family: f,
                        number,
                        year,
                        end,
                    });
                    i = next;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// The citation an instrument is known by, from its id (`co-ley-1565-2012`,
/// `us-usc-t22-s2671`) or its title (`Ley Nº 6935 / ...`).
fn instrument_citations(i: &InstrumentRef) -> Vec<Citation> {
    let mut out = Vec::new();
    let id = i.id.to_ascii_lowercase();
    let parts: Vec<&str> = id.split('-').collect();
    if let Some(p) = parts.iter().position(|p| *p == "usc") {
        if let (Some(t), Some(s)) = (parts.get(p + 1), parts.get(p + 2)) {
            if let (Some(t), Some(s)) = (t.strip_prefix('t'), s.strip_prefix('s')) {
                out.push(Citation {
                    family: "usc",
                    number: format!("{}:{s}", t.trim_start_matches('0')),
                    year: None,
                    end: 0,
                });
            }
        }
    }
    for (k, p) in parts.iter().enumerate() {
        let Some(f) = family(p) else { continue };
        let Some(n) = parts
            .get(k + 1)
            .filter(|n| n.bytes().all(|c| c.is_ascii_digit()))
        else {
            continue;
        };
        let year = parts
            .get(k + 2)
            .filter(|y| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|y| y.parse().ok());
        out.push(Citation {
            family: f,
            number: n.trim_start_matches('0').to_string(),
            year,
            end: 0,
        });
    }
    // The title's own leading citation (Paraguay's ids are not its law numbers).
    let folded = crate::text::fold_lower(i.title);
    if let Some(c) = citations(&folded).into_iter().next() {
        if words(&folded)
            .first()
            .is_some_and(|w| family(w.2).is_some())
        {
            out.push(c);
        }
    }
    out
}

/// The article cited right after a law (`..., art. 29`, `(art. 1; art. 9.2)`, `artículo 187`).
fn article_after(folded: &str, end: usize) -> Option<String> {
    let rest = folded.get(end..)?;
    // Only what follows closely: the same clause, before the next law is named.
    let window: String = rest.chars().take(40).collect();
    let ws = words(&window);
    let pos = ws.iter().position(|w| {
        matches!(
            w.2,
            "art" | "arts" | "articulo" | "article" | "artigo" | "section" | "sec"
        )
    })?;
    if ws[..pos].iter().any(|w| family(w.2).is_some()) {
        return None;
    }
    let (b, _, first) = *ws.get(pos + 1)?;
    if !first.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    // 9.2: keep a dotted subdivision
    let tail = &window[b..];
    let n: String = tail
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    Some(n.trim_end_matches('.').to_string())
}

/// The instruments of `instruments` that `legal_basis` names, for a practice of `states`.
pub fn resolve(
    legal_basis: &str,
    states: &[CountryCode],
    instruments: &[InstrumentRef],
) -> Vec<LegalLink> {
    let folded = crate::text::fold_lower(legal_basis);
    let cited = citations(&folded);
    let mut out: Vec<LegalLink> = Vec::new();
    for i in instruments {
        if !(i.country.is_intl() || states.contains(i.country)) {
            continue;
        }
        let own = instrument_citations(i);
        let by_citation = cited.iter().find(|c| {
            own.iter().any(|o| {
                o.family == c.family
                    && o.number == c.number
                    && (o.year.is_none() || c.year.is_none() || o.year == c.year)
            })
        });
        let link = if let Some(c) = by_citation {
            Some(LegalLink {
                instrument: i.id.to_string(),
                article: article_after(&folded, c.end),
            })
        } else {
            // A full title of at least three words, named as such.
            let title = crate::text::fold_lower(i.title);
            let title = title.trim();
            let n_words = words(title).len();
            (n_words >= 3 && title.len() >= 16)
                .then(|| folded.find(title))
                .flatten()
                .map(|at| LegalLink {
                    instrument: i.id.to_string(),
                    article: article_after(&folded, at + title.len()),
                })
        };
        if let Some(l) = link {
            if !out.iter().any(|x| x.instrument == l.instrument) {
                out.push(l);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn refs<'a>(v: &'a [(&'a str, CountryCode, &'a str)]) -> Vec<InstrumentRef<'a>> {
        v.iter()
            .map(|(id, c, t)| InstrumentRef {
                id,
                country: c,
                title: t,
            })
            .collect()
    }

    #[test]
    fn a_law_is_found_by_number_and_year_with_its_article() {
        let v = [
            (
                "xx-ley-1565-2012",
                cc("CO"),
                "LEY 1565 DE 2012 - incentivos para el retorno",
            ),
            ("xx-ley-1565-1990", cc("CO"), "LEY 1565 DE 1990 - otra"),
            ("xx-decreto-1000-2013", cc("CO"), "DECRETO 1000 DE 2013"),
        ];
        let got = resolve(
            "Ley 1565 de 2012 (art. 5: exenciones), reglamentada por el Decreto 1000 de 2013",
            &[cc("CO")],
            &refs(&v),
        );
        assert_eq!(
            got,
            vec![
                LegalLink {
                    instrument: "xx-ley-1565-2012".into(),
                    article: Some("5".into())
                },
                LegalLink {
                    instrument: "xx-decreto-1000-2013".into(),
                    article: None
                },
            ]
        );
    }

    #[test]
    fn thousands_dots_and_the_title_citation_count() {
        let v = [
            (
                "uy-ley-19951",
                cc("UY"),
                "Ley Nº 19951 - APROBACION DEL ACUERDO",
            ),
            (
                "py-ley-2346",
                cc("PY"),
                "Ley Nº 834 / ESTABLECE EL CODIGO ELECTORAL",
            ),
        ];
        let got = resolve(
            "Acuerdo ... aprobado en Uruguay por la Ley Nº 19.951; Ley 834, art. 12",
            &[cc("UY"), cc("PY")],
            &refs(&v),
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].instrument, "uy-ley-19951");
        assert_eq!(got[1].instrument, "py-ley-2346");
        assert_eq!(got[1].article.as_deref(), Some("12"));
    }

    #[test]
    fn us_code_sections_and_other_states_laws() {
        let v = [
            (
                "us-usc-t22-s2671",
                cc("US"),
                "22 U.S.C. § 2671 — Emergency expenditures",
            ),
            ("us-usc-t22-s2715", cc("US"), "22 U.S.C. § 2715 — Disasters"),
            ("ar-ley-24007", cc("AR"), "CODIGO ELECTORAL ARGENTINO"),
        ];
        let got = resolve(
            "22 U.S.C. § 2671 (cited as the legal authority)",
            &[cc("US")],
            &refs(&v),
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].instrument, "us-usc-t22-s2671");
        // a law of another state is never the basis, whatever its title
        assert!(resolve(
            "Código Electoral Argentino, artículo 187",
            &[cc("CR")],
            &refs(&v)
        )
        .is_empty());
    }

    #[test]
    fn a_full_title_names_a_law_and_a_missing_law_links_nothing() {
        let v = [(
            "hn-lpm",
            cc("HN"),
            "Ley de Protección de los Hondureños Migrantes y sus Familiares",
        )];
        let got = resolve(
            "Ley de Protección de los Hondureños Migrantes y sus Familiares (Decreto Legislativo No. 106-2013), art. 29",
            &[cc("HN")],
            &refs(&v),
        );
        assert_eq!(got.len(), 1);
        assert!(resolve("Ley Nº 30001, Ley de Reinserción", &[cc("HN")], &refs(&v)).is_empty());
    }
}
