//! The directory of countries, regions, municipalities, organisations and people.

use crate::codes::codes;

codes!(
    /// The countries Headway serves.
    Country, "country", "country" { Netherlands => "NL", Norway => "NO", Slovenia => "SI" }
);

codes!(
    /// What an organisation is. Owners are municipalities acting as school owners
    /// (Norway, Slovenia); boards are the Dutch *bevoegd gezag*.
    OrgKind, "kind", "kind" {
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

codes!(
    /// Whether a school stands in a town or in the countryside.
    Environment, "environment", "env" { Urban => "urban", Rural => "rural" }
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
