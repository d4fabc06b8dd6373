//! One thread's search: tabu search over inserts and swaps (with strategic oscillation
//! for weighted problems), and the run that picks the strategy and reports progress.

use super::*;

/// Tabu search from `cur` until `depth` iterations bring no improvement; returns the
/// best state seen. `iters` counts every iteration for the budget.
#[allow(clippy::too_many_arguments)]
pub(super) fn tabu_search(
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
pub(super) fn run(
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
pub(super) struct RunCtx<'a> {
    pub(super) p: &'a Problem,
    pub(super) m: &'a SearchMatrix,
    pub(super) opt: &'a Options<'a>,
    pub(super) t: &'a Tuning,
    pub(super) movable: &'a [usize],
    pub(super) start: Instant,
    pub(super) shared: &'a Mutex<Option<(f64, Duration)>>,
    pub(super) iters: u64,
    /// When the thread's best was found.
    pub(super) ttb: Duration,
    pub(super) best: Option<(State, f64)>,
}

impl RunCtx<'_> {
    /// Tabu search from `from` (only neutral inserts when `neutral`); the thread's best is
    /// kept and reported.
    pub(super) fn search(
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

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
