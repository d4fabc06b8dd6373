//! Which search a problem gets, and the tuning constants of each.

use super::*;

/// How a search thread spends its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strategy {
    /// A population of tabu-search optima recombined by group-based crossover: for
    /// weighted problems (CCP), the balance objective and more than `ITERATED_MAX_N`
    /// items.
    Memetic,
    /// Iterated tabu search: kick the best solution of the thread with random swaps and
    /// search again from there; for unit weights and the sum objective (MDGP) up to
    /// `ITERATED_MAX_N` items.
    Iterated,
}

/// The iterated search measured better than the memetic one on MDGPLIB n = 120 and worse
/// on n = 240 and 480 at the standard time limits (`docs/benchmarks.md`), where a round
/// of it takes too long for enough rounds.
pub(super) const ITERATED_MAX_N: usize = 200;

pub(super) struct Tuning {
    pub(super) strategy: Strategy,
    /// Tabu iterations without improvement before a tabu run ends.
    pub(super) depth: u64,
    pub(super) tt_div: f64,
    pub(super) pop: usize,
    /// Random swaps per kick of the iterated search.
    pub(super) strength: usize,
    /// The iterated search goes on from a result within this share of the thread's best
    /// objective, even when it is worse than the current one.
    pub(super) accept: f64,
    /// Strategic oscillation: the sum search may leave the bounds by `slack` weight per
    /// group, at a penalty per unit of excess that adapts to keep it near feasibility.
    pub(super) slack: f64,
}

impl Tuning {
    /// The settings the benchmarks in `docs/benchmarks.md` used; the alternatives tried
    /// are listed there with their figures.
    pub(super) fn for_problem(p: &Problem) -> Self {
        let weighted = p.weights.iter().any(|&w| w != p.weights[0]);
        let wmax = p.weights.iter().copied().fold(0.0, f64::max);
        let n = p.n as f64;
        if p.objective == Objective::Sum && !weighted && p.n <= ITERATED_MAX_N {
            // On MDGPLIB n = 120, kicks of 0.4 n swaps and runs of 12 n iterations
            // without improvement did best of the kicks and depths tried, and beat the
            // memetic search on ds and ss (figures in docs/benchmarks.md).
            return Self {
                strategy: Strategy::Iterated,
                depth: ((12.0 * n) as u64).clamp(50, 200_000),
                tt_div: 30.0,
                pop: 1,
                strength: ((0.4 * n) as usize).max(1),
                accept: 0.002,
                slack: 0.0,
            };
        }
        Self {
            strategy: Strategy::Memetic,
            depth: ((3.0 * n) as u64).clamp(50, 200_000),
            tt_div: 30.0,
            pop: 10,
            strength: 0,
            accept: 0.0,
            // On unit weights oscillation made the n = 120 ds set worse, so only
            // weighted problems (CCP) get it.
            slack: if p.objective == Objective::Sum && weighted {
                wmax
            } else {
                0.0
            },
        }
    }
}
