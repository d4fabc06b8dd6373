//! The public data shipped in the repository's `data/` folder, embedded in the binary
//! so that `headway demo` needs no files. Listed in the order the imports depend on.

use super::Dataset;

macro_rules! file {
    ($d:expr, $p:literal) => {
        (
            $d,
            $p,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $p)) as &[u8],
        )
    };
}

/// `(dataset, path under data/, contents)`.
pub const BUNDLED: [(Dataset, &str, &[u8]); 10] = [
    file!(Dataset::NlMunicipalities, "nl/gemeenten.csv"),
    file!(Dataset::NlBoards, "nl/besturen.csv"),
    file!(Dataset::NlSchools, "nl/basisscholen.csv"),
    file!(Dataset::NoMunicipalities, "no/kommuner_2024.csv"),
    file!(Dataset::NoRegions, "no/regioner_follo_romerike.csv"),
    file!(Dataset::NoSchools, "no/skoler_follo_romerike.csv"),
    file!(Dataset::SiRegions, "si/gurs_SR.csv"),
    file!(Dataset::SiMunicipalities, "si/gurs_OB.csv"),
    file!(Dataset::SiMunicipalityRegions, "si/obcine_regije.csv"),
    file!(Dataset::SiInstitutions, "si/zavodi_regijski_aktivi.csv"),
];

/// The indicators of the guidance demo (Norway's national tests at every level, FHI's
/// Telemark figures) and where Norway's schools are: imported after the directory, whose
/// municipalities they name.
pub const INDICATORS: [(Dataset, &str, &[u8]); 3] = [
    file!(Dataset::NoNationalTests, "no/nasjonale_prover.csv"),
    file!(
        Dataset::NoFhiSchoolIndicators,
        "no/fhi_telemark_skoleindikatorer.csv"
    ),
    file!(Dataset::NoSchoolPlaces, "no/skoler_koordinater.csv"),
];

/// Country outlines (Natural Earth, public domain) as GeoJSON.
pub const OUTLINES: [(&str, &str); 3] = [
    (
        "NL",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/world/netherlands.geojson"
        )),
    ),
    (
        "NO",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/world/norway.geojson"
        )),
    ),
    (
        "SI",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/world/slovenia.geojson"
        )),
    ),
];
