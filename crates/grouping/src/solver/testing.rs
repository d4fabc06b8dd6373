//! What the search's tests share: random problems, brute-force references and states of
//! uneven group sizes.

use super::*;
use crate::model::Bounds;

/// Adds `by` to every entry off the diagonal: with entries far from zero the states
/// keep `State::near` exact (`SearchMatrix::track_near`).
pub(super) fn raise(p: &mut Problem, by: f64) {
    let n = p.n;
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            p.d[i * n + j] += by;
        }
    }
}

/// Sets the entries between neighbouring items to zero, so that every row's smallest
/// entry is zero and states keep only that bound in `State::near`.
pub(super) fn zero_neighbours(p: &mut Problem) {
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
pub(super) fn problem(n: usize, k: usize, weighted: bool, rng: &mut SmallRng) -> Problem {
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
pub(super) fn brute_best(
    p: &Problem,
    m: &SearchMatrix,
    st: &State,
    ctx: &SumMoves<'_>,
) -> Option<f64> {
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
    let neutral_ok = |i: usize, g: usize| !ctx.neutral || is_neutral(st.load[st.a[i]], st.load[g]);
    moves
        .iter()
        .filter(|mv| match **mv {
            Move::Insert(i, g) => neutral_ok(i, g),
            Move::Swap(..) => true,
        })
        .filter_map(|mv| {
            let (is_tabu, s) = match *mv {
                Move::Insert(i, _) => (ctx.tabu[i] > ctx.iter, after(p, m, st, mv, ctx.neutral)),
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
pub(super) fn after(p: &Problem, m: &SearchMatrix, st: &State, mv: &Move, neutral: bool) -> State {
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

/// The sizes of the groups, sorted.
pub(super) fn multiset(st: &State) -> Vec<i64> {
    let mut v: Vec<i64> = st.load.iter().map(|&l| l.round() as i64).collect();
    v.sort_unstable();
    v
}

/// A state whose groups have random, unequal sizes.
pub(super) fn uneven_state(p: &Problem, m: &SearchMatrix, rng: &mut SmallRng) -> State {
    let k = p.groups.len();
    let mut a: Vec<usize> = (0..p.n).map(|i| i % k).collect();
    for x in a.iter_mut().skip(k) {
        *x = rng.gen_range(0..k);
    }
    State::new(p, m, a)
}

/// A unit-weight problem, with exact nearest members on even cases and without on odd
/// ones, and a state with unequal group sizes.
pub(super) fn uneven_case(
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
