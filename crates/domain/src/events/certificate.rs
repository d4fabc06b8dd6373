//! Certificates of attendance: each attended registration gets a verification code that a
//! public page confirms. The code is random (the store draws the bytes), short enough to
//! type from paper, and without letters that read alike (0/O, 1/I/L).

use crate::input::{InputError, Problem};
use chrono::NaiveDateTime;

/// The letters a code is written in: 31 symbols, none mistakable for another.
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a code: 31^12 ≈ 7.9·10^17 codes, so guessing one that exists is hopeless.
pub const CODE_LEN: usize = 12;

/// A certificate's verification code, shown as `XXXX-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CertificateCode(String);

impl CertificateCode {
    /// A code from random bytes (one symbol per byte, unbiased by rejection: the store
    /// passes enough bytes; bytes at or above 248 are skipped). `None` when the bytes ran out.
    pub fn from_random(bytes: &[u8]) -> Option<Self> {
        let code: String = bytes
            .iter()
            .filter(|b| **b < 248)
            .take(CODE_LEN)
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        (code.len() == CODE_LEN).then_some(Self(code))
    }

    /// Reads a code as a person types it: any case, with or without dashes and spaces.
    pub fn parse(field: &'static str, s: &str) -> Result<Self, InputError> {
        let code: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let shown = || s.chars().take(40).collect::<String>();
        if code.chars().count() != CODE_LEN {
            return Err(InputError::new(
                field,
                Problem::NotOneOf {
                    value: shown(),
                    allowed: "XXXX-XXXX-XXXX".into(),
                },
            ));
        }
        if let Some(c) = code
            .chars()
            .find(|c| !ALPHABET.contains(&(*c as u8)) || !c.is_ascii())
        {
            return Err(InputError::new(
                field,
                Problem::CharNotAllowed {
                    value: c.to_string(),
                    allowed: String::from_utf8_lossy(ALPHABET).into_owned(),
                },
            ));
        }
        Ok(Self(code))
    }

    /// As stored: twelve symbols.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed: `XXXX-XXXX-XXXX`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

/// The hours a participant attended, from their audience's window: on one day its span; on
/// several, the daily hours times the days. Rounded to the quarter hour.
pub fn attended_hours(window: (NaiveDateTime, NaiveDateTime)) -> f64 {
    let (from, to) = window;
    let days = (to.date() - from.date()).num_days() + 1;
    let minutes = if days == 1 {
        (to - from).num_minutes()
    } else {
        let daily = (to.time() - from.time()).num_minutes().max(0);
        daily * days
    };
    (minutes.max(0) as f64 / 15.0).round() / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::parse_local;

    #[test]
    fn codes_are_made_read_and_printed() {
        let bytes: Vec<u8> = (0..=255).collect();
        let c = CertificateCode::from_random(&bytes).unwrap();
        assert_eq!(c.as_str().len(), CODE_LEN);
        let printed = c.display();
        assert_eq!(printed.len(), CODE_LEN + 2);
        assert_eq!(
            CertificateCode::parse("code", &printed.to_lowercase()).unwrap(),
            c
        );
        assert!(CertificateCode::from_random(&[1, 2, 3]).is_none());
        assert!(
            CertificateCode::from_random(&[250; 40]).is_none(),
            "biased bytes are skipped"
        );
    }

    #[test]
    fn mistakable_or_short_codes_are_refused_by_name() {
        let e = CertificateCode::parse("code", "ABCD-EFGH-IJK0").unwrap_err();
        assert_eq!(e.field, "code");
        assert!(matches!(e.problem, Problem::CharNotAllowed { ref value, .. } if value == "I"));
        let e = CertificateCode::parse("code", "ABCD").unwrap_err();
        assert!(matches!(e.problem, Problem::NotOneOf { .. }));
        assert!(CertificateCode::parse("code", "ÅBCD-EFGH-JKMN").is_err());
    }

    #[test]
    fn hours_follow_the_audience_s_window() {
        let at = |s| parse_local("t", s).unwrap();
        // ØST: owners 09:00–16:00, principals from lunch (11:30).
        assert_eq!(
            attended_hours((at("2020-01-28 09:00"), at("2020-01-28 16:00"))),
            7.0
        );
        assert_eq!(
            attended_hours((at("2020-01-28 11:30"), at("2020-01-28 16:00"))),
            4.5
        );
        // Two days of 09:00–15:00.
        assert_eq!(
            attended_hours((at("2027-05-03 09:00"), at("2027-05-04 15:00"))),
            12.0
        );
    }
}
