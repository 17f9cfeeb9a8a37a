//! The tantivy schema, defined once: `Fields::schema()` builds it and `Fields::from_schema`
//! finds the same fields in an opened index, so build and search cannot disagree.

use super::analyzer;
use crate::corpus::model::Language;
use crate::error::{Error, Result};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Every field of a provision document.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Provision id (`ar-ley-17081:annex_1__art_36`), raw.
    pub id: Field,
    /// What the document is: `provision` or `practice` (`index::DOC_*`).
    pub doc_type: Field,
    pub instrument: Field,
    /// Body text in the provision's language, stemmed, stored (snippets come from it).
    pub body: [Field; 4],
    /// Heading and hierarchy (chapter titles) in the provision's language, stemmed. The
    /// instrument title is in `neutral` only: it is the same for every provision of an
    /// instrument, so it says nothing about which provision is meant, and it made the
    /// posting lists of words like "consular" span whole instruments.
    pub head: [Field; 4],
    /// All text, lowercased and folded but not stemmed: phrases, numbers, exact words.
    pub neutral: Field,
    // Filter dimensions: raw, indexed, fast.
    pub country: Field,
    pub subsystem: Field,
    pub kind: Field,
    /// Leaf categories and their ancestors (`protection`, `protection/detention`).
    pub category: Field,
    /// A leaf category's id once per occurrence of its strong descriptors behind the
    /// provision's tag (see `taxonomy::STRONG_WEIGHT`), in whatever language: cross-lingual
    /// expansion scores one term here instead of a clause per descriptor and language.
    pub concept: Field,
    pub language: Field,
    pub modality: Field,
    /// What the provision does (`annotate::role`): `duty`, `penalty`, `delegation`...
    pub role: Field,
    pub in_force: Field,
    pub year: Field,
    /// The whole provision, its instrument summary and annotation as JSON (display only).
    pub record: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        o.set_stored()
    } else {
        o
    }
}

impl Fields {
    /// The schema of a new generation.
    pub fn schema() -> Schema {
        let mut b = Schema::builder();
        b.add_text_field("id", STRING | STORED);
        b.add_text_field("type", STRING | FAST);
        b.add_text_field("instrument", STRING | STORED);
        for l in Language::ALL {
            b.add_text_field(&format!("body_{}", l.code()), text(analyzer::name(l), true));
        }
        for l in Language::ALL {
            b.add_text_field(
                &format!("head_{}", l.code()),
                text(analyzer::name(l), false),
            );
        }
        b.add_text_field("neutral", text(analyzer::NEUTRAL, false));
        for f in [
            "country",
            "subsystem",
            "kind",
            "category",
            "language",
            "modality",
            "role",
            "in_force",
        ] {
            b.add_text_field(f, STRING | FAST);
        }
        b.add_text_field(
            "concept",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        b.add_i64_field("year", INDEXED | FAST);
        b.add_text_field("record", STORED);
        b.build()
    }

    /// Finds the fields in a schema (of a new or an opened index).
    pub fn from_schema(s: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            s.get_field(name)
                .map_err(|_| Error::OutdatedIndex(format!("index schema has no field '{name}'")))
        };
        let per_lang = |prefix: &str| -> Result<[Field; 4]> {
            Ok([
                f(&format!("{prefix}_es"))?,
                f(&format!("{prefix}_en"))?,
                f(&format!("{prefix}_fr"))?,
                f(&format!("{prefix}_pt"))?,
            ])
        };
        Ok(Fields {
            id: f("id")?,
            doc_type: f("type")?,
            instrument: f("instrument")?,
            body: per_lang("body")?,
            head: per_lang("head")?,
            neutral: f("neutral")?,
            country: f("country")?,
            subsystem: f("subsystem")?,
            kind: f("kind")?,
            category: f("category")?,
            concept: f("concept")?,
            language: f("language")?,
            modality: f("modality")?,
            role: f("role")?,
            in_force: f("in_force")?,
            year: f("year")?,
            record: f("record")?,
        })
    }

    pub fn body(&self, l: Language) -> Field {
        self.body[l.index()]
    }
    pub fn head(&self, l: Language) -> Field {
        self.head[l.index()]
    }
}
