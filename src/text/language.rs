//! The four languages of the corpus and of the analyzers, at the bottom of the data path: the
//! text analysis is per language, and every layer above names languages with this type.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four languages of the corpus and of the analyzers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Es,
    En,
    Fr,
    Pt,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::Es, Language::En, Language::Fr, Language::Pt];
    /// Its position in `ALL`: the index of per-language tables (stemmers, memos, fields).
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn code(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
            Language::Fr => "fr",
            Language::Pt => "pt",
        }
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "es" | "spa" | "spanish" => Ok(Language::Es),
            "en" | "eng" | "english" => Ok(Language::En),
            "fr" | "fra" | "fre" | "french" => Ok(Language::Fr),
            "pt" | "por" | "portuguese" => Ok(Language::Pt),
            _ => Err(format!("'{s}' is not one of es, en, fr, pt")),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_index_is_its_place_in_all() {
        for (i, l) in Language::ALL.iter().enumerate() {
            assert_eq!(l.index(), i, "{l:?}");
        }
    }
}
