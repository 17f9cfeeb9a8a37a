//! The user's query syntax, parsed and validated before anything reaches tantivy: words,
//! "quoted phrases", `-word` / `-"phrase"` exclusions and `OR` between two clauses. Clauses are
//! otherwise combined with AND. Parentheses are not grouping (they are counted only to refuse
//! deep nesting, a known way to make query parsers abort). Nothing here can panic on input.

use crate::error::{Error, Result};
use serde::Serialize;

pub const MAX_CHARS: usize = 1000;
pub const MAX_CLAUSES: usize = 64;
pub const MAX_DEPTH: usize = 16;

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    Word(String),
    Phrase(Vec<String>),
}

impl Clause {
    /// A single function word ("de", "the"): a group of these beside content words is not
    /// searched, and costs the postings budget nothing.
    pub fn is_stopword(&self) -> bool {
        matches!(self, Clause::Word(w) if crate::corpus::lang::is_stopword(w))
    }
}

/// A parsed query: groups are ANDed; the clauses of a group are ORed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Clause>>,
    pub excluded: Vec<Clause>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.excluded.is_empty()
    }
    /// The positive words, in order, for expansion and highlighting.
    pub fn positive_words(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for c in self.groups.iter().flatten() {
            match c {
                Clause::Word(w) => out.push(w.as_str()),
                Clause::Phrase(ws) => out.extend(ws.iter().map(|w| w.as_str())),
            }
        }
        out
    }
    /// The words typed outside quotes: the only ones cross-lingual expansion (translations,
    /// cognates, categories) applies to, since a quoted phrase means those words in that order.
    pub fn unquoted_words(&self) -> Vec<&str> {
        self.groups
            .iter()
            .flatten()
            .filter_map(|c| match c {
                Clause::Word(w) => Some(w.as_str()),
                Clause::Phrase(_) => None,
            })
            .collect()
    }
    /// The query without the clauses at `drop` (group, clause); a group left empty goes.
    pub fn without(&self, drop: &[(usize, usize)]) -> ParsedQuery {
        let groups = self
            .groups
            .iter()
            .enumerate()
            .map(|(g, cs)| {
                cs.iter()
                    .enumerate()
                    .filter(|(c, _)| !drop.contains(&(g, *c)))
                    .map(|(_, c)| c.clone())
                    .collect::<Vec<_>>()
            })
            .filter(|cs| !cs.is_empty())
            .collect();
        ParsedQuery {
            groups,
            excluded: self.excluded.clone(),
        }
    }
    /// Whether a group holds a quoted phrase (such a group is required whatever is expanded).
    pub fn has_phrase(group: &[Clause]) -> bool {
        group.iter().any(|c| matches!(c, Clause::Phrase(_)))
    }
}

/// A query as typed and as parsed. It is parsed once, when a request is built, and travels
/// with the request to the engine; it serialises as the text typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    text: String,
    parsed: ParsedQuery,
}

impl Query {
    /// Validates and parses a query (see `parse`).
    pub fn parse(text: impl Into<String>) -> Result<Query> {
        let text = text.into();
        let parsed = parse(&text)?;
        Ok(Query { text, parsed })
    }
    /// The query as typed.
    pub fn as_str(&self) -> &str {
        &self.text
    }
    pub fn parsed(&self) -> &ParsedQuery {
        &self.parsed
    }
    /// Whether nothing but white space was typed.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

impl Serialize for Query {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::invalid("q", msg)
}

/// Validates and parses a query.
pub fn parse(q: &str) -> Result<ParsedQuery> {
    if q.chars().count() > MAX_CHARS {
        return Err(invalid(format!(
            "query is longer than {MAX_CHARS} characters"
        )));
    }
    if let Some(c) = q
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(invalid(format!(
            "query contains the control character U+{:04X}",
            c as u32
        )));
    }
    // U+FFFD is what a lossy decoder makes of bytes that are not UTF-8 (`q=%FF`): searching for
    // it would search for something the user never typed.
    if q.contains('\u{FFFD}') {
        return Err(invalid(
            "query is not valid UTF-8 (it holds U+FFFD, the replacement for undecodable bytes)",
        ));
    }
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    for c in q.chars() {
        match c {
            '(' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if max_depth > MAX_DEPTH {
        return Err(invalid(format!(
            "query is nested {max_depth} levels deep; at most {MAX_DEPTH} are allowed"
        )));
    }

    // Tokens: (negated, clause) or the OR operator.
    enum Tok {
        Or,
        Clause(bool, Clause),
    }
    let mut toks = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || matches!(c, '(' | ')' | '+') {
            i += 1;
            continue;
        }
        let negated = c == '-'
            && chars
                .get(i + 1)
                .is_some_and(|n| *n == '"' || n.is_alphanumeric());
        if negated {
            i += 1;
        }
        if chars.get(i) == Some(&'"') {
            let start = i + 1;
            let end = chars[start..]
                .iter()
                .position(|c| *c == '"')
                .map_or(chars.len(), |p| start + p);
            let text: String = chars[start..end].iter().collect();
            let words = words(&text);
            if !words.is_empty() {
                toks.push(Tok::Clause(
                    negated,
                    if words.len() == 1 {
                        Clause::Word(words[0].clone())
                    } else {
                        Clause::Phrase(words)
                    },
                ));
            }
            i = end + 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            i += 1;
        }
        let raw: String = chars[start..i].iter().collect();
        if raw == "OR" && !negated {
            toks.push(Tok::Or);
            continue;
        }
        // A token may hold several words ("l'État", "art.36"): each is a clause.
        for w in words(&raw) {
            toks.push(Tok::Clause(negated, Clause::Word(w)));
        }
    }
    let clauses = toks.iter().filter(|t| matches!(t, Tok::Clause(..))).count();
    if clauses > MAX_CLAUSES {
        return Err(invalid(format!(
            "query has {clauses} clauses; at most {MAX_CLAUSES} are allowed"
        )));
    }
    // `OR` with nothing to join is the word "or" (a query of that word alone is a search
    // for it, not an operator without operands).
    let lone_or = clauses == 0 && toks.iter().any(|t| matches!(t, Tok::Or));
    let mut out = ParsedQuery::default();
    if lone_or {
        out.groups
            .extend(words("OR").into_iter().map(|w| vec![Clause::Word(w)]));
    }
    let mut join_next = false;
    for t in toks {
        match t {
            Tok::Or => join_next = !out.groups.is_empty(),
            Tok::Clause(true, c) => {
                out.excluded.push(c);
                join_next = false;
            }
            Tok::Clause(false, c) => {
                match (join_next, out.groups.last_mut()) {
                    (true, Some(g)) => g.push(c),
                    _ => out.groups.push(vec![c]),
                }
                join_next = false;
            }
        }
    }
    // Text typed with no word in it (`-`, `" "`, `()`, `OR`, `*`) would otherwise match every
    // provision; listing everything is asked for by leaving `q` out.
    if out.is_empty() && !q.trim().is_empty() {
        return Err(invalid(
            "query has no searchable word (only operators or punctuation); leave q out to list everything the filters select",
        ));
    }
    Ok(out)
}

fn words(s: &str) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    s.unicode_words().map(|w| w.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaving_out_clauses_drops_the_groups_they_empty_and_keeps_the_exclusions() {
        let q = ParsedQuery {
            groups: vec![
                vec![Clause::Word("a".into()), Clause::Word("b".into())],
                vec![Clause::Phrase(vec!["c".into(), "d".into()])],
            ],
            excluded: vec![Clause::Word("e".into())],
        };
        let w = q.without(&[(0, 1), (1, 0)]);
        assert_eq!(w.groups, vec![vec![Clause::Word("a".into())]]);
        assert_eq!(w.excluded, q.excluded);
        assert_eq!(q.without(&[]), q);
    }

    #[test]
    fn syntax() {
        let q = parse(r#"asistencia "privados de libertad" -visa cónsul OR consulado"#).unwrap();
        assert_eq!(
            q.groups,
            vec![
                vec![Clause::Word("asistencia".into())],
                vec![Clause::Phrase(vec![
                    "privados".into(),
                    "de".into(),
                    "libertad".into()
                ])],
                vec![
                    Clause::Word("cónsul".into()),
                    Clause::Word("consulado".into())
                ],
            ]
        );
        assert_eq!(q.excluded, vec![Clause::Word("visa".into())]);
    }

    #[test]
    fn a_query_keeps_its_text_and_serialises_as_it() {
        let q = Query::parse("cónsul -visa").unwrap();
        assert_eq!(q.as_str(), "cónsul -visa");
        assert_eq!(q.parsed(), &parse("cónsul -visa").unwrap());
        assert_eq!(serde_json::to_string(&q).unwrap(), "\"cónsul -visa\"");
        assert!(Query::parse(" ").unwrap().is_blank());
        assert!(Query::parse("(".repeat(17)).is_err());
    }

    #[test]
    fn hostile_input_is_refused_or_harmless() {
        assert!(parse(&"(".repeat(17)).is_err());
        assert!(parse(&"a ".repeat(65)).is_err());
        assert!(parse(&"x".repeat(1001)).is_err());
        assert!(parse("bad\u{0}byte").is_err());
        // odd whitespace, dangling operators and quotes with no word are refused as such
        for q in [
            "\u{3000}\u{2028} \" -  \"\"\"",
            "-",
            "\" \"",
            "()",
            ")(",
            "*",
            "\"",
        ] {
            let e = parse(q).unwrap_err().to_string();
            assert!(
                e.contains("q") && e.contains("no searchable word"),
                "{q}: {e}"
            );
        }
        // an OR with nothing to join is the word itself, not an operator matching everything
        assert_eq!(parse("OR").unwrap().positive_words(), vec!["OR"]);
        // nothing typed is no query (the filters alone), and one word among operators is one
        assert!(parse("").unwrap().is_empty() && parse(" \t").unwrap().is_empty());
        assert_eq!(parse("( OR -\"visa\"").unwrap().excluded.len(), 1);
        assert!(parse(&"((a)) ".repeat(10)).is_ok());
        let e = parse("caf\u{FFFD}").unwrap_err().to_string();
        assert!(e.contains("UTF-8"), "{e}");
    }
}
