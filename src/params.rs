//! Query-string values, the one way every route (and the CLI's flag parsers) reads them: a
//! comma-separated list, a number, a count within bounds, a boolean (`true`/`false`, `1`/`0`,
//! `yes`/`no`), an unknown parameter. Each error names the parameter at fault. One rule for
//! empty values on every route: a parameter given empty (`peers=`, `country=`) is as if
//! absent (`given`), and a list with no item (`countries=,`) is no list.

use crate::error::{Error, Result};

/// Values of a repeated or comma-separated parameter, trimmed, empty items skipped.
pub fn values(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// The pairs of a query string without those whose value is empty (blank), so `country=` is
/// the same request as no `country`, and a required parameter given empty is refused as
/// missing.
pub fn given(p: &[(String, String)]) -> impl Iterator<Item = (&String, &String)> {
    p.iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v))
}

/// A query string's pairs, percent-decoded (`+` is a space) and refused if a name or a value is
/// not valid UTF-8 once decoded: replacing the bytes by U+FFFD would turn `q=%FF` into a query
/// the user never typed. A `%` not followed by two hex digits stays as typed, as browsers send it.
pub fn decode_query(raw: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let name = String::from_utf8(percent_decode(k)).map_err(|e| {
            Error::invalid(
                &String::from_utf8_lossy(e.as_bytes())
                    .chars()
                    .take(40)
                    .collect::<String>(),
                "parameter name is not valid UTF-8 after percent-decoding",
            )
        })?;
        let value = String::from_utf8(percent_decode(v))
            .map_err(|_| Error::invalid(&name, "is not valid UTF-8 after percent-decoding"))?;
        out.push((name, value));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', ..) => {
                out.push(b' ');
                i += 1;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A comma-separated value with no item (`,`, ` , `): as if the parameter were absent.
pub fn no_items(v: &str) -> bool {
    values(v).next().is_none()
}

/// Countries a list parameter (`countries`, `peers`) names at most, once duplicates are dropped.
pub const MAX_COUNTRIES: usize = 40;
/// Categories a list parameter names at most, once duplicates are dropped.
pub const MAX_CATEGORIES: usize = 100;

/// The items of a list parameter once each, in the order first given (`AR,CL,AR` is `AR,CL`,
/// so a request costs what it asks, not how often it repeats it), then at most `max` of them,
/// else a 400 naming the parameter.
pub fn distinct<T: PartialEq>(param: &str, items: Vec<T>, max: usize) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            if out.len() == max {
                return Err(Error::invalid(
                    param,
                    format!("at most {max} distinct values"),
                ));
            }
            out.push(i);
        }
    }
    Ok(out)
}

/// Every value of a comma-separated parameter parsed by `FromStr` (its message kept).
pub fn list<T>(param: &str, v: &str) -> Result<Vec<T>>
where
    T: std::str::FromStr<Err = String>,
{
    values(v)
        .map(|s| s.parse().map_err(|e: String| Error::invalid(param, e)))
        .collect()
}

/// `true`/`false`, `1`/`0`, `yes`/`no`, in any case.
pub fn boolean(v: &str) -> std::result::Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("'{v}' is not true or false")),
    }
}

/// A boolean parameter.
pub fn parse_bool(param: &str, v: &str) -> Result<bool> {
    boolean(v).map_err(|e| Error::invalid(param, e))
}

/// A number (the value quoted in the message is cut to 40 characters).
pub fn parse_num<T: std::str::FromStr>(param: &str, v: &str) -> Result<T> {
    v.trim().parse().map_err(|_| {
        Error::invalid(
            param,
            format!(
                "'{}' is not a number",
                v.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// A count between 1 and `max`.
pub fn bounded(param: &str, n: usize, max: usize) -> Result<usize> {
    if n == 0 || n > max {
        return Err(Error::invalid(
            param,
            format!("must be between 1 and {max}"),
        ));
    }
    Ok(n)
}

/// A count parameter between 1 and `max`.
pub fn parse_count(param: &str, v: &str, max: usize) -> Result<usize> {
    bounded(param, parse_num(param, v)?, max)
}

/// A parameter the route does not take, with the list of those it does.
pub fn unknown(param: &str, allowed: &str) -> Error {
    Error::invalid(param, format!("unknown parameter ({allowed})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_numbers_and_lists_read_as_every_route_reads_them() {
        for (v, b) in [
            ("1", true),
            ("Yes", true),
            (" true ", true),
            ("0", false),
            ("no", false),
        ] {
            assert_eq!(parse_bool("in_force", v).ok(), Some(b));
        }
        assert!(parse_bool("in_force", "maybe")
            .unwrap_err()
            .to_string()
            .contains("in_force"));
        assert_eq!(parse_count("limit", " 7", 10).ok(), Some(7));
        assert!(parse_count("limit", "0", 10).is_err());
        assert!(parse_count("limit", "11", 10).is_err());
        assert!(parse_num::<usize>("limit", "x").is_err());
        assert_eq!(values(" a, ,b,").collect::<Vec<_>>(), ["a", "b"]);
        assert!(no_items(" , ,") && !no_items(",a"));
        assert_eq!(
            distinct("peers", vec![3, 1, 3, 2, 1], 3).ok(),
            Some(vec![3, 1, 2])
        );
        assert_eq!(distinct("peers", vec![1; 5000], 1).ok(), Some(vec![1]));
        let e = distinct("peers", vec![1, 2, 3], 2).unwrap_err().to_string();
        assert!(e.contains("peers") && e.contains("at most 2"), "{e}");
        let d = decode_query("q=caf%C3%A9+x&a%20b=1&&pct=100%&e=").unwrap();
        let d: Vec<(&str, &str)> = d.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            d,
            [("q", "café x"), ("a b", "1"), ("pct", "100%"), ("e", "")]
        );
        let e = decode_query("limit=1&q=%FF").unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { param, message } if param == "q" && message.contains("UTF-8")),
            "{e}"
        );
        assert!(decode_query("%FF=1").is_err());
        let p = [("country", " "), ("q", "x"), ("peers", "")].map(|(k, v)| (k.into(), v.into()));
        assert_eq!(
            given(&p).map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["q"]
        );
    }
}
