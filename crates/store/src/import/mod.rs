//! Importers for the public source files. Every import parses and checks the whole
//! file first, then writes in one transaction: a bad row names file, line and field and
//! nothing is written. Rows are upserted by their external id, so running an import
//! twice changes nothing the second time.

pub mod bundled;
mod nl;
mod no;
mod si;
pub(crate) mod write;

pub use headway_domain::table::{CsvTable, ImportError, Row};

use crate::{Result, Store};
use std::fmt;

/// The datasets `headway import` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// `data/nl/gemeenten.csv`: gemeenten with their province and centroid.
    NlMunicipalities,
    /// `data/nl/besturen.csv`: the *bevoegde gezagen* (school boards).
    NlBoards,
    /// DUO *alle vestigingen basisonderwijs* (`;`-separated as published, or the `,` file
    /// with coordinates and pupil counts).
    NlSchools,
    /// `data/no/kommuner_2024.csv`: kommuner and fylker; each kommune is also a school owner.
    NoMunicipalities,
    /// `data/no/regioner_follo_romerike.csv`: regional councils and their members.
    NoRegions,
    /// `data/no/skoler_follo_romerike.csv`: grunnskoler with their kommune, grades and
    /// ownership.
    NoSchools,
    /// GURS `SR.csv`: statistical regions.
    SiRegions,
    /// GURS `OB.csv`: občine (centroids converted from D96/TM); each is also a founder.
    SiMunicipalities,
    /// `data/si/obcine_regije.csv`: the statistical region of each občina.
    SiMunicipalityRegions,
    /// `data/si/zavodi_regijski_aktivi.csv`: institutions of the regional groups.
    SiInstitutions,
    /// Udir's national tests, long form (`data/no/nasjonale_prover.csv`): indicators.
    NoNationalTests,
    /// FHI's school indicators (`data/no/fhi_telemark_skoleindikatorer.csv`).
    NoFhiSchoolIndicators,
    /// An agency's own indicator export in Headway's format (`docs/indicators.md`).
    Indicators,
    /// Where Norway's schools are (`data/no/skoler_koordinater.csv`): school counts of
    /// owners, for networks of small owners.
    NoSchoolPlaces,
}

impl Dataset {
    pub const ALL: [Dataset; 14] = [
        Dataset::NlMunicipalities,
        Dataset::NlBoards,
        Dataset::NlSchools,
        Dataset::NoMunicipalities,
        Dataset::NoRegions,
        Dataset::NoSchools,
        Dataset::SiRegions,
        Dataset::SiMunicipalities,
        Dataset::SiMunicipalityRegions,
        Dataset::SiInstitutions,
        Dataset::NoNationalTests,
        Dataset::NoFhiSchoolIndicators,
        Dataset::Indicators,
        Dataset::NoSchoolPlaces,
    ];

    /// Guidance data (indicators, school places) rather than the directory.
    pub fn is_indicators(self) -> bool {
        matches!(
            self,
            Dataset::NoNationalTests
                | Dataset::NoFhiSchoolIndicators
                | Dataset::Indicators
                | Dataset::NoSchoolPlaces
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Dataset::NlMunicipalities => "nl-municipalities",
            Dataset::NlBoards => "nl-boards",
            Dataset::NlSchools => "nl-schools",
            Dataset::NoMunicipalities => "no-municipalities",
            Dataset::NoRegions => "no-regions",
            Dataset::NoSchools => "no-schools",
            Dataset::SiRegions => "si-regions",
            Dataset::SiMunicipalities => "si-municipalities",
            Dataset::SiMunicipalityRegions => "si-municipality-regions",
            Dataset::SiInstitutions => "si-institutions",
            Dataset::NoNationalTests => "no-national-tests",
            Dataset::NoFhiSchoolIndicators => "no-fhi-school-indicators",
            Dataset::Indicators => "indicators",
            Dataset::NoSchoolPlaces => "no-school-places",
        }
    }

    pub fn parse(s: &str) -> std::result::Result<Self, String> {
        Dataset::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown dataset `{s}`; known: {}",
                    Dataset::ALL.map(Dataset::name).join(", ")
                )
            })
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows: {} inserted, {} updated",
            self.rows, self.inserted, self.updated
        )
    }
}

/// Told how far an import has come: `(done, total)` rows.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

impl Store {
    /// Imports one file. `file` names it in error messages.
    pub async fn import(
        &self,
        dataset: Dataset,
        file: &str,
        bytes: &[u8],
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        let table = CsvTable::parse(file, bytes)?;
        let txn = self.begin_write().await?;
        let report = match dataset {
            Dataset::NlMunicipalities => nl::municipalities(&txn, &table, progress).await?,
            Dataset::NlBoards => nl::boards(&txn, &table, progress).await?,
            Dataset::NlSchools => nl::schools(&txn, &table, progress).await?,
            Dataset::NoMunicipalities => no::municipalities(&txn, &table, progress).await?,
            Dataset::NoRegions => no::regions(&txn, &table, progress).await?,
            Dataset::NoSchools => no::schools(&txn, &table, progress).await?,
            Dataset::SiRegions => si::regions(&txn, &table, progress).await?,
            Dataset::SiMunicipalities => si::municipalities(&txn, &table, progress).await?,
            Dataset::SiMunicipalityRegions => {
                si::municipality_regions(&txn, &table, progress).await?
            }
            Dataset::SiInstitutions => si::institutions(&txn, &table, progress).await?,
            Dataset::NoNationalTests | Dataset::NoFhiSchoolIndicators | Dataset::Indicators => {
                crate::guidance::import::indicators(
                    &txn,
                    dataset,
                    &table,
                    &self.least_counts,
                    progress,
                )
                .await?
            }
            Dataset::NoSchoolPlaces => {
                crate::guidance::places::school_places(&txn, &table, progress).await?
            }
        };
        crate::audit::append(
            &*txn,
            crate::audit::AuditEvent {
                actor: "system:import",
                action: match dataset.is_indicators() {
                    true => "guidance.import",
                    false => "directory.import",
                },
                subject: dataset.name(),
                detail: &format!("{file}: {report}"),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(report)
    }
}
