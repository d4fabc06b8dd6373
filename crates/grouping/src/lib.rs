//! The group solver: split items into groups with bounds so that the groups are as
//! diverse as possible (MDGP), as compact as possible (capacitated clustering, CCP), or as
//! balanced as possible (maximise the worst group). Pure: no I/O, no global state.
//!
//! - [`Problem`]: items with weights, groups with weight bounds, a dissimilarity (or
//!   benefit) matrix, and constraints.
//! - [`solve`]: tabu search over insert and swap moves, evaluated in O(1) from a gain
//!   matrix, iterated with random kicks (MDGP) or inside a memetic algorithm (CCP,
//!   balance); deterministic for a seed and an iteration budget; time limit,
//!   cancellation, progress and several threads.
//! - [`explain`]: per-group figures and, for every member, why it sits where it does.
//! - [`formats`]: readers for the public MDGPLIB and CCPLIB benchmark files.
//! - [`attributes`]: builds the matrix from categorical, numeric and coordinate attributes.

pub mod attributes;
pub mod explain;
pub mod formats;
pub mod model;
pub mod profiles;
pub mod regional;
pub mod request;
pub mod run;
pub mod solver;

pub use model::{Bounds, Constraints, GroupingError, Objective, Problem};
pub use solver::{solve, Options, Progress, Solution};
