//! Tabu search with a gain matrix, iterated (unit weights, sum objective, up to
//! `ITERATED_MAX_N` items) or inside a memetic algorithm (everything else).
//!
//! `gain[i][g]` is the sum of the matrix entries between item `i` and the members of
//! group `g`. With it, moving `i` from `g1` to `g2` changes the objective by
//! `gain[i][g2] − gain[i][g1]`, and swapping `i ∈ g1` with `j ∈ g2` by
//! `gain[i][g2] − gain[i][g1] + gain[j][g1] − gain[j][g2] − 2·d[i][j]`: O(1) per move.
//! Applying a move updates two columns of the gain matrix in O(n).
//!
//! For the sum objective most swaps are never evaluated: per pair of groups, the best
//! insert deltas in both directions bound every swap between them (`best_move_sum`), so
//! pairs and items that cannot beat the best move found so far are skipped. On the
//! n = 120 benchmark this makes an iteration about four times cheaper than the full scan.
//!
//! When items have unequal weights (CCP), groups at their weight limits leave few
//! feasible moves. The search then oscillates: it may take a group up to one item's
//! weight outside its bounds, at a penalty per unit of excess that rises while the
//! solution is infeasible and falls while it is feasible. Only feasible solutions are
//! kept as results.
//!
//! With unit weights and a matrix without negative entries, the iterated search keeps
//! the group sizes on a profile with the most pairs inside groups (`max_pair_profile`).
//! There only the multiset of sizes matters: two groups may exchange their contents
//! whenever each content fits the other's bounds. So the search moves by swaps, by
//! inserts from a group of `s` items to one of `s − 1` followed by that exchange (neutral
//! inserts: every group keeps its size), and by pairs of inserts that keep the multiset
//! (`double_inserts`); it ends with one tabu run under the real bounds.
//!
//! Hard constraints enter the search matrix as penalties larger than any objective
//! difference (keep-apart), or by never moving an item (fixed items, keep-together
//! components, which are placed together at construction).

use crate::model::{GroupingError, Objective, Problem};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long and how hard to search.
pub struct Options<'a> {
    pub seed: u64,
    /// Stop after this long (checked every few iterations).
    pub time_limit: Duration,
    /// Stop after this many tabu iterations per thread; with a fixed budget the result
    /// depends only on the seed.
    pub max_iterations: Option<u64>,
    /// Independent searches run in parallel; the best wins.
    pub threads: usize,
    pub cancel: Option<&'a AtomicBool>,
    /// Called when the best solution improves.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self {
            seed: 1,
            time_limit: Duration::from_secs(5),
            max_iterations: None,
            threads: 1,
            cancel: None,
            progress: None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub elapsed: Duration,
    pub best: f64,
    pub iterations: u64,
}

/// The best grouping found.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Group of each item.
    pub assign: Vec<usize>,
    /// The objective on the original matrix (no penalties).
    pub objective: f64,
    pub group_scores: Vec<f64>,
    pub iterations: u64,
    pub time_to_best: Duration,
    pub elapsed: Duration,
}

/// Solves `p`. Errors name the conflict when the problem cannot be solved as asked.
pub fn solve(p: &Problem, opt: &Options<'_>) -> Result<Solution, GroupingError> {
    p.validate()?;
    let search = SearchMatrix::new(p);
    let start = Instant::now();
    let threads = opt.threads.max(1);
    let shared = Mutex::new(None::<(f64, Duration)>);
    let results: Vec<Result<RunResult, GroupingError>> = if threads == 1 {
        vec![run(p, &search, opt, opt.seed, start, &shared)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let (search, shared) = (&search, &shared);
                    s.spawn(move || {
                        run(
                            p,
                            search,
                            opt,
                            opt.seed.wrapping_add(t as u64 * 0x9E37_79B9),
                            start,
                            shared,
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(GroupingError::Cancelled)))
                .collect()
        })
    };
    let mut best: Option<(Vec<usize>, f64, u64, Duration)> = None;
    let mut iterations = 0;
    let mut first_err = None;
    for r in results {
        match r {
            Ok((a, it, ttb)) => {
                iterations += it;
                let fit = search.fitness_of(p, &a);
                if best.as_ref().is_none_or(|b| fit > b.1) {
                    best = Some((a, fit, it, ttb));
                }
            }
            Err(e) => first_err = Some(e),
        }
    }
    let Some((assign, _, _, ttb)) = best else {
        return Err(first_err.unwrap_or(GroupingError::Cancelled));
    };
    if let Err(why) = p.check(&assign) {
        return Err(GroupingError::Infeasible(why));
    }
    Ok(Solution {
        objective: p.evaluate(&assign),
        group_scores: p.group_scores(&assign),
        assign,
        iterations,
        time_to_best: ttb,
        elapsed: start.elapsed(),
    })
}

/// A thread's best assignment, its iterations and when it found the best.
type RunResult = (Vec<usize>, u64, Duration);

/// The matrix the search optimises: the problem's, plus penalties.
struct SearchMatrix {
    e: Vec<f64>,
    /// Where the excess penalty of oscillation starts: the mean size of an entry times
    /// the items per unit of weight.
    penalty_unit: f64,
    /// Each row's smallest entry off the diagonal.
    row_min: Vec<f64>,
    /// Whether states keep `State::near` exact. It costs O(n) an insert and pays where
    /// entries are far from zero (on MDGPLIB Geo the swap scan evaluates 2–4 times fewer
    /// swaps and runs 1.5–2 times faster, on RanReal and RanInt it runs 1.5 times slower):
    /// where each row's smallest entry averages at least 5 % of the mean entry. Otherwise
    /// the row minimum bounds the pair term, a looser bound that needs no upkeep.
    track_near: bool,
    movable: Vec<bool>,
    groups_of_component: Vec<Vec<usize>>,
    fixed: Vec<Option<usize>>,
}

impl SearchMatrix {
    fn new(p: &Problem) -> Self {
        let n = p.n;
        let mut e = p.d.clone();
        let c = &p.constraints;
        let scale: f64 = p.d.iter().map(|v| v.abs()).sum::<f64>() + 1.0;
        let mut add = |a: usize, b: usize, v: f64| {
            e[a * n + b] += v;
            e[b * n + a] += v;
        };
        for &(a, b) in &c.keep_apart {
            add(a, b, -scale);
        }
        for &(a, b, w) in &c.avoid {
            if a < n && b < n && a != b {
                add(a, b, -w.abs());
            }
        }
        let mut movable = vec![true; n];
        let mut fixed = vec![None; n];
        for &(i, g) in &c.fixed {
            movable[i] = false;
            fixed[i] = Some(g);
        }
        let comps = p.together_components();
        for comp in &comps {
            for &i in comp {
                movable[i] = false;
            }
        }
        let total_w: f64 = p.weights.iter().sum();
        let mean_e = e.iter().map(|v| v.abs()).sum::<f64>() / (n * n).max(1) as f64;
        let row_min: Vec<f64> = (0..n)
            .map(|i| {
                let v = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| e[i * n + j])
                    .fold(f64::INFINITY, f64::min);
                if v.is_finite() {
                    v
                } else {
                    0.0
                }
            })
            .collect();
        let track_near = row_min.iter().sum::<f64>() / n.max(1) as f64 >= 0.05 * mean_e;
        Self {
            penalty_unit: (mean_e * n as f64 / total_w.max(1e-9)).max(1e-9),
            e,
            row_min,
            track_near,
            movable,
            groups_of_component: comps,
            fixed,
        }
    }

    fn fitness_of(&self, p: &Problem, a: &[usize]) -> f64 {
        State::new(p, self, a.to_vec()).fitness(p)
    }
}

/// One search's current solution with its gain matrix.
#[derive(Clone)]
struct State {
    n: usize,
    k: usize,
    a: Vec<usize>,
    load: Vec<f64>,
    gain: Vec<f64>,
    /// `near[x·k + g]`: the smallest entry between `x` and another member of `g` (infinite
    /// when there is none); bounds the pair term of swaps (`best_move_sum`). Empty unless
    /// `SearchMatrix::track_near`: the row minimum bounds it then.
    near: Vec<f64>,
    score: Vec<f64>,
    f: f64,
    /// Total weight by which the groups exceed their bounds (0 when feasible).
    viol: f64,
}

/// How far a group's load lies outside its bounds.
#[inline]
fn excess(load: f64, b: crate::model::Bounds) -> f64 {
    (b.lo - load).max(0.0) + (load - b.hi).max(0.0)
}

impl State {
    fn new(p: &Problem, m: &SearchMatrix, a: Vec<usize>) -> Self {
        let (n, k) = (p.n, p.groups.len());
        let mut gain = vec![0.0; n * k];
        let mut near = if m.track_near {
            vec![f64::INFINITY; n * k]
        } else {
            Vec::new()
        };
        let mut load = vec![0.0; k];
        for i in 0..n {
            load[a[i]] += p.weights[i];
            let row = &m.e[i * n..(i + 1) * n];
            for j in 0..n {
                if j != i {
                    gain[i * k + a[j]] += row[j];
                    if m.track_near {
                        let nr = &mut near[i * k + a[j]];
                        *nr = nr.min(row[j]);
                    }
                }
            }
        }
        let mut score = vec![0.0; k];
        for i in 0..n {
            score[a[i]] += gain[i * k + a[i]] / 2.0;
        }
        let f = score.iter().sum();
        let viol = (0..k).map(|g| excess(load[g], p.groups[g])).sum();
        Self {
            n,
            k,
            a,
            load,
            gain,
            near,
            score,
            f,
            viol,
        }
    }

    /// The scalar the search maximises.
    fn fitness(&self, p: &Problem) -> f64 {
        match p.objective {
            Objective::Sum => self.f,
            // The worst group first; the sum breaks ties (scaled so it rarely outweighs).
            Objective::MaxMin => self.min_score() + self.f / (10.0 * self.k as f64),
        }
    }

    fn min_score(&self) -> f64 {
        self.score.iter().copied().fold(f64::INFINITY, f64::min)
    }

    #[inline]
    fn apply_insert(&mut self, p: &Problem, m: &SearchMatrix, i: usize, to: usize) {
        let (n, k) = (self.n, self.k);
        let from = self.a[i];
        self.f += self.gain[i * k + to] - self.gain[i * k + from];
        self.score[from] -= self.gain[i * k + from];
        self.score[to] += self.gain[i * k + to];
        let (bf, bt) = (p.groups[from], p.groups[to]);
        self.viol -= excess(self.load[from], bf) + excess(self.load[to], bt);
        self.load[from] -= p.weights[i];
        self.load[to] += p.weights[i];
        self.viol += excess(self.load[from], bf) + excess(self.load[to], bt);
        if self.viol < 1e-9 {
            self.viol = 0.0;
        }
        self.a[i] = to;
        let row = &m.e[i * n..(i + 1) * n];
        for (j, &v) in row.iter().enumerate() {
            let base = j * k;
            self.gain[base + from] -= v;
            self.gain[base + to] += v;
        }
        if !m.track_near {
            return;
        }
        // `i` is nearest to few items of its old group; only theirs need a new minimum.
        for x in (0..n).filter(|&x| x != i) {
            let v = row[x];
            let nt = &mut self.near[x * k + to];
            *nt = nt.min(v);
            if self.near[x * k + from] == v {
                let ex = &m.e[x * n..(x + 1) * n];
                self.near[x * k + from] = (0..n)
                    .filter(|&j| j != x && self.a[j] == from)
                    .map(|j| ex[j])
                    .fold(f64::INFINITY, f64::min);
            }
        }
    }

    /// Exchanges the contents of groups `g` and `h` (their members, gains, loads, scores).
    fn swap_labels(&mut self, p: &Problem, g: usize, h: usize) {
        for x in &mut self.a {
            if *x == g {
                *x = h;
            } else if *x == h {
                *x = g;
            }
        }
        for row in self.gain.chunks_exact_mut(self.k) {
            row.swap(g, h);
        }
        for row in self.near.chunks_exact_mut(self.k) {
            row.swap(g, h);
        }
        self.load.swap(g, h);
        self.score.swap(g, h);
        self.viol = (0..self.k).map(|x| excess(self.load[x], p.groups[x])).sum();
    }

    /// Exchanges the groups of `i` and `j`.
    #[inline]
    fn apply_swap(&mut self, p: &Problem, m: &SearchMatrix, i: usize, j: usize) {
        let (gi, gj) = (self.a[i], self.a[j]);
        self.apply_insert(p, m, i, gj);
        self.apply_insert(p, m, j, gi);
    }
}

/// How a search thread spends its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
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
const ITERATED_MAX_N: usize = 200;

struct Tuning {
    strategy: Strategy,
    /// Tabu iterations without improvement before a tabu run ends.
    depth: u64,
    tt_div: f64,
    pop: usize,
    /// Random swaps per kick of the iterated search.
    strength: usize,
    /// The iterated search goes on from a result within this share of the thread's best
    /// objective, even when it is worse than the current one.
    accept: f64,
    /// Strategic oscillation: the sum search may leave the bounds by `slack` weight per
    /// group, at a penalty per unit of excess that adapts to keep it near feasibility.
    slack: f64,
}

impl Tuning {
    /// The settings the benchmarks in `docs/benchmarks.md` used; the alternatives tried
    /// are listed there with their figures.
    fn for_problem(p: &Problem) -> Self {
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

/// Tabu search from `cur` until `depth` iterations bring no improvement; returns the
/// best state seen. `iters` counts every iteration for the budget.
#[allow(clippy::too_many_arguments)]
fn tabu_search(
    p: &Problem,
    m: &SearchMatrix,
    mut cur: State,
    movable: &[usize],
    t: &Tuning,
    neutral: bool,
    iters: &mut u64,
    stop: &dyn Fn(u64) -> bool,
    rng: &mut SmallRng,
) -> (State, f64) {
    let mut tabu = vec![0u64; p.n];
    let mut local_best = cur.clone();
    let mut local_fit = local_best.fitness(p);
    let tt_base = ((movable.len() as f64 / t.tt_div) as usize).max(3) as u64;
    let mut since = 0u64;
    let mut scratch = Scratch::new(p.groups.len());
    // The excess penalty moves by 5 % an iteration: up while outside the bounds, down
    // while inside.
    let lam0 = m.penalty_unit;
    let mut lam = lam0;
    while since < t.depth {
        if (*iters).is_multiple_of(64) && stop(*iters) {
            break;
        }
        *iters += 1;
        since += 1;
        let it = *iters;
        let mv = if p.objective == Objective::Sum {
            let ctx = SumMoves {
                tabu: &tabu,
                iter: it,
                local_fit,
                lam,
                slack: t.slack,
                neutral,
            };
            best_move_sum(p, m, &cur, movable, &ctx, rng, &mut scratch)
        } else {
            best_move(p, m, &cur, movable, &tabu, it, local_fit, rng)
        };
        let Some(mv) = mv else {
            break;
        };
        match mv {
            Move::Insert(i, g) => {
                let from = cur.a[i];
                cur.apply_insert(p, m, i, g);
                if neutral {
                    cur.swap_labels(p, from, g);
                }
                tabu[i] = it + tt_base + rng.gen_range(0..tt_base.max(2));
            }
            Move::Swap(i, j) => {
                cur.apply_swap(p, m, i, j);
                tabu[i] = it + tt_base + rng.gen_range(0..tt_base.max(2));
                tabu[j] = it + tt_base + rng.gen_range(0..tt_base.max(2));
            }
        }
        if t.slack > 0.0 {
            lam = if cur.viol > 0.0 {
                (lam * 1.05).min(lam0 * 1e3)
            } else {
                (lam / 1.05).max(lam0 * 1e-3)
            };
            if cur.viol > 0.0 {
                continue;
            }
        }
        let fit = cur.fitness(p);
        if fit > local_fit + 1e-9 {
            local_fit = fit;
            local_best.clone_from(&cur);
            since = 0;
        }
    }
    (local_best, local_fit)
}

/// One search thread, by the strategy its tuning names.
fn run(
    p: &Problem,
    m: &SearchMatrix,
    opt: &Options<'_>,
    seed: u64,
    start: Instant,
    shared: &Mutex<Option<(f64, Duration)>>,
) -> Result<RunResult, GroupingError> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let t = Tuning::for_problem(p);
    let movable: Vec<usize> = (0..p.n).filter(|&i| m.movable[i]).collect();
    // Budget spent when `share` of it is used (iterations with a fixed budget, else time).
    let spent = |iters: u64, share: f64| -> bool {
        opt.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
            || match opt.max_iterations {
                Some(mx) => iters as f64 >= share * mx as f64,
                None => start.elapsed().as_secs_f64() >= share * opt.time_limit.as_secs_f64(),
            }
    };
    let stop = |iters: u64| spent(iters, 1.0);
    let mut ctx = RunCtx {
        p,
        m,
        opt,
        t: &t,
        movable: &movable,
        start,
        shared,
        iters: 0,
        ttb: start.elapsed(),
        best: None,
    };
    match t.strategy {
        Strategy::Iterated => iterated(&mut ctx, &spent, &mut rng)?,
        Strategy::Memetic => memetic(&mut ctx, &stop, &mut rng)?,
    }
    let (best, _) = ctx.best.ok_or(GroupingError::Cancelled)?;
    Ok((best.a, ctx.iters, ctx.ttb))
}

/// What one search thread carries between its steps.
struct RunCtx<'a> {
    p: &'a Problem,
    m: &'a SearchMatrix,
    opt: &'a Options<'a>,
    t: &'a Tuning,
    movable: &'a [usize],
    start: Instant,
    shared: &'a Mutex<Option<(f64, Duration)>>,
    iters: u64,
    /// When the thread's best was found.
    ttb: Duration,
    best: Option<(State, f64)>,
}

impl RunCtx<'_> {
    /// Tabu search from `from` (only neutral inserts when `neutral`); the thread's best is
    /// kept and reported.
    fn search(
        &mut self,
        neutral: bool,
        from: State,
        stop: &dyn Fn(u64) -> bool,
        rng: &mut SmallRng,
    ) -> (State, f64) {
        let ls = tabu_search(
            self.p,
            self.m,
            from,
            self.movable,
            self.t,
            neutral,
            &mut self.iters,
            stop,
            rng,
        );
        if self.best.as_ref().is_none_or(|b| ls.1 > b.1 + 1e-9) {
            self.best = Some(ls.clone());
            self.ttb = self.start.elapsed();
            report(self.opt, self.shared, ls.0.f, ls.1, self.start, self.iters);
        }
        ls
    }
}

/// Iterated tabu search. When the matrix has no negative entry, more pairs inside groups
/// can only add, and the published best solutions of every MDGPLIB ds instance use a size
/// profile with the most pairs the bounds allow: the search then starts on such a profile
/// (a random one where several tie) and moves only by swaps, neutral inserts and pairs of
/// inserts, which stay on it; a last tabu run with every insert may still change sizes.
/// After each tabu run, improving pairs of inserts are applied and the tabu search runs
/// again from there.
///
/// Each round kicks the current solution with random swaps and searches again; the result
/// becomes the current one when it is no worse, or within `accept` of the thread's best
/// (so the search can walk across a plateau of near-best solutions instead of kicking the
/// same one again and again).
fn iterated(
    ctx: &mut RunCtx<'_>,
    spent: &dyn Fn(u64, f64) -> bool,
    rng: &mut SmallRng,
) -> Result<(), GroupingError> {
    let (p, m) = (ctx.p, ctx.m);
    let on_profile = max_pair_profile(p, rng)
        .map(|sizes| p.search_view(sizes))
        .and_then(|v| construct(&v, m, rng).ok());
    let neutral = on_profile.is_some();
    let a = match on_profile {
        Some(a) => a,
        None => construct(p, m, rng)?,
    };
    // On the profile, keep the last 3 % of the budget for the run with every insert.
    let share = if neutral { 0.97 } else { 1.0 };
    let main_stop = |it: u64| spent(it, share);
    let start = State::new(p, m, a);
    let doubles = if neutral {
        double_inserts(&start.load)
    } else {
        Vec::new()
    };
    let mut cur = ctx.search(neutral, start, &main_stop, rng);
    while !main_stop(ctx.iters) {
        let kicked = perturb(p, m, &cur.0, ctx.movable, ctx.t.strength, rng);
        let mut ls = ctx.search(neutral, kicked, &main_stop, rng);
        while !doubles.is_empty() {
            let mut st = ls.0.clone();
            if !double_insert_descent(p, m, &mut st, ctx.movable, &doubles) {
                break;
            }
            ls = ctx.search(neutral, st, &main_stop, rng);
        }
        let best = ctx.best.as_ref().map_or(ls.1, |b| b.1);
        if ls.1 >= cur.1 - 1e-9 || ls.1 >= best - ctx.t.accept * best.abs() {
            cur = ls;
        }
    }
    if neutral {
        if let Some((b, _)) = &ctx.best {
            let from = State::new(p, m, b.a.clone());
            ctx.search(false, from, &|it| spent(it, 1.0), rng);
        }
    }
    Ok(())
}

/// A pair of inserts by groups: an item of `first.0` to `first.1`, then one of `then.0`
/// to `then.1`, and the factor of `e_ij` that corrects the sum of their single deltas.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DoubleInsert {
    first: (usize, usize),
    then: (usize, usize),
    shared: f64,
}

/// Every pair of inserts, other than a swap, that keeps the multiset of group sizes. Most
/// of them the tabu search on a profile with the most pairs cannot make, because their
/// first half alone loses pairs. Depends only on the sizes, which stay the same there.
fn double_inserts(sizes: &[f64]) -> Vec<DoubleInsert> {
    let k = sizes.len();
    let size = |g: usize| sizes[g].round() as i64;
    let mut out = Vec::new();
    for a in 0..k {
        for x in (0..k).filter(|&g| g != a) {
            for c in a..k {
                for y in (0..k).filter(|&g| g != c) {
                    let mut change: Vec<(usize, i64)> = Vec::with_capacity(4);
                    for (g, d) in [(a, -1), (x, 1), (c, -1), (y, 1)] {
                        match change.iter_mut().find(|t| t.0 == g) {
                            Some(t) => t.1 += d,
                            None => change.push((g, d)),
                        }
                    }
                    let mut before: Vec<i64> = change.iter().map(|t| size(t.0)).collect();
                    let mut after: Vec<i64> = change.iter().map(|t| size(t.0) + t.1).collect();
                    before.sort_unstable();
                    after.sort_unstable();
                    if before != after || change.iter().all(|t| t.1 == 0) {
                        continue;
                    }
                    // After the first insert the second item gains e_ij in x, loses it in a.
                    let shared = f64::from(u8::from(y == x))
                        - f64::from(u8::from(y == a))
                        - f64::from(u8::from(c == x))
                        + f64::from(u8::from(c == a));
                    out.push(DoubleInsert {
                        first: (a, x),
                        then: (c, y),
                        shared,
                    });
                }
            }
        }
    }
    out
}

/// The best improving pair of inserts of `moves`, as `(i, x, j, y)`: `i` to `x`, then `j`
/// to `y`. Moving both changes the sum by `δ_i(x) + δ_j(y) + shared·e_ij`.
fn best_double_insert(
    m: &SearchMatrix,
    st: &State,
    members: &[Vec<usize>],
    moves: &[DoubleInsert],
) -> Option<(usize, usize, usize, usize)> {
    let (n, k) = (st.n, st.k);
    let mut best: Option<(f64, (usize, usize, usize, usize))> = None;
    for mv in moves {
        let ((a, x), (c, y)) = (mv.first, mv.then);
        for &i in &members[a] {
            let gi = &st.gain[i * k..(i + 1) * k];
            let di = gi[x] - gi[a];
            let row = &m.e[i * n..(i + 1) * n];
            for &j in &members[c] {
                if a == c && j <= i {
                    continue;
                }
                let gj = &st.gain[j * k..(j + 1) * k];
                let val = di + gj[y] - gj[c] + row[j] * mv.shared;
                if val > 1e-9 && best.is_none_or(|b| val > b.0) {
                    best = Some((val, (i, x, j, y)));
                }
            }
        }
    }
    best.map(|b| b.1)
}

/// Applies the best improving pair of inserts (`best_double_insert`) while there is one.
/// After each, group contents are exchanged so that every group has its size again, which
/// the multiset allows; only for problems without fixed items. Whether any was applied.
fn double_insert_descent(
    p: &Problem,
    m: &SearchMatrix,
    st: &mut State,
    movable: &[usize],
    moves: &[DoubleInsert],
) -> bool {
    let mut members = vec![Vec::new(); st.k];
    let mut any = false;
    loop {
        for g in &mut members {
            g.clear();
        }
        for &i in movable {
            members[st.a[i]].push(i);
        }
        let Some((i, x, j, y)) = best_double_insert(m, st, &members, moves) else {
            return any;
        };
        let want = st.load.clone();
        st.apply_insert(p, m, i, x);
        st.apply_insert(p, m, j, y);
        // Groups before `g` have their size; a later one holds the size `g` needs.
        for g in 0..st.k {
            if (st.load[g] - want[g]).abs() > 0.5 {
                if let Some(h) = (g + 1..st.k).find(|&h| {
                    (st.load[h] - want[g]).abs() < 0.5 && (st.load[h] - want[h]).abs() > 0.5
                }) {
                    st.swap_labels(p, g, h);
                }
            }
        }
        any = true;
    }
}

/// A memetic algorithm. A population of tabu-search local optima; children by
/// group-based crossover of two parents, improved by tabu search, replace the worst
/// member when better and not a duplicate.
fn memetic(
    ctx: &mut RunCtx<'_>,
    stop: &dyn Fn(u64) -> bool,
    rng: &mut SmallRng,
) -> Result<(), GroupingError> {
    let (p, m) = (ctx.p, ctx.m);
    let t = ctx.t;
    let mut pop: Vec<(State, f64)> = Vec::with_capacity(t.pop);
    while pop.len() < t.pop.max(2) {
        let a = construct(p, m, rng)?;
        let ls = ctx.search(false, State::new(p, m, a), stop, rng);
        pop.push(ls);
        if stop(ctx.iters) {
            break;
        }
    }
    while !stop(ctx.iters) && pop.len() >= 2 {
        let x = rng.gen_range(0..pop.len());
        let mut y = rng.gen_range(0..pop.len() - 1);
        if y >= x {
            y += 1;
        }
        let child = match crossover(p, m, &pop[x].0.a, &pop[y].0.a, rng) {
            Some(a) => a,
            None => construct(p, m, rng)?,
        };
        let ls = ctx.search(false, State::new(p, m, child), stop, rng);
        let (worst, wfit) = pop
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.1))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, f64::INFINITY));
        let duplicate = pop.iter().any(|s| (s.1 - ls.1).abs() < 1e-7);
        if ls.1 > wfit && !duplicate {
            pop[worst] = ls;
        }
    }
    Ok(())
}

/// Sizes with the most pairs inside groups that the bounds allow (`Σ s_g = n`), ties
/// broken at random; `None` when it does not apply: unequal weights, the balance
/// objective, negative entries, keep-apart or keep-together pairs, or sizes already
/// fixed by the bounds.
fn max_pair_profile(p: &Problem, rng: &mut SmallRng) -> Option<Vec<usize>> {
    let c = &p.constraints;
    if p.objective != Objective::Sum
        || p.weights.iter().any(|&w| w != 1.0)
        || p.d.iter().any(|&v| v < 0.0)
        || !c.keep_apart.is_empty()
        || !c.keep_together.is_empty()
        || !c.fixed.is_empty()
        || p.groups.iter().all(|b| b.hi - b.lo < 1.0)
    {
        return None;
    }
    let (n, k) = (p.n, p.groups.len());
    let range: Vec<(usize, usize)> = p
        .groups
        .iter()
        .map(|b| {
            (
                (b.lo - 1e-9).ceil().max(0.0) as usize,
                (b.hi + 1e-9).floor().max(0.0) as usize,
            )
        })
        .collect();
    let pairs = |s: usize| (s * s.saturating_sub(1) / 2) as u64;
    // most[g][t]: the most pairs groups g.. can hold with t items.
    let mut most = vec![vec![None::<u64>; n + 1]; k + 1];
    most[k][0] = Some(0);
    for g in (0..k).rev() {
        let (lo, hi) = range[g];
        for t in 0..=n {
            most[g][t] = (lo..=hi.min(t))
                .filter_map(|s| most[g + 1][t - s].map(|v| v + pairs(s)))
                .max();
        }
    }
    let mut sizes = Vec::with_capacity(k);
    let mut t = n;
    for g in 0..k {
        let (lo, hi) = range[g];
        let target = most[g][t]?;
        let best: Vec<usize> = (lo..=hi.min(t))
            .filter(|&s| most[g + 1][t - s].map(|v| v + pairs(s)) == Some(target))
            .collect();
        let s = best[rng.gen_range(0..best.len())];
        sizes.push(s);
        t -= s;
    }
    Some(sizes)
}

/// `strength` random swaps of movable items of equal weight in different groups.
fn perturb(
    p: &Problem,
    m: &SearchMatrix,
    st: &State,
    movable: &[usize],
    strength: usize,
    rng: &mut SmallRng,
) -> State {
    let mut s = st.clone();
    if movable.len() < 2 {
        return s;
    }
    for _ in 0..strength {
        let i = movable[rng.gen_range(0..movable.len())];
        let j = movable[rng.gen_range(0..movable.len())];
        if s.a[i] != s.a[j] && p.weights[i] == p.weights[j] {
            s.apply_swap(p, m, i, j);
        }
    }
    s
}

/// Group-based crossover: child group k is inherited, alternately from each parent, as
/// that parent's group whose not-yet-placed members are most diverse; what is left is
/// placed greedily, lower bounds first. Items that never move keep parent A's group.
fn crossover(
    p: &Problem,
    m: &SearchMatrix,
    pa: &[usize],
    pb: &[usize],
    rng: &mut SmallRng,
) -> Option<Vec<usize>> {
    let (n, k) = (p.n, p.groups.len());
    let mut child = vec![usize::MAX; n];
    let mut load = vec![0.0; k];
    for i in 0..n {
        if !m.movable[i] {
            child[i] = pa[i];
            load[pa[i]] += p.weights[i];
        }
    }
    let parents = [pa, pb];
    let mut used = [vec![false; k], vec![false; k]];
    let mut order: Vec<usize> = (0..k).collect();
    for idx in (1..k).rev() {
        order.swap(idx, rng.gen_range(0..=idx));
    }
    let first = rng.gen_range(0..2);
    for (step, &label) in order.iter().enumerate() {
        let which = (first + step) % 2;
        let par = parents[which];
        // The parent's unused group with the largest mean pair value among unplaced members.
        let mut best_g = None;
        let mut best_v = f64::NEG_INFINITY;
        for (g, &taken) in used[which].iter().enumerate() {
            if taken {
                continue;
            }
            let mem: Vec<usize> = (0..n)
                .filter(|&i| par[i] == g && child[i] == usize::MAX)
                .collect();
            if mem.is_empty() {
                continue;
            }
            let mut s = 0.0;
            for (x, &i) in mem.iter().enumerate() {
                for &j in &mem[x + 1..] {
                    s += m.e[i * n + j];
                }
            }
            let v = s / mem.len() as f64;
            if v > best_v {
                best_v = v;
                best_g = Some(g);
            }
        }
        let Some(g) = best_g else { continue };
        used[which][g] = true;
        for i in 0..n {
            if par[i] == g
                && child[i] == usize::MAX
                && load[label] + p.weights[i] <= p.groups[label].hi + 1e-9
            {
                child[i] = label;
                load[label] += p.weights[i];
            }
        }
    }
    // Place the rest: groups below their lower bound first, then where the item adds most.
    let mut rest: Vec<usize> = (0..n).filter(|&i| child[i] == usize::MAX).collect();
    for idx in (1..rest.len()).rev() {
        rest.swap(idx, rng.gen_range(0..=idx));
    }
    for i in rest {
        let w = p.weights[i];
        let score = |g: usize| -> f64 {
            (0..n)
                .filter(|&j| child[j] == g)
                .map(|j| m.e[i * n + j])
                .sum()
        };
        let need: Vec<usize> = (0..k)
            .filter(|&g| load[g] < p.groups[g].lo - 1e-9 && load[g] + w <= p.groups[g].hi + 1e-9)
            .collect();
        let pool: Vec<usize> = if need.is_empty() {
            (0..k)
                .filter(|&g| load[g] + w <= p.groups[g].hi + 1e-9)
                .collect()
        } else {
            need
        };
        let g = pool
            .into_iter()
            .max_by(|&a, &b| score(a).total_cmp(&score(b)))?;
        child[i] = g;
        load[g] += w;
    }
    if !(0..k).all(|g| load[g] >= p.groups[g].lo - 1e-9 && load[g] <= p.groups[g].hi + 1e-9) {
        return None;
    }
    relabel(p, m, &mut child, &load, rng);
    Some(child)
}

/// The objective does not depend on which label a block of members carries, but the
/// bounds do: a block may sit at a label that cannot grow or shrink while another label
/// could. Moving blocks to a random feasible labelling (found by augmenting paths) lets
/// the search reach size profiles that single moves cannot. Blocks holding items that
/// never move keep their label.
fn relabel(p: &Problem, m: &SearchMatrix, child: &mut [usize], load: &[f64], rng: &mut SmallRng) {
    let k = p.groups.len();
    let pinned: Vec<bool> = (0..k)
        .map(|g| {
            child
                .iter()
                .enumerate()
                .any(|(i, &c)| c == g && !m.movable[i])
        })
        .collect();
    let fits = |block: usize, label: usize| {
        if pinned[block] || pinned[label] {
            return block == label;
        }
        load[block] >= p.groups[label].lo - 1e-9 && load[block] <= p.groups[label].hi + 1e-9
    };
    let mut label_of_block = vec![usize::MAX; k];
    let mut block_of_label = vec![usize::MAX; k];
    let mut blocks: Vec<usize> = (0..k).collect();
    for idx in (1..k).rev() {
        blocks.swap(idx, rng.gen_range(0..=idx));
    }
    fn augment(
        b: usize,
        seen: &mut [bool],
        order: &[usize],
        fits: &dyn Fn(usize, usize) -> bool,
        lob: &mut [usize],
        bol: &mut [usize],
    ) -> bool {
        for &l in order {
            if seen[l] || !fits(b, l) {
                continue;
            }
            seen[l] = true;
            if bol[l] == usize::MAX || augment(bol[l], seen, order, fits, lob, bol) {
                lob[b] = l;
                bol[l] = b;
                return true;
            }
        }
        false
    }
    let mut labels: Vec<usize> = (0..k).collect();
    for idx in (1..k).rev() {
        labels.swap(idx, rng.gen_range(0..=idx));
    }
    for &b in &blocks {
        let mut seen = vec![false; k];
        if !augment(
            b,
            &mut seen,
            &labels,
            &fits,
            &mut label_of_block,
            &mut block_of_label,
        ) {
            return; // keep the labelling it has (always feasible)
        }
    }
    for c in child.iter_mut() {
        *c = label_of_block[*c];
    }
}

fn report(
    opt: &Options<'_>,
    shared: &Mutex<Option<(f64, Duration)>>,
    objective: f64,
    fit: f64,
    start: Instant,
    iters: u64,
) {
    let Some(cb) = opt.progress else { return };
    if let Ok(mut g) = shared.lock() {
        if g.is_none_or(|(b, _)| fit > b) {
            *g = Some((fit, start.elapsed()));
            cb(Progress {
                elapsed: start.elapsed(),
                best: objective,
                iterations: iters,
            });
        }
    }
}

enum Move {
    Insert(usize, usize),
    Swap(usize, usize),
}

/// The best admissible move (ties broken at random); tabu moves only when they beat the
/// local best (aspiration).
#[allow(clippy::too_many_arguments)]
fn best_move(
    p: &Problem,
    m: &SearchMatrix,
    st: &State,
    movable: &[usize],
    tabu: &[u64],
    iter: u64,
    local_fit: f64,
    rng: &mut SmallRng,
) -> Option<Move> {
    let (n, k) = (st.n, st.k);
    let maxmin = p.objective == Objective::MaxMin;
    let base_fit = st.fitness(p);
    let mut pick = Pick::new();
    // For max-min: the two smallest group scores, to know the minimum outside g1, g2.
    let (mut m1, mut m2, mut m3) = (
        (f64::INFINITY, usize::MAX),
        (f64::INFINITY, usize::MAX),
        (f64::INFINITY, usize::MAX),
    );
    if maxmin {
        for (g, &s) in st.score.iter().enumerate() {
            if s < m1.0 {
                m3 = m2;
                m2 = m1;
                m1 = (s, g);
            } else if s < m2.0 {
                m3 = m2;
                m2 = (s, g);
            } else if s < m3.0 {
                m3 = (s, g);
            }
        }
    }
    let min_without = |a: usize, b: usize| -> f64 {
        for (s, g) in [m1, m2, m3] {
            if g != a && g != b {
                return s;
            }
        }
        f64::INFINITY
    };
    let kf = 10.0 * k as f64;
    for (ii, &i) in movable.iter().enumerate() {
        let gi = st.a[i];
        let wi = p.weights[i];
        let gain_i = &st.gain[i * k..(i + 1) * k];
        let ti = tabu[i] > iter;
        // Inserts.
        if st.load[gi] - wi >= p.groups[gi].lo - 1e-9 {
            for g in 0..k {
                if g == gi || st.load[g] + wi > p.groups[g].hi + 1e-9 {
                    continue;
                }
                let delta = gain_i[g] - gain_i[gi];
                let val = if maxmin {
                    let s1 = st.score[gi] - gain_i[gi];
                    let s2 = st.score[g] + gain_i[g];
                    min_without(gi, g).min(s1).min(s2) + (st.f + delta) / kf
                } else {
                    base_fit + delta
                };
                pick.consider(val, Move::Insert(i, g), ti, local_fit, rng);
            }
        }
        // Swaps.
        let row = &m.e[i * n..(i + 1) * n];
        for &j in &movable[ii + 1..] {
            let gj = st.a[j];
            if gj == gi {
                continue;
            }
            let wj = p.weights[j];
            if wi != wj {
                let (l1, l2) = (st.load[gi] - wi + wj, st.load[gj] - wj + wi);
                if l1 < p.groups[gi].lo - 1e-9
                    || l1 > p.groups[gi].hi + 1e-9
                    || l2 < p.groups[gj].lo - 1e-9
                    || l2 > p.groups[gj].hi + 1e-9
                {
                    continue;
                }
            }
            let gain_j = &st.gain[j * k..(j + 1) * k];
            let dij = row[j];
            let delta = gain_i[gj] - gain_i[gi] + gain_j[gi] - gain_j[gj] - 2.0 * dij;
            let val = if maxmin {
                let s1 = st.score[gi] - gain_i[gi] + gain_j[gi] - dij;
                let s2 = st.score[gj] - gain_j[gj] + gain_i[gj] - dij;
                min_without(gi, gj).min(s1).min(s2) + (st.f + delta) / kf
            } else {
                base_fit + delta
            };
            pick.consider(val, Move::Swap(i, j), ti || tabu[j] > iter, local_fit, rng);
        }
    }
    pick.mv
}

/// What `best_move_sum` needs of the tabu search.
#[derive(Clone, Copy)]
struct SumMoves<'a> {
    tabu: &'a [u64],
    iter: u64,
    /// The best feasible value of this tabu run (aspiration).
    local_fit: f64,
    /// Penalty per unit of weight outside a group's bounds.
    lam: f64,
    /// How far outside its bounds a group may go (0: never).
    slack: f64,
    /// Only inserts that keep the number of pairs inside groups: unit weights, from a
    /// group of `s` items to one of `s − 1`, whatever the bounds (the two groups then
    /// exchange contents, so each keeps its size).
    neutral: bool,
}

/// Buffers `best_move_sum` reuses between iterations.
struct Scratch {
    k: usize,
    members: Vec<Vec<usize>>,
    /// `max_delta[g·k + h]`: the largest `δ_i(h) − ν_i(h)` of a movable item `i` of `g`
    /// (`best_move_sum`).
    max_delta: Vec<f64>,
    /// Each group's current excess over its bounds, times the penalty.
    excess_cost: Vec<f64>,
    /// Whether a neutral insert can leave the group (`SumMoves::neutral`).
    gives: Vec<bool>,
    /// Each pair of groups `(g, h)` under the bound of its swaps (`pair_key`).
    pairs: Vec<u128>,
}

impl Scratch {
    fn new(k: usize) -> Self {
        Self {
            k,
            members: vec![Vec::new(); k],
            max_delta: vec![f64::NEG_INFINITY; k * k],
            excess_cost: vec![0.0; k],
            gives: vec![true; k],
            pairs: Vec::with_capacity(k * k / 2),
        }
    }
}

/// The best admissible move and how many moves share its value, for random tie-breaks.
struct Pick {
    mv: Option<Move>,
    val: f64,
    ties: u32,
}

impl Pick {
    fn new() -> Self {
        Self {
            mv: None,
            val: f64::NEG_INFINITY,
            ties: 0,
        }
    }

    /// Keeps `mv` if it is the best so far; a tabu move only when it beats `local_fit`
    /// (aspiration).
    #[inline]
    fn consider(&mut self, val: f64, mv: Move, is_tabu: bool, local_fit: f64, rng: &mut SmallRng) {
        if is_tabu && val <= local_fit + 1e-9 {
            return;
        }
        if val > self.val + 1e-12 {
            self.val = val;
            self.mv = Some(mv);
            self.ties = 1;
        } else if (val - self.val).abs() <= 1e-12 {
            self.ties += 1;
            if rng.gen_range(0..self.ties) == 0 {
                self.mv = Some(mv);
            }
        }
    }

    /// Whether a move worth at most `bound` could still be picked.
    #[inline]
    fn reachable(&self, bound: f64) -> bool {
        bound >= self.val - 1e-12
    }
}

/// Whether an insert from a group of `from` items to one of `to` keeps the number of pairs
/// inside groups (unit weights): `to = from − 1`.
#[inline]
fn is_neutral(from: f64, to: f64) -> bool {
    (to + 1.0 - from).abs() < 1e-9
}

/// Packs a pair of groups under its bound so that integer order is the bound's order.
fn pair_key(bound: f64, g: usize, h: usize) -> u128 {
    let b = bound.to_bits();
    let ordered = if b >> 63 == 1 { !b } else { b | 1 << 63 };
    (u128::from(ordered) << 64) | ((g as u128) << 32) | h as u128
}

fn pair_of_key(key: u128) -> (f64, usize, usize) {
    let ordered = (key >> 64) as u64;
    let b = if ordered >> 63 == 1 {
        ordered & !(1 << 63)
    } else {
        !ordered
    };
    (
        f64::from_bits(b),
        ((key >> 32) & 0xFFFF_FFFF) as usize,
        (key & 0xFFFF_FFFF) as usize,
    )
}

/// `best_move` for the sum objective, without looking at most swaps. Swapping `i ∈ g`
/// with `j ∈ h` changes the sum by `δ_i(h) + δ_j(g) − 2·e_ij`, where `δ_i(h)` is the
/// change of moving `i` alone. With `ν_i(h)` the smallest entry between `i` and a member
/// of `h` (`State::near`, or the row minimum of `i`), `e_ij ≥ ν_i(h)` and `e_ij ≥ ν_j(g)`; so
/// `max (δ(g→h) − ν(h)) + max (δ(h→g) − ν(g))` bounds every swap between `g` and `h`, and
/// `δ_i(h) − ν_i(h) + max (δ(h→g) − ν(g))` every swap of `i` into `h`.
/// Group pairs are scanned best bound first, and whatever cannot reach the best move
/// found so far is skipped: same choice as the full scan, up to ties.
fn best_move_sum(
    p: &Problem,
    m: &SearchMatrix,
    st: &State,
    movable: &[usize],
    ctx: &SumMoves<'_>,
    rng: &mut SmallRng,
    sc: &mut Scratch,
) -> Option<Move> {
    let (n, k) = (st.n, st.k);
    debug_assert_eq!(sc.k, k);
    let SumMoves {
        tabu,
        iter,
        local_fit,
        lam,
        slack,
        neutral,
    } = *ctx;
    let base = st.f - lam * st.viol;
    // A group may hold between lo − slack and hi + slack; the excess costs `lam` a unit.
    let fits = |g: usize, load: f64| {
        load >= p.groups[g].lo - slack - 1e-9 && load <= p.groups[g].hi + slack + 1e-9
    };
    for g in 0..k {
        sc.excess_cost[g] = lam * excess(st.load[g], p.groups[g]);
    }
    let excess_cost = &sc.excess_cost;
    let cost = |g: usize, load: f64| lam * excess(load, p.groups[g]) - excess_cost[g];
    let mut pick = Pick::new();
    for g in &mut sc.members {
        g.clear();
    }
    sc.max_delta.fill(f64::NEG_INFINITY);
    if neutral {
        for g in 0..k {
            let from = st.load[g];
            sc.gives[g] = (0..k).any(|h| h != g && is_neutral(from, st.load[h]));
        }
    }
    let gives = &sc.gives;
    for &i in movable {
        let gi = st.a[i];
        sc.members[gi].push(i);
        let wi = p.weights[i];
        let gain_i = &st.gain[i * k..(i + 1) * k];
        let can_leave = if neutral {
            gives[gi]
        } else {
            fits(gi, st.load[gi] - wi)
        };
        let leave_cost = if can_leave && !neutral {
            cost(gi, st.load[gi] - wi)
        } else {
            0.0
        };
        let ti = tabu[i] > iter;
        let own = gain_i[gi];
        // Branch-free so that it vectorises; the diagonal entry is never read.
        let row = &mut sc.max_delta[gi * k..(gi + 1) * k];
        if m.track_near {
            let near_i = &st.near[i * k..(i + 1) * k];
            for ((r, &v), &nr) in row.iter_mut().zip(gain_i).zip(near_i) {
                *r = r.max(v - own - nr);
            }
        } else {
            let own_near = own + m.row_min[i];
            for (r, &v) in row.iter_mut().zip(gain_i) {
                *r = r.max(v - own_near);
            }
        }
        if !can_leave {
            continue;
        }
        for (g, &to_g) in gain_i.iter().enumerate() {
            if g == gi {
                continue;
            }
            let delta = to_g - own;
            if neutral {
                if is_neutral(st.load[gi], st.load[g]) {
                    pick.consider(base + delta, Move::Insert(i, g), ti, local_fit, rng);
                }
                continue;
            }
            if fits(g, st.load[g] + wi) {
                let val = base + delta - leave_cost - cost(g, st.load[g] + wi);
                pick.consider(val, Move::Insert(i, g), ti, local_fit, rng);
            }
        }
    }
    sc.pairs.clear();
    for g in 0..k {
        for h in g + 1..k {
            if !sc.members[g].is_empty() && !sc.members[h].is_empty() {
                let relief = excess_cost[g] + excess_cost[h];
                let b = sc.max_delta[g * k + h] + sc.max_delta[h * k + g] + relief;
                sc.pairs.push(pair_key(b, g, h));
            }
        }
    }
    // Integer keys sort several times faster than tuples by a float comparator.
    sc.pairs.sort_unstable();
    for &key in sc.pairs.iter().rev() {
        let (bound, g, h) = pair_of_key(key);
        if !pick.reachable(base + bound) {
            break;
        }
        let relief = excess_cost[g] + excess_cost[h];
        let best_into_g = sc.max_delta[h * k + g] + relief;
        for &i in &sc.members[g] {
            let gain_i = &st.gain[i * k..(i + 1) * k];
            let di = gain_i[h] - gain_i[g];
            let near_ih = if m.track_near {
                st.near[i * k + h]
            } else {
                m.row_min[i]
            };
            if !pick.reachable(base + di - near_ih + best_into_g) {
                continue;
            }
            let wi = p.weights[i];
            let ti = tabu[i] > iter;
            let row = &m.e[i * n..(i + 1) * n];
            for &j in &sc.members[h] {
                let wj = p.weights[j];
                let mut penalty = 0.0;
                if wi != wj {
                    let (l1, l2) = (st.load[g] - wi + wj, st.load[h] - wj + wi);
                    if !fits(g, l1) || !fits(h, l2) {
                        continue;
                    }
                    penalty = cost(g, l1) + cost(h, l2);
                }
                let gain_j = &st.gain[j * k..(j + 1) * k];
                let delta = di + gain_j[g] - gain_j[h] - 2.0 * row[j];
                let val = base + delta - penalty;
                // Most swaps fall short of the pick: test that before the tabu list.
                if !pick.reachable(val) {
                    continue;
                }
                pick.consider(val, Move::Swap(i, j), ti || tabu[j] > iter, local_fit, rng);
            }
        }
    }
    pick.mv
}

/// A random assignment meeting the bounds: fixed items first, then keep-together
/// components, then the rest, filling groups below their lower bound first; a repair
/// pass moves items from groups with room to spare. Several attempts before giving up.
fn construct(
    p: &Problem,
    m: &SearchMatrix,
    rng: &mut SmallRng,
) -> Result<Vec<usize>, GroupingError> {
    let (n, k) = (p.n, p.groups.len());
    for _attempt in 0..50 {
        let mut a = vec![usize::MAX; n];
        let mut load = vec![0.0; k];
        for (i, fixed) in m.fixed.iter().enumerate() {
            if let Some(g) = *fixed {
                a[i] = g;
                load[g] += p.weights[i];
            }
        }
        let mut ok = true;
        // Components: placed as blocks, in the group of a fixed member if any.
        let mut comps = m.groups_of_component.clone();
        comps.sort_by_key(|c| std::cmp::Reverse(c.len()));
        for comp in &comps {
            let w: f64 = comp
                .iter()
                .filter(|&&i| a[i] == usize::MAX)
                .map(|&i| p.weights[i])
                .sum();
            let target = comp.iter().find_map(|&i| m.fixed[i]).or_else(|| {
                let room: Vec<usize> = (0..k)
                    .filter(|&g| load[g] + w <= p.groups[g].hi + 1e-9)
                    .collect();
                (!room.is_empty()).then(|| room[rng.gen_range(0..room.len())])
            });
            match target {
                Some(g) => {
                    for &i in comp {
                        if a[i] == usize::MAX {
                            a[i] = g;
                            load[g] += p.weights[i];
                        }
                    }
                }
                None => ok = false,
            }
        }
        let mut rest: Vec<usize> = (0..n).filter(|&i| a[i] == usize::MAX).collect();
        // Heavy items first, shuffled within equal weights.
        for idx in (1..rest.len()).rev() {
            let j = rng.gen_range(0..=idx);
            rest.swap(idx, j);
        }
        rest.sort_by(|x, y| p.weights[*y].total_cmp(&p.weights[*x]));
        for i in rest {
            let w = p.weights[i];
            let deficit: Vec<usize> = (0..k)
                .filter(|&g| load[g] < p.groups[g].lo && load[g] + w <= p.groups[g].hi + 1e-9)
                .collect();
            let pool: Vec<usize> = if deficit.is_empty() {
                (0..k)
                    .filter(|&g| load[g] + w <= p.groups[g].hi + 1e-9)
                    .collect()
            } else {
                deficit
            };
            if pool.is_empty() {
                ok = false;
                break;
            }
            let g = pool[rng.gen_range(0..pool.len())];
            a[i] = g;
            load[g] += w;
        }
        if !ok {
            continue;
        }
        // Repair lower bounds by moving movable items out of groups that can spare them.
        for _ in 0..(4 * n) {
            let Some(low) = (0..k).find(|&g| load[g] < p.groups[g].lo - 1e-9) else {
                break;
            };
            let cand: Vec<usize> = (0..n)
                .filter(|&i| {
                    let g = a[i];
                    m.movable[i]
                        && g != low
                        && load[g] - p.weights[i] >= p.groups[g].lo - 1e-9
                        && load[low] + p.weights[i] <= p.groups[low].hi + 1e-9
                })
                .collect();
            if cand.is_empty() {
                break;
            }
            let i = cand[rng.gen_range(0..cand.len())];
            load[a[i]] -= p.weights[i];
            load[low] += p.weights[i];
            a[i] = low;
        }
        if (0..k).all(|g| load[g] >= p.groups[g].lo - 1e-9 && load[g] <= p.groups[g].hi + 1e-9) {
            return Ok(a);
        }
    }
    Err(GroupingError::Infeasible(
        "no assignment meeting every group's bounds was found in 50 randomised attempts".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bounds;

    /// Adds `by` to every entry off the diagonal: with entries far from zero the states
    /// keep `State::near` exact (`SearchMatrix::track_near`).
    fn raise(p: &mut Problem, by: f64) {
        let n = p.n;
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                p.d[i * n + j] += by;
            }
        }
    }

    /// Sets the entries between neighbouring items to zero, so that every row's smallest
    /// entry is zero and states keep only that bound in `State::near`.
    fn zero_neighbours(p: &mut Problem) {
        let n = p.n;
        for i in 0..n {
            let j = (i + 1) % n;
            if j != i {
                p.d[i * n + j] = 0.0;
                p.d[j * n + i] = 0.0;
            }
        }
    }

    /// A random problem with `n` items in `k` groups; weights 1–3 when `weighted`.
    fn problem(n: usize, k: usize, weighted: bool, rng: &mut SmallRng) -> Problem {
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let v = f64::from(rng.gen_range(0..50u32));
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        let mut p = Problem::with_sizes(d, n, vec![Bounds { lo: 0.0, hi: 0.0 }; k]);
        if weighted {
            p.weights = (0..n).map(|_| f64::from(rng.gen_range(1..4u32))).collect();
        }
        let per = p.weights.iter().sum::<f64>() / k as f64;
        p.groups = (0..k)
            .map(|_| Bounds {
                lo: (per - 3.0).floor().max(1.0),
                hi: (per + 3.0).ceil(),
            })
            .collect();
        p
    }

    /// Every admissible move tried one by one: the best penalised value, `f − lam·excess`,
    /// with loads kept within `slack` of the bounds and tabu moves only above `local_fit`.
    fn brute_best(p: &Problem, m: &SearchMatrix, st: &State, ctx: &SumMoves<'_>) -> Option<f64> {
        let within = |s: &State| {
            (0..st.k).all(|g| {
                s.load[g] >= p.groups[g].lo - ctx.slack - 1e-9
                    && s.load[g] <= p.groups[g].hi + ctx.slack + 1e-9
            })
        };
        let mut moves = Vec::new();
        for i in 0..p.n {
            moves.extend(
                (0..st.k)
                    .filter(|&g| g != st.a[i])
                    .map(|g| Move::Insert(i, g)),
            );
            moves.extend(
                (i + 1..p.n)
                    .filter(|&j| st.a[j] != st.a[i])
                    .map(|j| Move::Swap(i, j)),
            );
        }
        // Neutral: an insert only from a group of s items to one of s − 1.
        let neutral_ok =
            |i: usize, g: usize| !ctx.neutral || is_neutral(st.load[st.a[i]], st.load[g]);
        moves
            .iter()
            .filter(|mv| match **mv {
                Move::Insert(i, g) => neutral_ok(i, g),
                Move::Swap(..) => true,
            })
            .filter_map(|mv| {
                let (is_tabu, s) = match *mv {
                    Move::Insert(i, _) => {
                        (ctx.tabu[i] > ctx.iter, after(p, m, st, mv, ctx.neutral))
                    }
                    Move::Swap(i, j) => (
                        ctx.tabu[i] > ctx.iter || ctx.tabu[j] > ctx.iter,
                        after(p, m, st, mv, ctx.neutral),
                    ),
                };
                let val = s.f - ctx.lam * s.viol;
                (within(&s) && !(is_tabu && val <= ctx.local_fit + 1e-9)).then_some(val)
            })
            .max_by(f64::total_cmp)
    }

    /// The state after a move; a neutral insert with the exchange of contents that keeps
    /// every group's size, as the tabu search makes it.
    fn after(p: &Problem, m: &SearchMatrix, st: &State, mv: &Move, neutral: bool) -> State {
        let mut s = st.clone();
        match *mv {
            Move::Insert(i, g) => {
                s.apply_insert(p, m, i, g);
                if neutral {
                    s.swap_labels(p, st.a[i], g);
                }
            }
            Move::Swap(i, j) => s.apply_swap(p, m, i, j),
        }
        s
    }

    /// The pruned scan picks a move exactly as good as trying every move, tabu list,
    /// aspiration, unequal weights, oscillation's penalty and neutral inserts included;
    /// without oscillation and neutral inserts it also agrees with the full scan of
    /// `best_move`.
    #[test]
    fn the_pruned_scan_finds_the_best_move() {
        let mut rng = SmallRng::seed_from_u64(7);
        let (mut compared, mut infeasible) = (0, 0);
        // Neutral cases where an insert is picked, and where the restriction changes the
        // best move (so a scan that ignored it would fail the comparison).
        let (mut neutral_inserts, mut restricted) = (0, 0);
        // Cases without and with exact nearest members.
        let mut tracked = [0; 2];
        for case in 0..300 {
            let (n, k) = (rng.gen_range(8..40), rng.gen_range(2..6));
            let weighted = case % 2 == 1;
            let mut p = problem(n, k, weighted, &mut rng);
            match case % 3 {
                0 => raise(&mut p, 30.0),
                1 => zero_neighbours(&mut p),
                _ => {}
            }
            let m = SearchMatrix::new(&p);
            tracked[usize::from(m.track_near)] += 1;
            let Ok(a) = construct(&p, &m, &mut rng) else {
                continue;
            };
            let mut st = State::new(&p, &m, a);
            let oscillate = weighted && case % 4 == 1;
            let slack = if oscillate { 3.0 } else { 0.0 };
            if oscillate {
                // Start outside the bounds, as oscillation does, with a penalty large
                // enough that relieving the excess is the best move.
                for _ in 0..20 {
                    let (i, g) = (rng.gen_range(0..n), rng.gen_range(0..k));
                    let s = after(&p, &m, &st, &Move::Insert(i, g), false);
                    if s.viol > st.viol
                        && (0..k).all(|h| {
                            s.load[h] >= p.groups[h].lo - slack
                                && s.load[h] <= p.groups[h].hi + slack
                        })
                    {
                        st = s;
                    }
                }
                infeasible += usize::from(st.viol > 0.0);
            }
            let movable: Vec<usize> = (0..n).collect();
            let iter = 100;
            let tabu: Vec<u64> = (0..n).map(|_| rng.gen_range(90..110)).collect();
            let local_fit = st.f + f64::from(rng.gen_range(0..30u32));
            let mut sc = Scratch::new(k);
            let ctx = SumMoves {
                tabu: &tabu,
                iter,
                local_fit,
                lam: f64::from(rng.gen_range(1..20u32)) * if oscillate { 50.0 } else { 1.0 },
                slack,
                neutral: !weighted && case % 4 == 2,
            };
            // Its own random stream for ties, so that the cases do not depend on how many
            // ties the scan meets.
            let mut ties = SmallRng::seed_from_u64(case);
            let picked = best_move_sum(&p, &m, &st, &movable, &ctx, &mut ties, &mut sc);
            if let (true, Some(&Move::Insert(i, g))) = (ctx.neutral, picked.as_ref()) {
                assert_eq!(
                    st.load[g] + 1.0,
                    st.load[st.a[i]],
                    "case {case}: not neutral"
                );
                neutral_inserts += 1;
            }
            let fast = picked
                .map(|mv| after(&p, &m, &st, &mv, ctx.neutral))
                .map(|s| s.f - ctx.lam * s.viol);
            let brute = brute_best(&p, &m, &st, &ctx);
            if ctx.neutral {
                let all = SumMoves {
                    neutral: false,
                    ..ctx
                };
                let unrestricted = brute_best(&p, &m, &st, &all);
                restricted += usize::from(unrestricted.zip(brute).is_some_and(|(u, b)| u > b));
            }
            match (fast, brute) {
                (Some(x), Some(y)) => {
                    assert!((x - y).abs() < 1e-9, "case {case}: {x} vs {y}");
                    compared += 1;
                }
                (None, None) => {}
                (x, y) => panic!("case {case}: pruned {x:?}, every move {y:?}"),
            }
            if !oscillate && !ctx.neutral {
                let full = best_move(&p, &m, &st, &movable, &tabu, iter, local_fit, &mut ties)
                    .map(|mv| after(&p, &m, &st, &mv, false).f);
                assert_eq!(fast.is_some(), full.is_some(), "case {case}");
                if let (Some(x), Some(y)) = (fast, full) {
                    assert!((x - y).abs() < 1e-9, "case {case}: {x} vs full scan {y}");
                }
            }
        }
        assert!(compared > 200, "only {compared} cases compared");
        assert!(tracked[0] > 80 && tracked[1] > 80, "{tracked:?}");
        assert!(
            neutral_inserts >= 1 && restricted > 10,
            "neutral inserts: {neutral_inserts} picked, {restricted} cases restricted"
        );
        assert!(
            infeasible > 50,
            "only {infeasible} cases started outside the bounds"
        );
    }

    /// The sizes of the groups, sorted.
    fn multiset(st: &State) -> Vec<i64> {
        let mut v: Vec<i64> = st.load.iter().map(|&l| l.round() as i64).collect();
        v.sort_unstable();
        v
    }

    /// A state whose groups have random, unequal sizes.
    fn uneven_state(p: &Problem, m: &SearchMatrix, rng: &mut SmallRng) -> State {
        let k = p.groups.len();
        let mut a: Vec<usize> = (0..p.n).map(|i| i % k).collect();
        for x in a.iter_mut().skip(k) {
            *x = rng.gen_range(0..k);
        }
        State::new(p, m, a)
    }

    /// A unit-weight problem, with exact nearest members on even cases and without on odd
    /// ones, and a state with unequal group sizes.
    fn uneven_case(
        case: usize,
        n: usize,
        k: usize,
        rng: &mut SmallRng,
    ) -> (Problem, SearchMatrix, State) {
        let mut p = problem(n, k, false, rng);
        if case.is_multiple_of(2) {
            raise(&mut p, 30.0);
        } else {
            zero_neighbours(&mut p);
        }
        let m = SearchMatrix::new(&p);
        assert_eq!(m.track_near, case.is_multiple_of(2));
        let st = uneven_state(&p, &m, rng);
        (p, m, st)
    }

    /// The best improving pair of inserts is found as trying every pair of inserts that
    /// keeps the multiset of sizes (swaps aside) finds it; the descent applies such pairs
    /// until none improves, with every group keeping its size and the gain matrix exact.
    #[test]
    fn pairs_of_inserts_keep_every_size_and_the_best_is_found() {
        let mut rng = SmallRng::seed_from_u64(11);
        // Cases where the best pair is beyond the tabu search: neither insert alone
        // keeps the multiset of sizes.
        let (mut compared, mut beyond) = (0, 0);
        for case in 0..120 {
            let (n, k) = (rng.gen_range(8..22), rng.gen_range(3..6));
            let (p, m, st) = uneven_case(case, n, k, &mut rng);
            let movable: Vec<usize> = (0..n).collect();
            let mut members = vec![Vec::new(); k];
            for i in 0..n {
                members[st.a[i]].push(i);
            }
            let moves = double_inserts(&st.load);
            let mut brute: Option<(f64, bool)> = None;
            for i in 0..n {
                for x in (0..k).filter(|&x| x != st.a[i]) {
                    for j in (0..n).filter(|&j| j != i) {
                        for y in (0..k).filter(|&y| y != st.a[j]) {
                            if x == st.a[j] && y == st.a[i] {
                                continue; // a swap
                            }
                            let mut s = st.clone();
                            s.apply_insert(&p, &m, i, x);
                            s.apply_insert(&p, &m, j, y);
                            let gain = s.f - st.f;
                            if multiset(&s) != multiset(&st) || gain <= 1e-9 {
                                continue;
                            }
                            let alone = |g: usize, h: usize| is_neutral(st.load[g], st.load[h]);
                            let out_of_reach = !alone(st.a[i], x) && !alone(st.a[j], y);
                            if brute.is_none_or(|b| gain > b.0 + 1e-9) {
                                brute = Some((gain, out_of_reach));
                            }
                        }
                    }
                }
            }
            let real = |(i, x, j, y): (usize, usize, usize, usize)| {
                let mut s = st.clone();
                s.apply_insert(&p, &m, i, x);
                s.apply_insert(&p, &m, j, y);
                assert_eq!(multiset(&s), multiset(&st), "case {case}");
                s.f - st.f
            };
            // Each pattern alone: its best pair by the formula is its best pair in fact.
            for mv in &moves {
                let ((a, x), (c, y)) = (mv.first, mv.then);
                let best_real = members[a]
                    .iter()
                    .flat_map(|&i| members[c].iter().map(move |&j| (i, j)))
                    // Out of one group, the pair (j, i) is the other order's pattern.
                    .filter(|&(i, j)| if a == c { i < j } else { i != j })
                    .map(|(i, j)| real((i, x, j, y)))
                    .filter(|&g| g > 1e-9)
                    .max_by(f64::total_cmp);
                let by_formula = best_double_insert(&m, &st, &members, &[*mv]).map(real);
                match (by_formula, best_real) {
                    (Some(u), Some(v)) => assert!((u - v).abs() < 1e-9, "case {case}: {mv:?}"),
                    (None, None) => {}
                    (u, v) => panic!("case {case}: {mv:?}: {u:?} vs {v:?}"),
                }
            }
            let found = best_double_insert(&m, &st, &members, &moves).map(real);
            match (found, brute) {
                (Some(x), Some((y, out_of_reach))) => {
                    assert!((x - y).abs() < 1e-9, "case {case}: {x} vs every pair {y}");
                    compared += 1;
                    beyond += usize::from(out_of_reach);
                }
                (None, None) => {}
                (x, y) => panic!("case {case}: found {x:?}, every pair {y:?}"),
            }
            let mut after = st.clone();
            let applied = double_insert_descent(&p, &m, &mut after, &movable, &moves);
            assert_eq!(applied, found.is_some(), "case {case}");
            assert_eq!(after.load, st.load, "case {case}: a group changed size");
            let exact = State::new(&p, &m, after.a.clone());
            assert!(
                (exact.f - after.f).abs() < 1e-6,
                "case {case}: gain matrix drifted"
            );
            assert_eq!(
                exact.near, after.near,
                "case {case}: nearest members drifted"
            );
            assert!(after.f >= st.f, "case {case}");
            let mut members = vec![Vec::new(); k];
            for i in 0..n {
                members[after.a[i]].push(i);
            }
            assert!(best_double_insert(&m, &after, &members, &moves).is_none());
        }
        assert!(compared > 80, "only {compared} cases compared");
        assert!(
            beyond > 20,
            "only {beyond} cases beyond single neutral inserts"
        );
    }

    /// With neutral inserts the tabu search exchanges group contents so that every group
    /// keeps its size, and its bookkeeping stays exact.
    #[test]
    fn neutral_tabu_search_keeps_every_group_size() {
        let mut rng = SmallRng::seed_from_u64(5);
        let mut neutral_moves = 0;
        for case in 0..40 {
            let (n, k) = (rng.gen_range(10..30), rng.gen_range(3..6));
            let (p, m, st) = uneven_case(case, n, k, &mut rng);
            let t = Tuning::for_problem(&p);
            let movable: Vec<usize> = (0..n).collect();
            let mut iters = 0;
            let (best, fit) = tabu_search(
                &p,
                &m,
                st.clone(),
                &movable,
                &t,
                true,
                &mut iters,
                &|_| false,
                &mut rng,
            );
            assert_eq!(best.load, st.load, "case {case}: a group changed size");
            let exact = State::new(&p, &m, best.a.clone());
            assert!((exact.f - fit).abs() < 1e-6, "case {case}");
            assert_eq!(
                exact.near, best.near,
                "case {case}: nearest members drifted"
            );
            assert!(fit >= st.f);
            neutral_moves += usize::from(
                (0..n).any(|i| best.a[i] != st.a[i])
                    && (0..k).any(|g| {
                        (0..n).filter(|&i| best.a[i] == g && st.a[i] == g).count()
                            < (0..n).filter(|&i| st.a[i] == g).count() / 2
                    }),
            );
        }
        assert!(
            neutral_moves > 5,
            "contents exchanged in only {neutral_moves} cases"
        );
    }

    /// Every size vector within the bounds that sums to n, by enumeration.
    fn all_profiles(range: &[(usize, usize)], n: usize) -> Vec<Vec<usize>> {
        let Some((&(lo, hi), rest)) = range.split_first() else {
            return if n == 0 { vec![vec![]] } else { vec![] };
        };
        (lo..=hi.min(n))
            .flat_map(|s| {
                all_profiles(rest, n - s).into_iter().map(move |mut v| {
                    v.insert(0, s);
                    v
                })
            })
            .collect()
    }

    /// The profile has the most pairs of every size vector the bounds allow, and over
    /// seeds every such profile comes up.
    #[test]
    fn the_profile_with_the_most_pairs_is_found_and_ties_are_drawn() {
        let mut rng = SmallRng::seed_from_u64(5);
        let pairs = |v: &[usize]| {
            v.iter()
                .map(|&s| s * s.saturating_sub(1) / 2)
                .sum::<usize>()
        };
        let mut ties_seen = 0;
        for _ in 0..60 {
            let k = rng.gen_range(2..5);
            let range: Vec<(usize, usize)> = (0..k)
                .map(|_| {
                    let lo = rng.gen_range(1..6);
                    (lo, lo + rng.gen_range(0..5))
                })
                .collect();
            let n = rng.gen_range(
                range.iter().map(|r| r.0).sum::<usize>()..=range.iter().map(|r| r.1).sum(),
            );
            let mut p =
                Problem::with_sizes(vec![1.0; n * n], n, vec![Bounds { lo: 0.0, hi: 0.0 }; k]);
            for i in 0..n {
                p.d[i * n + i] = 0.0;
            }
            p.groups = range
                .iter()
                .map(|&(lo, hi)| Bounds {
                    lo: lo as f64,
                    hi: hi as f64,
                })
                .collect();
            let all = all_profiles(&range, n);
            let most = all.iter().map(|v| pairs(v)).max().unwrap();
            let optimal: std::collections::BTreeSet<Vec<usize>> =
                all.into_iter().filter(|v| pairs(v) == most).collect();
            if p.groups.iter().all(|b| b.lo == b.hi) {
                assert_eq!(max_pair_profile(&p, &mut rng), None);
                continue;
            }
            let mut drawn = std::collections::BTreeSet::new();
            for _ in 0..40 {
                let v = max_pair_profile(&p, &mut rng).expect("applies");
                assert!(optimal.contains(&v), "{v:?} is not among {optimal:?}");
                drawn.insert(v);
            }
            assert_eq!(drawn, optimal, "bounds {range:?}, n {n}");
            ties_seen += usize::from(optimal.len() > 1);
        }
        assert!(ties_seen > 5, "only {ties_seen} cases with ties");
    }

    /// Where more pairs need not mean more value, the sizes are left to the search.
    #[test]
    fn the_profile_is_not_fixed_where_it_could_cost() {
        let mut rng = SmallRng::seed_from_u64(1);
        let base = Problem::with_sizes(vec![1.0; 36], 6, vec![Bounds { lo: 2.0, hi: 4.0 }; 2]);
        assert_eq!(
            max_pair_profile(&base, &mut rng).map(|v| v.iter().sum::<usize>()),
            Some(6)
        );
        let mut negative = base.clone();
        negative.d[1] = -1.0;
        let mut weighted = base.clone();
        weighted.weights[0] = 2.0;
        let mut balance = base.clone();
        balance.objective = Objective::MaxMin;
        let mut apart = base.clone();
        apart.constraints.keep_apart.push((0, 1));
        let mut together = base.clone();
        together.constraints.keep_together.push((0, 1));
        for p in [negative, weighted, balance, apart, together] {
            assert_eq!(max_pair_profile(&p, &mut rng), None);
        }
    }

    /// Two groups of 2–4 from six items: three and three is worth 600, any four and two
    /// at most 400, although four and two has more pairs. The search on the fixed profile
    /// finds 400; the last run with the real bounds must change the sizes.
    #[test]
    fn the_last_run_may_leave_the_profile_with_the_most_pairs() {
        let n = 6;
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j && (i < 3) == (j < 3) {
                    d[i * n + j] = 100.0;
                }
            }
        }
        let p = Problem::with_sizes(d, n, vec![Bounds { lo: 2.0, hi: 4.0 }; 2]);
        assert!(max_pair_profile(&p, &mut SmallRng::seed_from_u64(1)).is_some());
        for seed in 0..5 {
            let s = solve(
                &p,
                &Options {
                    seed,
                    max_iterations: Some(2_000),
                    ..Options::default()
                },
            )
            .unwrap();
            assert_eq!(s.objective, 600.0, "seed {seed}: {:?}", s.assign);
        }
    }

    /// Outside its bounds the search pays for the excess, and what it returns is inside.
    #[test]
    fn oscillation_returns_feasible_groupings_and_tracks_the_excess() {
        let mut rng = SmallRng::seed_from_u64(11);
        let p = problem(60, 4, true, &mut rng);
        let m = SearchMatrix::new(&p);
        let t = Tuning::for_problem(&p);
        assert!(t.slack > 0.0, "unequal weights turn oscillation on");
        let a = construct(&p, &m, &mut rng).unwrap();
        let movable: Vec<usize> = (0..p.n).collect();
        let mut iters = 0;
        let (best, fit) = tabu_search(
            &p,
            &m,
            State::new(&p, &m, a),
            &movable,
            &t,
            false,
            &mut iters,
            &|it| it >= 5_000,
            &mut rng,
        );
        assert_eq!(best.viol, 0.0);
        p.check(&best.a).unwrap();
        assert!((fit - p.evaluate(&best.a)).abs() < 1e-6);
        // The excess kept by moves equals the excess recomputed from the loads.
        let mut st = best.clone();
        for _ in 0..200 {
            let i = rng.gen_range(0..p.n);
            let g = rng.gen_range(0..p.groups.len());
            st.apply_insert(&p, &m, i, g);
            let fresh = State::new(&p, &m, st.a.clone());
            assert!((st.viol - fresh.viol).abs() < 1e-9);
            assert!((st.f - fresh.f).abs() < 1e-6);
        }
    }
}
