//! Iterated tabu search with a gain matrix.
//!
//! `gain[i][g]` is the sum of the matrix entries between item `i` and the members of
//! group `g`. With it, moving `i` from `g1` to `g2` changes the objective by
//! `gain[i][g2] − gain[i][g1]`, and swapping `i ∈ g1` with `j ∈ g2` by
//! `gain[i][g2] − gain[i][g1] + gain[j][g1] − gain[j][g2] − 2·d[i][j]`: O(1) per move.
//! Applying a move updates two columns of the gain matrix in O(n).
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
        Self {
            e,
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
    score: Vec<f64>,
    f: f64,
}

impl State {
    fn new(p: &Problem, m: &SearchMatrix, a: Vec<usize>) -> Self {
        let (n, k) = (p.n, p.groups.len());
        let mut gain = vec![0.0; n * k];
        let mut load = vec![0.0; k];
        for i in 0..n {
            load[a[i]] += p.weights[i];
            let row = &m.e[i * n..(i + 1) * n];
            for j in 0..n {
                if j != i {
                    gain[i * k + a[j]] += row[j];
                }
            }
        }
        let mut score = vec![0.0; k];
        for i in 0..n {
            score[a[i]] += gain[i * k + a[i]] / 2.0;
        }
        let f = score.iter().sum();
        Self {
            n,
            k,
            a,
            load,
            gain,
            score,
            f,
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
        self.load[from] -= p.weights[i];
        self.load[to] += p.weights[i];
        self.a[i] = to;
        let row = &m.e[i * n..(i + 1) * n];
        for (j, &v) in row.iter().enumerate() {
            let base = j * k;
            self.gain[base + from] -= v;
            self.gain[base + to] += v;
        }
    }
}

struct Tuning {
    depth: u64,
    tt_div: f64,
    pop: usize,
}

impl Tuning {
    fn for_problem(n: usize) -> Self {
        // Overridable for tuning experiments; the defaults are what the benchmarks used.
        let env = |k: &str, d: f64| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(d)
        };
        Self {
            depth: ((env("HW_DEPTH", 3.0) * n as f64) as u64).clamp(50, 200_000),
            tt_div: env("HW_TT", 30.0),
            pop: env("HW_POP", 10.0) as usize,
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
    iters: &mut u64,
    stop: &dyn Fn(u64) -> bool,
    rng: &mut SmallRng,
) -> (State, f64) {
    let mut tabu = vec![0u64; p.n];
    let mut local_best = cur.clone();
    let mut local_fit = local_best.fitness(p);
    let tt_base = ((movable.len() as f64 / t.tt_div) as usize).max(3) as u64;
    let mut since = 0u64;
    while since < t.depth {
        if (*iters).is_multiple_of(64) && stop(*iters) {
            break;
        }
        *iters += 1;
        since += 1;
        let it = *iters;
        let Some(mv) = best_move(p, m, &cur, movable, &tabu, it, local_fit, rng) else {
            break;
        };
        match mv {
            Move::Insert(i, g) => {
                cur.apply_insert(p, m, i, g);
                tabu[i] = it + tt_base + rng.gen_range(0..tt_base.max(2));
            }
            Move::Swap(i, j) => {
                let (gi, gj) = (cur.a[i], cur.a[j]);
                cur.apply_insert(p, m, i, gj);
                cur.apply_insert(p, m, j, gi);
                tabu[i] = it + tt_base + rng.gen_range(0..tt_base.max(2));
                tabu[j] = it + tt_base + rng.gen_range(0..tt_base.max(2));
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

/// One search thread: a memetic algorithm. A population of tabu-search local optima;
/// children by group-based crossover of two parents, improved by tabu search, replace
/// the worst member when better and not a duplicate.
fn run(
    p: &Problem,
    m: &SearchMatrix,
    opt: &Options<'_>,
    seed: u64,
    start: Instant,
    shared: &Mutex<Option<(f64, Duration)>>,
) -> Result<RunResult, GroupingError> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let t = Tuning::for_problem(p.n);
    let movable: Vec<usize> = (0..p.n).filter(|&i| m.movable[i]).collect();
    let stop = |iters: u64| -> bool {
        opt.max_iterations.is_some_and(|mx| iters >= mx)
            || opt.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
            || (opt.max_iterations.is_none() && start.elapsed() >= opt.time_limit)
    };
    let mut iters = 0u64;
    let mut pop: Vec<(State, f64)> = Vec::with_capacity(t.pop);
    let mut best: Option<(State, f64)> = None;
    let mut ttb = start.elapsed();
    let mut consider_best = |cand: &(State, f64), iters: u64, best: &mut Option<(State, f64)>| {
        if best.as_ref().is_none_or(|b| cand.1 > b.1 + 1e-9) {
            *best = Some(cand.clone());
            ttb = start.elapsed();
            report(opt, shared, cand.0.f, cand.1, start, iters);
        }
    };
    while pop.len() < t.pop.max(2) {
        let a = construct(p, m, &mut rng)?;
        let ls = tabu_search(
            p,
            m,
            State::new(p, m, a),
            &movable,
            &t,
            &mut iters,
            &stop,
            &mut rng,
        );
        consider_best(&ls, iters, &mut best);
        pop.push(ls);
        if stop(iters) {
            break;
        }
    }
    while !stop(iters) && pop.len() >= 2 {
        let x = rng.gen_range(0..pop.len());
        let mut y = rng.gen_range(0..pop.len() - 1);
        if y >= x {
            y += 1;
        }
        let child = match crossover(p, m, &pop[x].0.a, &pop[y].0.a, &mut rng) {
            Some(a) => a,
            None => construct(p, m, &mut rng)?,
        };
        let ls = tabu_search(
            p,
            m,
            State::new(p, m, child),
            &movable,
            &t,
            &mut iters,
            &stop,
            &mut rng,
        );
        consider_best(&ls, iters, &mut best);
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
    let (best, _) = best.ok_or(GroupingError::Cancelled)?;
    Ok((best.a, iters, ttb))
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
    let mut best: Option<Move> = None;
    let mut best_val = f64::NEG_INFINITY;
    let mut ties = 0u32;
    let mut consider = |val: f64, mv: Move, is_tabu: bool, rng: &mut SmallRng| {
        if is_tabu && val <= local_fit + 1e-9 {
            return;
        }
        if val > best_val + 1e-12 {
            best_val = val;
            best = Some(mv);
            ties = 1;
        } else if (val - best_val).abs() <= 1e-12 {
            ties += 1;
            if rng.gen_range(0..ties) == 0 {
                best = Some(mv);
            }
        }
    };
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
                consider(val, Move::Insert(i, g), ti, rng);
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
            consider(val, Move::Swap(i, j), ti || tabu[j] > iter, rng);
        }
    }
    best
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
