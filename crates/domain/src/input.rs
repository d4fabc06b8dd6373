//! What user input may hold before it is stored: text fields with a length limit and a
//! character policy, numbers and dates with ranges. Every stored text, number or date that
//! a user types parses through one of these types, so nothing over a limit, no control
//! character and no invisible formatting character reaches the database, a page, an
//! export or a header — whichever way (form, API, import) it came in.

use crate::refusal::Arg;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::fmt;

/// A field that does not parse: which field, and what is wrong with it. The problem is a
/// code with its figures, so that the web can say it in the reader's language; `Display`
/// says it in English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InputError {
    pub field: &'static str,
    pub problem: Problem,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("this field is required")]
    Required,
    #[error("at most {max} characters are allowed")]
    TooLong { max: usize },
    #[error("at least {min} characters are needed")]
    TooShort { min: usize },
    /// Character `position` (from 1) is refused: a control, invisible or noncharacter.
    #[error("character {position} is U+{code_point:04X}, {}, which is not allowed", kind.words())]
    Character {
        position: usize,
        code_point: u32,
        kind: CharKind,
    },
    #[error("not an e-mail address")]
    NotEmail,
    #[error("a file name may not contain / or \\")]
    PathSeparator,
    #[error("`{value}` is not a number")]
    NotANumber { value: String },
    #[error("must lie between {min} and {max}")]
    OutOfRange { min: f64, max: f64 },
    #[error("`{value}` is not a date (YYYY-MM-DD)")]
    NotADate { value: String },
    #[error("the year must lie between {min} and {max}")]
    YearOutOfRange { min: i32, max: i32 },
    #[error("`{value}` is not one of {allowed}")]
    NotOneOf { value: String, allowed: String },
    #[error("the end lies before the start")]
    EndBeforeStart,
    #[error("the date lies in the future")]
    InFuture,
    #[error("`{value}` is named twice")]
    Repeated { value: String },
    #[error("at most {max} may be named")]
    TooMany { max: usize },
    /// An identifier that names no record (an offer, an organisation, a school).
    #[error("there is no such record")]
    NoSuchRecord,
    #[error("the organisation is not a provider")]
    NotAProvider,
    #[error("`{name}`: this type of file is not accepted (allowed: {allowed})")]
    FileType { name: String, allowed: String },
    #[error("`{name}` is larger than the {max} bytes allowed")]
    FileTooLarge { name: String, max: usize },
    /// The file's content is not of the type it was sent as (a program named `.pdf`).
    #[error("`{name}` is not a {declared} file")]
    ContentMismatch { name: String, declared: String },
    #[error("`{value}` may not be used here (allowed: {allowed})")]
    CharNotAllowed { value: String, allowed: String },
    #[error("`{value}` is not a time (HH:MM)")]
    NotATime { value: String },
    #[error("`{value}` is not a time zone (such as Europe/Oslo)")]
    UnknownTimeZone { value: String },
    /// A wall-clock time skipped when the clocks move forward.
    #[error("{value} does not exist in {zone}: the clocks move forward then")]
    NoSuchLocalTime { value: String, zone: String },
    /// A time outside the period it must lie in (an agenda item outside its event).
    #[error("{value} lies outside {start} – {end}")]
    Outside {
        value: String,
        start: String,
        end: String,
    },
}

/// Why a character is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharKind {
    Control,
    Invisible,
    Noncharacter,
}

impl CharKind {
    pub fn code(self) -> &'static str {
        match self {
            CharKind::Control => "control",
            CharKind::Invisible => "invisible",
            CharKind::Noncharacter => "noncharacter",
        }
    }

    fn words(self) -> &'static str {
        match self {
            CharKind::Control => "a control character",
            CharKind::Invisible => "an invisible formatting character",
            CharKind::Noncharacter => "a noncharacter",
        }
    }
}

impl Problem {
    /// A stable code (`too_long`, `character`, …) for translations.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::TooShort { .. } => "too_short",
            Problem::Character { .. } => "character",
            Problem::NotEmail => "not_email",
            Problem::PathSeparator => "path_separator",
            Problem::NotANumber { .. } => "not_a_number",
            Problem::OutOfRange { .. } => "out_of_range",
            Problem::NotADate { .. } => "not_a_date",
            Problem::YearOutOfRange { .. } => "year_out_of_range",
            Problem::NotOneOf { .. } => "not_one_of",
            Problem::EndBeforeStart => "end_before_start",
            Problem::InFuture => "in_future",
            Problem::Repeated { .. } => "repeated",
            Problem::TooMany { .. } => "too_many",
            Problem::NoSuchRecord => "no_such_record",
            Problem::NotAProvider => "not_a_provider",
            Problem::FileType { .. } => "file_type",
            Problem::FileTooLarge { .. } => "file_too_large",
            Problem::ContentMismatch { .. } => "content_mismatch",
            Problem::CharNotAllowed { .. } => "char_not_allowed",
            Problem::NotATime { .. } => "not_a_time",
            Problem::UnknownTimeZone { .. } => "unknown_time_zone",
            Problem::NoSuchLocalTime { .. } => "no_such_local_time",
            Problem::Outside { .. } => "outside",
        }
    }

    /// The figures a translation may use, by name.
    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Problem::TooLong { max } | Problem::TooMany { max } => vec![("max", Arg::text(max))],
            Problem::TooShort { min } => vec![("min", Arg::text(min))],
            Problem::Character {
                position,
                code_point,
                kind,
            } => vec![
                ("position", Arg::text(position)),
                ("codepoint", Arg::Text(format!("U+{code_point:04X}"))),
                ("kind", Arg::Label(format!("input-char-{}", kind.code()))),
            ],
            Problem::NotANumber { value }
            | Problem::NotADate { value }
            | Problem::NotATime { value }
            | Problem::UnknownTimeZone { value }
            | Problem::Repeated { value } => vec![("value", Arg::text(value))],
            Problem::NoSuchLocalTime { value, zone } => {
                vec![("value", Arg::text(value)), ("zone", Arg::text(zone))]
            }
            Problem::Outside { value, start, end } => vec![
                ("value", Arg::text(value)),
                ("start", Arg::text(start)),
                ("end", Arg::text(end)),
            ],
            Problem::OutOfRange { min, max } => {
                vec![("min", Arg::text(min)), ("max", Arg::text(max))]
            }
            Problem::YearOutOfRange { min, max } => {
                vec![("min", Arg::text(min)), ("max", Arg::text(max))]
            }
            Problem::NotOneOf { value, allowed } | Problem::CharNotAllowed { value, allowed } => {
                vec![("value", Arg::text(value)), ("allowed", Arg::text(allowed))]
            }
            Problem::FileType { name, allowed } => {
                vec![("name", Arg::text(name)), ("allowed", Arg::text(allowed))]
            }
            Problem::FileTooLarge { name, max } => {
                vec![("name", Arg::text(name)), ("max", Arg::text(max))]
            }
            Problem::ContentMismatch { name, declared } => {
                vec![("name", Arg::text(name)), ("declared", Arg::text(declared))]
            }
            Problem::Required
            | Problem::NotEmail
            | Problem::PathSeparator
            | Problem::EndBeforeStart
            | Problem::InFuture
            | Problem::NoSuchRecord
            | Problem::NotAProvider => vec![],
        }
    }
}

impl InputError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Why a character is refused, or `None` when it is allowed. Refused: control characters
/// (NUL, escape, …; a paragraph keeps line breaks and tabs), and characters that change
/// how text looks or reads without being seen — zero-width spaces and joiners, bidi
/// embeddings, overrides and isolates (the right-to-left override that disguises a file
/// name), byte-order marks, interlinear annotations, tag characters and noncharacters.
pub fn refused_char(c: char, multiline: bool) -> Option<CharKind> {
    let u = c as u32;
    match c {
        '\n' | '\t' if multiline => None,
        _ if c.is_control() => Some(CharKind::Control),
        '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some(CharKind::Invisible),
        _ if (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE => Some(CharKind::Noncharacter),
        _ => None,
    }
}

/// Checks `s` against a length range (in characters, after trimming) and the character
/// policy; a paragraph's `\r\n` becomes `\n`.
fn check(
    field: &'static str,
    s: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, InputError> {
    let t = if multiline {
        s.trim().replace("\r\n", "\n")
    } else {
        s.trim().to_owned()
    };
    // Count no further than needed: a 100 MB value is refused after `max + 1` characters.
    let n = t.chars().take(max + 1).count();
    if n > max {
        return Err(InputError::new(field, Problem::TooLong { max }));
    }
    if n < min {
        return Err(InputError::new(
            field,
            if min == 1 {
                Problem::Required
            } else {
                Problem::TooShort { min }
            },
        ));
    }
    if let Some((i, c, kind)) = t
        .chars()
        .enumerate()
        .find_map(|(i, c)| refused_char(c, multiline).map(|w| (i, c, w)))
    {
        return Err(InputError::new(
            field,
            Problem::Character {
                position: i + 1,
                code_point: c as u32,
                kind,
            },
        ));
    }
    Ok(t)
}

macro_rules! text_type {
    ($(#[$m:meta])* $name:ident, min = $min:expr, max = $max:expr, multiline = $multi:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct $name(String);

        impl $name {
            /// The most characters allowed.
            pub const MAX: usize = $max;

            /// Trims and checks `s`; `field` names the field in the error.
            pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
                check(field, s, $min, $max, $multi).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A given or family name, a display name: one line, 1–100 characters.
    PersonName, min = 1, max = 100, multiline = false
);
text_type!(
    /// A title (of an activity, an offer): one line, 1–200 characters.
    Title, min = 1, max = 200, multiline = false
);
text_type!(
    /// Reasons, a qualification, a motivation: 1–4,000 characters, line breaks kept.
    Reason, min = 1, max = 4000, multiline = true
);
text_type!(
    /// A longer description that may be empty: 0–4,000 characters, line breaks kept.
    Description, min = 0, max = 4000, multiline = true
);

/// An uploaded file's name: 1–255 characters, no path separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileName(String);

impl FileName {
    pub const MAX: usize = 255;

    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = check(field, s, 1, Self::MAX, false)?;
        if t.contains(['/', '\\']) || t == "." || t == ".." {
            return Err(InputError::new(field, Problem::PathSeparator));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A file name for `Content-Disposition`'s plain `filename=`: printable ASCII without
/// quotes or backslashes; anything else becomes `_` (the exact name travels in
/// `filename*`).
pub fn ascii_file_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect()
}

/// An e-mail address: one line, 3–254 characters, one `@` with text on both sides, no
/// spaces. Deliverability is the mail server's business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let t = check(field, s, 3, Self::MAX, false)?;
        match t.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !t.contains(char::is_whitespace) =>
            {
                Ok(Self(t))
            }
            _ => Err(InputError::new(field, Problem::NotEmail)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A finite number within `[min, max]`, from a typed number or from text (a decimal
/// comma is accepted). `NaN`, infinities and out-of-range values are refused.
fn bounded(field: &'static str, v: f64, min: f64, max: f64) -> Result<f64, InputError> {
    if !v.is_finite() {
        return Err(InputError::new(
            field,
            Problem::NotANumber {
                value: v.to_string(),
            },
        ));
    }
    if !(min..=max).contains(&v) {
        return Err(InputError::new(field, Problem::OutOfRange { min, max }));
    }
    Ok(v)
}

fn number_text(field: &'static str, s: &str) -> Result<f64, InputError> {
    let t = s.trim();
    if t.len() > 32 {
        return Err(InputError::new(
            field,
            Problem::NotANumber {
                value: t.chars().take(32).collect(),
            },
        ));
    }
    t.replace(',', ".").parse::<f64>().map_err(|_| {
        InputError::new(
            field,
            Problem::NotANumber {
                value: t.to_owned(),
            },
        )
    })
}

macro_rules! number_type {
    ($(#[$m:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        pub struct $name(f64);

        impl $name {
            pub const MIN: f64 = $min;
            pub const MAX: f64 = $max;

            pub fn new(field: &'static str, v: f64) -> Result<Self, InputError> {
                bounded(field, v, $min, $max).map(Self)
            }

            /// From text; empty text is zero.
            pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
                if s.trim().is_empty() {
                    return Self::new(field, 0.0);
                }
                Self::new(field, number_text(field, s)?)
            }

            pub fn get(self) -> f64 {
                self.0
            }
        }
    };
}

number_type!(
    /// Points of a PD activity or an offer: 0–100.
    Points, 0.0, 100.0
);
number_type!(
    /// Hours of a PD activity or an offer: 0–1,000.
    Hours, 0.0, 1000.0
);

/// A record's id as a form sends it; empty is `None`.
pub fn record_id(field: &'static str, s: &str) -> Result<Option<i32>, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        InputError::new(
            field,
            Problem::NotANumber {
                value: t.chars().take(20).collect(),
            },
        )
    })
}

/// A yes/no a form sends as `1` or `0`.
pub fn flag(field: &'static str, s: &str) -> Result<bool, InputError> {
    match s.trim() {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(InputError::new(
            field,
            Problem::NotOneOf {
                value: other.chars().take(20).collect(),
                allowed: "0, 1".into(),
            },
        )),
    }
}

/// A whole number from `min` to `max`, written in a form; empty is `Required`. Each
/// refusal names the field.
pub fn whole_number(field: &'static str, s: &str, min: u32, max: u32) -> Result<u32, InputError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(InputError::new(field, Problem::Required));
    }
    let n: u32 = t.parse().map_err(|_| {
        InputError::new(
            field,
            Problem::NotANumber {
                value: t.chars().take(20).collect(),
            },
        )
    })?;
    if !(min..=max).contains(&n) {
        return Err(InputError::new(
            field,
            Problem::OutOfRange {
                min: f64::from(min),
                max: f64::from(max),
            },
        ));
    }
    Ok(n)
}

/// The years a date may fall in. Four digits keep the stored `YYYY-MM-DD` text in date
/// order, so the databases compare stored dates correctly too.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Parses a calendar date written `YYYY-MM-DD`, with a year in [`YEARS`].
pub fn date(field: &'static str, s: &str) -> Result<NaiveDate, InputError> {
    let t = s.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let d = shaped
        .then(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            let shown: String = t.chars().take(40).collect();
            InputError::new(field, Problem::NotADate { value: shown })
        })?;
    if !YEARS.contains(&d.year()) {
        return Err(InputError::new(
            field,
            Problem::YearOutOfRange {
                min: *YEARS.start(),
                max: *YEARS.end(),
            },
        ));
    }
    Ok(d)
}

/// The cell as a spreadsheet should receive it: a text that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP's
/// CSV-injection guidance lists) gets a leading `'`, which spreadsheets show as text.
pub fn spreadsheet_text(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{s}").into(),
        _ => s.into(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn ids_and_flags_parse_as_forms_send_them() {
        assert_eq!(record_id("id", " 12 ").unwrap(), Some(12));
        assert_eq!(record_id("id", "").unwrap(), None);
        assert!(matches!(
            record_id("id", "x1").unwrap_err().problem,
            Problem::NotANumber { .. }
        ));
        assert!(flag("f", "1").unwrap() && !flag("f", " 0").unwrap());
        assert_eq!(flag("declines", "yes").unwrap_err().field, "declines");
    }

    use super::*;

    #[test]
    fn names_have_a_length_and_no_hidden_characters() {
        assert_eq!(
            PersonName::parse("given_name", "  Ana ").unwrap().as_str(),
            "Ana"
        );
        let long = "x".repeat(100_000);
        let e = PersonName::parse("given_name", &long).unwrap_err();
        assert_eq!(
            e.to_string(),
            "given_name: at most 100 characters are allowed"
        );
        assert_eq!(
            PersonName::parse("family_name", " ").unwrap_err().problem,
            Problem::Required
        );
        for bad in [
            "a\0b",
            "a\u{1b}b",
            "a\nb",
            "a\u{200B}b",
            "a\u{202E}b",
            "a\u{2066}b",
            "\u{FEFF}ab",
            "a\u{E0041}",
        ] {
            let e = PersonName::parse("given_name", bad).unwrap_err();
            assert!(e.to_string().contains("U+"), "{bad:?}: {e}");
            assert_eq!(e.problem.code(), "character");
        }
        // Letters of every language of the programme stay.
        for ok in ["Šercer", "Ærøy", "Ĳsselmeer", "Dvořák", "O'Brien-Smith"] {
            assert!(PersonName::parse("n", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn paragraphs_keep_line_breaks_but_nothing_else_hidden() {
        let r = Reason::parse("reasons", "one\r\ntwo\tthree").unwrap();
        assert_eq!(r.as_str(), "one\ntwo\tthree");
        assert!(Reason::parse("reasons", "a\u{0}b").is_err());
        assert!(Reason::parse("reasons", &"x".repeat(4001)).is_err());
        assert!(Description::parse("description", "").is_ok());
    }

    #[test]
    fn file_names_and_addresses() {
        assert!(FileName::parse("evidence", "cert.pdf").is_ok());
        assert!(FileName::parse("evidence", "../etc/passwd").is_err());
        assert!(FileName::parse("evidence", "evil\u{202E}fdp.exe").is_err());
        assert_eq!(
            ascii_file_name("Potrdilo – Šola.pdf"),
            "Potrdilo _ _ola.pdf"
        );
        assert!(Email::parse("email", "ana@example.org").is_ok());
        for bad in ["ana", "@x", "a@", "a b@x", "a@b@c"] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_finite_and_in_range() {
        assert_eq!(Points::parse("points", "2,5").unwrap().get(), 2.5);
        assert_eq!(Points::parse("points", "").unwrap().get(), 0.0);
        for bad in [
            "NaN", "inf", "-inf", "-1e308", "1e308", "101", "-0.5", "abc",
        ] {
            assert!(Points::parse("points", bad).is_err(), "{bad}");
        }
        assert!(Points::new("points", f64::NAN).is_err());
        assert!(Hours::new("hours", 1000.0).is_ok());
        assert!(Hours::new("hours", 1000.5).is_err());
    }

    #[test]
    fn dates_are_four_digit_years_in_range() {
        assert_eq!(
            date("d", "2026-11-30").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        for bad in [
            "20270-01-01",
            "-0001-01-01",
            "2026-2-3",
            "2026-02-30",
            "1899-12-31",
            "2200-01-01",
            "2026-11-30T00:00",
            "",
        ] {
            assert!(date("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formulas_become_text() {
        for f in ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_text(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(spreadsheet_text("Ana"), "Ana");
        assert_eq!(spreadsheet_text(""), "");
    }

    proptest::proptest! {
        /// Whatever is accepted is within the limit and has no refused character.
        #[test]
        fn accepted_text_keeps_the_policy(s in "\\PC{0,120}|[\\x00-\\x1f\\u{200b}-\\u{202e}a-z]{0,20}") {
            if let Ok(n) = PersonName::parse("n", &s) {
                proptest::prop_assert!(n.as_str().chars().count() <= PersonName::MAX);
                proptest::prop_assert!(n.as_str().chars().all(|c| refused_char(c, false).is_none()));
            }
        }
    }
}
