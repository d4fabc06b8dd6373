//! The iterated tabu search for unit-weight sum problems: kicks, the profile of group
//! sizes with the most pairs, neutral inserts and pairs of inserts.

use super::*;

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
pub(super) fn iterated(
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
pub(super) struct DoubleInsert {
    pub(super) first: (usize, usize),
    pub(super) then: (usize, usize),
    pub(super) shared: f64,
}

/// Every pair of inserts, other than a swap, that keeps the multiset of group sizes. Most
/// of them the tabu search on a profile with the most pairs cannot make, because their
/// first half alone loses pairs. Depends only on the sizes, which stay the same there.
pub(super) fn double_inserts(sizes: &[f64]) -> Vec<DoubleInsert> {
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
pub(super) fn best_double_insert(
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
pub(super) fn double_insert_descent(
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

/// Sizes with the most pairs inside groups that the bounds allow (`Σ s_g = n`), ties
/// broken at random; `None` when it does not apply: unequal weights, the balance
/// objective, negative entries, keep-apart or keep-together pairs, or sizes already
/// fixed by the bounds.
pub(super) fn max_pair_profile(p: &Problem, rng: &mut SmallRng) -> Option<Vec<usize>> {
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::Bounds;

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
}
