//! The directory of countries, regions, municipalities, organisations and people.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An error for a value that does not parse; it names what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what} (expected one of: {expected})")]
pub struct ParseError {
    pub what: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stored or user-given code (case-insensitive).
            pub fn parse(s: &str) -> Result<Self, ParseError> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($code) { return Ok($name::$variant); })+
                Err(ParseError {
                    what: $what,
                    value: s.to_owned(),
                    expected: [$($code),+].join(", "),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum!(
    /// The countries Headway serves.
    Country, "country" { Netherlands => "NL", Norway => "NO", Slovenia => "SI" }
);

code_enum!(
    /// What an organisation is. Owners are municipalities acting as school owners
    /// (Norway, Slovenia); boards are the Dutch *bevoegd gezag*.
    OrgKind, "organisation kind" {
        Owner => "owner",
        Board => "board",
        School => "school",
        Kindergarten => "kindergarten",
        SchoolCentre => "school_centre",
        MusicSchool => "music_school",
        Dormitory => "dormitory",
        Provider => "provider",
        Agency => "agency",
    }
);

code_enum!(
    /// Whether a school stands in a town or in the countryside.
    Environment, "environment" { Urban => "urban", Rural => "rural" }
);

impl Country {
    /// The English name; pages translate through the i18n layer instead.
    pub fn english_name(self) -> &'static str {
        match self {
            Country::Netherlands => "Netherlands",
            Country::Norway => "Norway",
            Country::Slovenia => "Slovenia",
        }
    }
}

impl OrgKind {
    /// Kinds that lead pupils and so have a school leader.
    pub fn is_educational(self) -> bool {
        matches!(
            self,
            OrgKind::School
                | OrgKind::Kindergarten
                | OrgKind::SchoolCentre
                | OrgKind::MusicSchool
                | OrgKind::Dormitory
        )
    }
}

/// Guesses the kind of a Slovenian institution from its name, as written in the
/// programme documents (`OŠ …`, `Vrtec …`, `ŠC …`, `Glasbena šola …`, `Dijaški dom …`).
pub fn slovenian_kind_from_name(name: &str) -> OrgKind {
    let f = crate::text::fold(name);
    if f.starts_with("sc ") || f.contains("solski center") {
        OrgKind::SchoolCentre
    } else if f.contains("vrtec") || f.contains("vzgojnovarstveni") {
        OrgKind::Kindergarten
    } else if f.contains("glasbena sola") {
        OrgKind::MusicSchool
    } else if f.contains("dijaski") || f.contains("studentski dom") {
        OrgKind::Dormitory
    } else {
        OrgKind::School
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()).unwrap(), *k);
        }
        assert_eq!(Country::parse("nl").unwrap(), Country::Netherlands);
        let err = OrgKind::parse("castle").unwrap_err();
        assert!(err.to_string().contains("castle"));
        assert!(err.to_string().contains("school_centre"));
    }

    #[test]
    fn slovenian_kinds() {
        assert_eq!(
            slovenian_kind_from_name("ŠC Velenje, Strojna šola"),
            OrgKind::SchoolCentre
        );
        assert_eq!(
            slovenian_kind_from_name("Vrtec Tezno Maribor"),
            OrgKind::Kindergarten
        );
        assert_eq!(
            slovenian_kind_from_name("Glasbena šola Domžale"),
            OrgKind::MusicSchool
        );
        assert_eq!(
            slovenian_kind_from_name("Dijaški in študentski dom Kranj"),
            OrgKind::Dormitory
        );
        assert_eq!(
            slovenian_kind_from_name("OŠ Ljubo Šercer Kočevje"),
            OrgKind::School
        );
    }
}
