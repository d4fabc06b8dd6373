//! Guidance of school owners (Norway's Veilederkorpset, the directorate's
//! *oppfølgingsordning*): indicators published with small-number suppression, and the
//! assessment that selects owners for guidance by the directorate's published rules, every
//! point explained.

pub mod assessment;
pub mod cases;
pub mod indicators;
pub mod places;
pub mod settings;
pub mod sources;
pub mod suppression;
