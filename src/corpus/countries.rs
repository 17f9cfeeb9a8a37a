//! The country registry (`corpus/countries.toml`): every OAS member state with its names in four
//! languages, official languages and integration subsystems. Filters by subsystem, the coverage
//! matrix's empty rows and the default peers of a gap analysis all come from here.

use crate::corpus::model::CountryCode;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Integration subsystems of the Americas and the membership kinds the registry records.
pub const SUBSYSTEMS: [&str; 4] = ["SICA", "CAN", "MERCOSUR", "CARICOM"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Country {
    pub code: CountryCode,
    pub names: BTreeMap<String, String>,
    /// ISO 639-1 codes of the official languages (not only the four the analyzers handle).
    pub languages: Vec<String>,
    /// Full memberships (`MERCOSUR`).
    #[serde(default)]
    pub subsystems: Vec<String>,
    /// Associate memberships (`MERCOSUR`), listed apart.
    #[serde(default)]
    pub associate: Vec<String>,
    #[serde(default = "yes")]
    pub oas_member: bool,
    /// What the memberships alone do not say (a country in none of the four subsystems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

impl Country {
    pub fn name(&self, lang: &str) -> &str {
        self.names
            .get(lang)
            .or_else(|| self.names.get("en"))
            .map(|s| s.as_str())
            .unwrap_or(self.code.as_str())
    }
    /// Member (full or associate) of a subsystem.
    pub fn in_subsystem(&self, s: &str) -> bool {
        self.subsystems
            .iter()
            .chain(&self.associate)
            .any(|x| x.eq_ignore_ascii_case(s))
    }
}

#[derive(Deserialize)]
struct File {
    country: Vec<Country>,
}

/// All countries, in code order.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub countries: Vec<Country>,
}

impl Registry {
    pub fn load(path: &Path) -> Result<Registry> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text).map_err(|m| Error::Config(format!("{}: {m}", path.display())))
    }

    pub fn parse(text: &str) -> std::result::Result<Registry, String> {
        let mut f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        f.country.sort_by(|a, b| a.code.cmp(&b.code));
        for w in f.country.windows(2) {
            if w[0].code == w[1].code {
                return Err(format!("country {} is listed twice", w[0].code));
            }
        }
        for c in &f.country {
            for s in c.subsystems.iter().chain(&c.associate) {
                if !SUBSYSTEMS.contains(&s.as_str()) {
                    return Err(format!("country {}: unknown subsystem '{s}'", c.code));
                }
            }
        }
        Ok(Registry {
            countries: f.country,
        })
    }

    pub fn get(&self, code: &CountryCode) -> Option<&Country> {
        self.countries.iter().find(|c| &c.code == code)
    }

    pub fn members_of(&self, subsystem: &str) -> Vec<CountryCode> {
        self.countries
            .iter()
            .filter(|c| c.in_subsystem(subsystem))
            .map(|c| c.code.clone())
            .collect()
    }

    pub fn oas_members(&self) -> impl Iterator<Item = &Country> {
        self.countries.iter().filter(|c| c.oas_member)
    }
}
