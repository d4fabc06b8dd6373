//! Where Norway's schools are, and which school owners are small: the reader of the school
//! places file (school name, *kommune* as a name, position) and the rule that puts a place
//! in a municipality of the directory. The file names municipalities in their everyday
//! form, sometimes with the Sámi or Kven form after a dash (`Levanger - Levangke`) and the
//! county in brackets where two share a name (`Våler (Innlandet)`); where a name still
//! fits two municipalities the nearer centroid decides.

use crate::geo::LatLon;
use crate::input::{InputError, Problem};
use crate::table::{CsvTable, ImportError};
use crate::text::fold;

/// A school and where it is, from one line of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolPlace {
    pub name: String,
    /// The municipality as the file names it.
    pub municipality: String,
    pub at: (f64, f64),
    pub line: u64,
}

/// Names in the file that are no municipality (Svalbard is governed by the state).
pub const NOT_MUNICIPALITY_NAMES: [&str; 1] = ["svalbard"];

/// Reads every line; a blank name, a missing or impossible position is named by line and
/// field. Places outside any municipality ([`NOT_MUNICIPALITY_NAMES`]) are left out.
pub fn school_places(t: &CsvTable) -> Result<Vec<SchoolPlace>, ImportError> {
    let name = t.require(&["enhetnavn", "name", "skolenavn"])?;
    let muni = t.require(&["kommune", "municipality"])?;
    let (lat, lon) = (t.require(&["lat"])?, t.require(&["lng", "lon"])?);
    let mut out = Vec::with_capacity(t.len());
    for r in t.rows() {
        let school = r.req(name)?;
        let municipality = r.req(muni)?;
        r.req(lat)?;
        r.req(lon)?;
        let Some(at) = r.latlon(Some(lat), Some(lon))? else {
            continue;
        };
        if NOT_MUNICIPALITY_NAMES.contains(&fold(municipality).as_str()) {
            continue;
        }
        out.push(SchoolPlace {
            name: school.to_owned(),
            municipality: municipality.to_owned(),
            at,
            line: r.line,
        });
    }
    Ok(out)
}

/// A municipality of the directory as places are matched to it.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownMunicipality {
    pub key: String,
    /// Every name it goes by (everyday, official), folded.
    pub names: Vec<String>,
    /// Its county's name, folded.
    pub county: String,
    pub at: Option<(f64, f64)>,
}

impl KnownMunicipality {
    pub fn new(key: &str, names: &[&str], county: &str, at: Option<(f64, f64)>) -> Self {
        let mut folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
        folded.dedup();
        Self {
            key: key.to_owned(),
            names: folded,
            county: fold(county),
            at,
        }
    }
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    match (LatLon::new(a.0, a.1), LatLon::new(b.0, b.1)) {
        (Some(a), Some(b)) => a.distance_km(b),
        _ => f64::MAX,
    }
}

/// The municipality a place lies in: one whose name is the place's (or one of its
/// dash-separated forms), in the bracketed county when one is given, the nearest when
/// several remain; `None` when no name fits.
pub fn municipality_of<'a>(
    place: &SchoolPlace,
    known: &'a [KnownMunicipality],
) -> Option<&'a KnownMunicipality> {
    let text = place.municipality.trim();
    let (base, county) = match text.split_once('(') {
        Some((b, c)) => (b.trim(), Some(fold(c.trim_end_matches(')')))),
        None => (text, None),
    };
    let forms: Vec<String> = std::iter::once(fold(base))
        .chain(base.split(" - ").map(fold))
        .collect();
    let mut fits: Vec<&KnownMunicipality> = known
        .iter()
        .filter(|m| m.names.iter().any(|n| forms.contains(n)))
        .filter(|m| county.as_ref().is_none_or(|c| &m.county == c))
        .collect();
    fits.sort_by(|a, b| {
        let d = |m: &KnownMunicipality| m.at.map_or(f64::MAX, |c| km(c, place.at));
        d(a).total_cmp(&d(b))
    });
    fits.into_iter().next()
}

/// A school owner with few schools, where it is and how many schools it has.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SmallOwner {
    pub key: String,
    pub name: String,
    pub county: String,
    pub schools: u32,
    pub at: (f64, f64),
}

/// What counts as a small owner and how large its networks are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmallOwnerRules {
    /// Owners with at most this many schools.
    pub max_schools: u32,
    /// About this many owners per network.
    pub size: usize,
}

impl SmallOwnerRules {
    pub const SCHOOLS: std::ops::RangeInclusive<u32> = 1..=10;
    pub const SIZES: std::ops::RangeInclusive<usize> = 3..=12;

    /// Checks both numbers; a number out of range is named.
    pub fn new(max_schools: u32, size: usize) -> Result<Self, InputError> {
        let out = |field, r: (usize, usize)| {
            InputError::new(
                field,
                Problem::OutOfRange {
                    min: r.0 as f64,
                    max: r.1 as f64,
                },
            )
        };
        if !Self::SCHOOLS.contains(&max_schools) {
            let r = (
                *Self::SCHOOLS.start() as usize,
                *Self::SCHOOLS.end() as usize,
            );
            return Err(out("max_schools", r));
        }
        if !Self::SIZES.contains(&size) {
            return Err(out("size", (*Self::SIZES.start(), *Self::SIZES.end())));
        }
        Ok(Self { max_schools, size })
    }

    /// The smallest and largest network: one either side of the size.
    pub fn bounds(&self) -> (usize, usize) {
        (self.size.saturating_sub(1).max(2), self.size + 1)
    }
}

/// The longest distance (km) between two of `places`.
pub fn span_km(places: &[(f64, f64)]) -> f64 {
    let mut longest: f64 = 0.0;
    for (i, a) in places.iter().enumerate() {
        for b in &places[i + 1..] {
            longest = longest.max(km(*a, *b));
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<KnownMunicipality> {
        vec![
            KnownMunicipality::new(
                "no:kommune:1818",
                &["Herøy"],
                "Nordland",
                Some((66.0, 12.3)),
            ),
            KnownMunicipality::new(
                "no:kommune:1515",
                &["Herøy"],
                "Møre og Romsdal",
                Some((62.3, 5.6)),
            ),
            KnownMunicipality::new(
                "no:kommune:3419",
                &["Våler"],
                "Innlandet",
                Some((60.7, 11.8)),
            ),
            KnownMunicipality::new("no:kommune:3110", &["Våler"], "Østfold", Some((59.5, 10.9))),
            KnownMunicipality::new(
                "no:kommune:5037",
                &["Levanger"],
                "Trøndelag",
                Some((63.7, 11.3)),
            ),
            KnownMunicipality::new(
                "no:kommune:5437",
                &["Kautokeino", "Guovdageaidnu"],
                "Finnmark",
                Some((69.0, 23.0)),
            ),
            KnownMunicipality::new(
                "no:kommune:4219",
                &["Evje og Hornnes"],
                "Agder",
                Some((58.6, 7.8)),
            ),
        ]
    }

    fn place(m: &str, at: (f64, f64)) -> SchoolPlace {
        SchoolPlace {
            name: "X skole".into(),
            municipality: m.into(),
            at,
            line: 2,
        }
    }

    fn key(m: &str, at: (f64, f64)) -> Option<String> {
        municipality_of(&place(m, at), &known()).map(|k| k.key.clone())
    }

    #[test]
    fn names_in_the_files_forms_find_their_municipality() {
        assert_eq!(
            key("Levanger - Levangke", (63.7, 11.3)).as_deref(),
            Some("no:kommune:5037")
        );
        assert_eq!(
            key("Guovdageaidnu - Kautokeino", (69.0, 23.0)).as_deref(),
            Some("no:kommune:5437")
        );
        assert_eq!(
            key("Evje Og Hornnes", (58.6, 7.8)).as_deref(),
            Some("no:kommune:4219")
        );
        // The bracketed county decides even against the nearer centroid.
        assert_eq!(
            key("Våler (Innlandet)", (59.5, 10.9)).as_deref(),
            Some("no:kommune:3419")
        );
        assert_eq!(
            key("Våler (Østfold)", (60.7, 11.8)).as_deref(),
            Some("no:kommune:3110")
        );
        // Without a county, the nearer of two namesakes.
        assert_eq!(
            key("Herøy", (66.1, 12.2)).as_deref(),
            Some("no:kommune:1818")
        );
        assert_eq!(
            key("Herøy", (62.3, 5.7)).as_deref(),
            Some("no:kommune:1515")
        );
        assert_eq!(key("Atlantis", (60.0, 10.0)), None);
        assert_eq!(key("Våler (Agder)", (60.0, 10.0)), None);
    }

    #[test]
    fn the_reader_names_bad_lines_and_leaves_out_svalbard() {
        let t = CsvTable::parse(
            "s.csv",
            "EnhetNavn;Kommune;lat;lng\nA skole;Levanger;63.7;11.3\nB skole;Svalbard;78.2;15.6\n"
                .as_bytes(),
        )
        .unwrap();
        let p = school_places(&t).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].line, p[0].at), (2, (63.7, 11.3)));
        for (bad, field) in [
            ("A skole;Levanger;;11.3", "lat"),
            ("A skole;Levanger;95;11.3", "lat"),
            (";Levanger;63;11", "enhetnavn"),
            ("A skole;;63;11", "kommune"),
        ] {
            let t = CsvTable::parse(
                "s.csv",
                format!("EnhetNavn;Kommune;lat;lng\n{bad}\n").as_bytes(),
            )
            .unwrap();
            let e = school_places(&t).unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (2, field), "{bad}: {e:?}");
        }
    }

    #[test]
    fn rules_are_checked_and_spans_measured() {
        assert_eq!(SmallOwnerRules::new(0, 5).unwrap_err().field, "max_schools");
        assert_eq!(SmallOwnerRules::new(2, 40).unwrap_err().field, "size");
        assert_eq!(SmallOwnerRules::new(2, 5).unwrap().bounds(), (4, 6));
        assert_eq!(SmallOwnerRules::new(2, 3).unwrap().bounds(), (2, 4));
        let oslo_bergen = span_km(&[(59.91, 10.75), (60.39, 5.32), (59.95, 10.7)]);
        assert!((300.0..320.0).contains(&oslo_bergen), "{oslo_bergen}");
        assert_eq!(span_km(&[(59.9, 10.7)]), 0.0);
    }
}
