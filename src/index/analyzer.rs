//! tantivy analyzers built on `src/text`, so the index, the query builder and the annotator
//! analyse a word identically: `consulex_es|en|fr|pt` emit exactly the tokens of
//! `text::analyse` (unicode words, lowercase, Snowball stem, accent folding), and
//! `consulex_neutral` lowercases and folds without stemming (phrases, numbers, exact wording).
//! They are registered on every index create and open.

use crate::corpus::model::Language;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Tokenizer name for a language's stemmed field.
pub fn name(lang: Language) -> &'static str {
    match lang {
        Language::Es => "consulex_es",
        Language::En => "consulex_en",
        Language::Fr => "consulex_fr",
        Language::Pt => "consulex_pt",
    }
}

pub const NEUTRAL: &str = "consulex_neutral";

/// The shared analysis as a tantivy tokenizer; `lang: None` is the neutral (unstemmed) form.
#[derive(Clone)]
pub struct ConsulexTokenizer {
    lang: Option<Language>,
    tokens: Vec<Token>,
}

impl ConsulexTokenizer {
    pub fn new(lang: Option<Language>) -> Self {
        ConsulexTokenizer {
            lang,
            tokens: Vec::new(),
        }
    }
}

pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    index: usize,
}

impl Tokenizer for ConsulexTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let toks = match self.lang {
            Some(l) => crate::text::analyse(text, l),
            None => crate::text::analyse_neutral(text),
        };
        for (position, t) in toks.into_iter().enumerate() {
            self.tokens.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: t.term.to_string(),
                position_length: 1,
            });
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            index: 0,
        }
    }
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Registers the analyzers on an index (needed on create and on every open).
pub fn register(index: &Index) {
    let m = index.tokenizers();
    for l in Language::ALL {
        m.register(name(l), ConsulexTokenizer::new(Some(l)));
    }
    m.register(NEUTRAL, ConsulexTokenizer::new(None));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_the_shared_analysis() {
        let mut t = ConsulexTokenizer::new(Some(Language::Es));
        let mut s = t.token_stream("Los detenidos");
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().offset_from));
        }
        assert_eq!(out, vec![("los".to_string(), 0), ("deten".to_string(), 4)]);
        let mut n = ConsulexTokenizer::new(None);
        let mut s = n.token_stream("Artículo 36");
        assert!(s.advance());
        assert_eq!(s.token().text, "articulo");
        assert!(s.advance());
        assert_eq!(s.token().text, "36");
    }
}
