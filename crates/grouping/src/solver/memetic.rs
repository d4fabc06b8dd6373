//! The memetic search: a population of tabu-searched groupings, crossover, relabelling
//! and perturbation.

use super::*;

/// A memetic algorithm. A population of tabu-search local optima; children by
/// group-based crossover of two parents, improved by tabu search, replace the worst
/// member when better and not a duplicate.
pub(super) fn memetic(
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

/// `strength` random swaps of movable items of equal weight in different groups.
pub(super) fn perturb(
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
pub(super) fn crossover(
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
pub(super) fn relabel(
    p: &Problem,
    m: &SearchMatrix,
    child: &mut [usize],
    load: &[f64],
    rng: &mut SmallRng,
) {
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
    pub(super) fn augment(
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
