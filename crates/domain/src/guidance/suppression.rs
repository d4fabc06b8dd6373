//! Small-number suppression of published figures, primary and secondary.
//!
//! A figure is a count of pupils or respondents (and the value measured on them). Primary:
//! a figure on fewer than `min_count` is hidden, value and count. Secondary: wherever
//! Headway publishes an additive relation (a municipality's schools add up to it, the
//! municipalities to their county, girls and boys to all), a reader who knows the shown
//! figures may solve for hidden ones — by subtraction when one cell of a relation is hidden,
//! or through several relations at once. [`suppress`] hides more figures, smallest first,
//! until [`derivable`] finds no hidden count that the shown ones determine. Values follow
//! counts: a value times its count adds up like a count, so a count that cannot be
//! determined hides its value too.

use crate::codes::codes;

codes!(
    /// Why a figure is not shown.
    Hidden, "hidden", "hidden" {
        /// The source withheld it (`*` in Udir's files).
        Source => "source",
        /// Fewer than the indicator's least count.
        Primary => "primary",
        /// Shown, it would let a reader compute a hidden figure.
        Secondary => "secondary",
    }
);

/// One published figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Pupils or respondents; `None` when the source gave no count.
    pub count: Option<u32>,
    /// Why it is hidden; `None`: shown.
    pub hidden: Option<Hidden>,
}

/// An additive relation Headway publishes: figure `total` is the sum of figures `parts`
/// (indices into the same list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Hides every figure on fewer than `min_count` (and any without a count), then as few
/// more as it takes, each the smallest shown figure of a relation that gives a hidden one
/// away, until no hidden count is determined by the shown ones through the relations.
pub fn suppress(figures: &mut [Figure], relations: &[Relation], min_count: u32) {
    for f in figures.iter_mut() {
        if f.hidden.is_none() {
            match f.count {
                None => f.hidden = Some(Hidden::Source),
                Some(n) if n < min_count => f.hidden = Some(Hidden::Primary),
                Some(_) => {}
            }
        }
    }
    // Cheap first: a relation with exactly one hidden cell gives it away by subtraction.
    loop {
        let lone = relations.iter().find_map(|r| {
            let cells = || std::iter::once(r.total).chain(r.parts.iter().copied());
            (cells().filter(|&i| figures[i].hidden.is_some()).count() == 1)
                .then(|| smallest_shown(figures, cells()))
                .flatten()
        });
        match lone {
            Some(i) => figures[i].hidden = Some(Hidden::Secondary),
            None => break,
        }
    }
    // Then whatever the relations give away together.
    while let Some(&d) = derivable(figures, relations).first() {
        match next_to_hide(figures, relations, d) {
            Some(i) => figures[i].hidden = Some(Hidden::Secondary),
            // Every figure near it hidden already: nothing shown determines it.
            None => break,
        }
    }
}

/// The smallest shown figure among `cells` (by count; ties: the first).
fn smallest_shown(figures: &[Figure], cells: impl Iterator<Item = usize>) -> Option<usize> {
    cells
        .filter(|&i| figures[i].hidden.is_none())
        .min_by_key(|&i| (figures[i].count.unwrap_or(0), i))
}

/// A shown figure to hide so that `d` is no longer determined: the smallest shown cell of
/// the nearest relation (by relations shared) that has one.
fn next_to_hide(figures: &[Figure], relations: &[Relation], d: usize) -> Option<usize> {
    let mut reached = vec![false; figures.len()];
    let mut used = vec![false; relations.len()];
    reached[d] = true;
    let mut frontier = vec![d];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for (k, r) in relations.iter().enumerate() {
            let cells = || std::iter::once(r.total).chain(r.parts.iter().copied());
            if used[k] || !cells().any(|i| frontier.contains(&i)) {
                continue;
            }
            used[k] = true;
            if let Some(i) = smallest_shown(figures, cells()) {
                return Some(i);
            }
            for i in cells() {
                if !reached[i] {
                    reached[i] = true;
                    next.push(i);
                }
            }
        }
        frontier = next;
    }
    None
}

/// The hidden figures whose counts the shown counts determine through the relations:
/// solving the relations' linear system (reduced row echelon form over the hidden counts),
/// a hidden count is determined exactly when its pivot row holds no free unknown. The
/// system falls apart into independent pieces (hidden counts joined by relations), solved
/// one by one: a municipality whose count is shown closes its schools' piece off from the
/// rest of the country. Answers figure indices in ascending order.
pub fn derivable(figures: &[Figure], relations: &[Relation]) -> Vec<usize> {
    let hidden: Vec<usize> = (0..figures.len())
        .filter(|&i| figures[i].hidden.is_some())
        .collect();
    if hidden.is_empty() {
        return Vec::new();
    }
    let mut column = vec![usize::MAX; figures.len()];
    for (c, &i) in hidden.iter().enumerate() {
        column[i] = c;
    }
    // Each relation that touches a hidden count, as its terms: +1 for the total, −1 per part.
    let mut pieces = Pieces::new(hidden.len());
    let mut equations: Vec<Vec<(usize, f64)>> = Vec::new();
    for r in relations {
        let mut terms: Vec<(usize, f64)> = Vec::new();
        for (i, sign) in std::iter::once((r.total, 1.0)).chain(r.parts.iter().map(|&p| (p, -1.0))) {
            let c = column[i];
            if c == usize::MAX {
                continue;
            }
            match terms.iter_mut().find(|t| t.0 == c) {
                Some(t) => t.1 += sign,
                None => terms.push((c, sign)),
            }
        }
        if let Some(&(first, _)) = terms.first() {
            for &(c, _) in &terms[1..] {
                pieces.join(first, c);
            }
            equations.push(terms);
        }
    }
    // The equations and the unknowns of each piece.
    let mut by_piece: std::collections::HashMap<usize, (Vec<usize>, Vec<usize>)> =
        std::collections::HashMap::new();
    for (e, terms) in equations.iter().enumerate() {
        by_piece
            .entry(pieces.root(terms[0].0))
            .or_default()
            .0
            .push(e);
    }
    for c in 0..hidden.len() {
        by_piece.entry(pieces.root(c)).or_default().1.push(c);
    }
    let mut found = Vec::new();
    for (eqs, cols) in by_piece.into_values() {
        if eqs.is_empty() {
            continue;
        }
        let mut local = std::collections::HashMap::with_capacity(cols.len());
        for (k, &c) in cols.iter().enumerate() {
            local.insert(c, k);
        }
        let mut rows: Vec<Vec<f64>> = eqs
            .iter()
            .map(|&e| {
                let mut row = vec![0.0; cols.len()];
                for &(c, v) in &equations[e] {
                    row[local[&c]] += v;
                }
                row
            })
            .collect();
        for (r, c) in reduce(&mut rows, cols.len()) {
            if rows[r]
                .iter()
                .enumerate()
                .all(|(k, v)| k == c || v.abs() < EPS)
            {
                found.push(hidden[cols[c]]);
            }
        }
    }
    found.sort_unstable();
    found
}

/// Disjoint sets of hidden counts (union–find with path halving).
struct Pieces(Vec<usize>);

impl Pieces {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.0[ra] = rb;
        }
    }
}

const EPS: f64 = 1e-9;

/// Brings `rows` to reduced row echelon form; answers the (row, column) of each pivot.
/// The entries start as small integers, so partial pivoting keeps the floats exact enough.
fn reduce(rows: &mut [Vec<f64>], cols: usize) -> Vec<(usize, usize)> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        if r == rows.len() {
            break;
        }
        let Some(best) = (r..rows.len())
            .filter(|&k| rows[k][c].abs() > EPS)
            .max_by(|&a, &b| rows[a][c].abs().total_cmp(&rows[b][c].abs()))
        else {
            continue;
        };
        rows.swap(r, best);
        let p = rows[r][c];
        for v in rows[r].iter_mut() {
            *v /= p;
        }
        let pivot_row = rows[r].clone();
        for (k, row) in rows.iter_mut().enumerate() {
            if k != r && row[c].abs() > EPS {
                let f = row[c];
                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
        pivots.push((r, c));
        r += 1;
    }
    pivots
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(n: u32) -> Figure {
        Figure {
            count: Some(n),
            hidden: None,
        }
    }

    /// The attack the issue names: solve every relation with one unknown, again and again.
    fn by_subtraction(figures: &[Figure], relations: &[Relation]) -> Vec<usize> {
        let mut known: Vec<bool> = figures.iter().map(|f| f.hidden.is_none()).collect();
        let mut found = Vec::new();
        loop {
            let mut progress = false;
            for r in relations {
                let cells: Vec<usize> = std::iter::once(r.total).chain(r.parts.clone()).collect();
                let unknown: Vec<usize> = cells.iter().copied().filter(|&i| !known[i]).collect();
                if let [only] = unknown[..] {
                    known[only] = true;
                    found.push(only);
                    progress = true;
                }
            }
            if !progress {
                return found;
            }
        }
    }

    #[test]
    fn a_lone_hidden_municipality_is_joined_by_the_next_smallest() {
        // A county of four municipalities; one of 7 pupils (as Engerdal, 2022-23, grade 8).
        let mut f = vec![shown(96), shown(7), shown(12), shown(30), shown(47)];
        let r = vec![Relation {
            total: 0,
            parts: vec![1, 2, 3, 4],
        }];
        let mut source = f.clone();
        source[1].hidden = Some(Hidden::Source);
        assert_eq!(derivable(&source, &r), [1], "7 = 96 − 12 − 30 − 47");
        suppress(&mut f, &r, 10);
        assert_eq!(f[1].hidden, Some(Hidden::Primary));
        assert_eq!(f[2].hidden, Some(Hidden::Secondary), "the next smallest");
        assert!(f[0].hidden.is_none() && f[3].hidden.is_none() && f[4].hidden.is_none());
        assert!(derivable(&f, &r).is_empty());
    }

    #[test]
    fn relations_together_can_give_away_what_none_does_alone() {
        // A 4 × 4 table with its row, column and grand totals (say, schools by subject):
        // two hidden rectangles joined by one hidden cell. Every row and column has two or
        // more hidden cells, so subtraction finds nothing, but the joining cell is the sum
        // of its side's rows less its side's columns.
        let at = |i: usize, j: usize| i * 5 + j; // 0: the totals
        let mut f: Vec<Figure> = (0..25).map(|k| shown(10 + k as u32)).collect();
        let mut rel = Vec::new();
        for i in 0..5 {
            rel.push(Relation {
                total: at(i, 0),
                parts: (1..5).map(|j| at(i, j)).collect(),
            });
            rel.push(Relation {
                total: at(0, i),
                parts: (1..5).map(|k| at(k, i)).collect(),
            });
        }
        let joining = at(2, 3);
        for (i, j) in [
            (1, 1),
            (1, 2),
            (2, 1),
            (2, 2),
            (3, 3),
            (3, 4),
            (4, 3),
            (4, 4),
            (2, 3),
        ] {
            f[at(i, j)].hidden = Some(Hidden::Primary);
        }
        assert!(by_subtraction(&f, &rel).is_empty());
        assert_eq!(derivable(&f, &rel), [joining]);
        suppress(&mut f, &rel, 0);
        assert!(derivable(&f, &rel).is_empty());
        let hidden = f
            .iter()
            .filter(|x| x.hidden == Some(Hidden::Secondary))
            .count();
        assert!(hidden >= 1, "one more hidden at least");
    }

    /// A random nation → counties → municipalities → schools, each level the sum of the next.
    fn hierarchy() -> impl Strategy<Value = (Vec<Figure>, Vec<Relation>, u32)> {
        let schools = proptest::collection::vec(1u32..60, 1..5);
        let municipalities = proptest::collection::vec(schools, 1..5);
        let counties = proptest::collection::vec(municipalities, 1..4);
        (counties, 0u32..25).prop_map(|(counties, min)| {
            let mut f = vec![shown(0)];
            let mut rel = vec![Relation {
                total: 0,
                parts: vec![],
            }];
            for county in counties {
                let c = f.len();
                f.push(shown(0));
                rel[0].parts.push(c);
                let mut county_rel = Relation {
                    total: c,
                    parts: vec![],
                };
                for municipality in county {
                    let m = f.len();
                    f.push(shown(municipality.iter().sum()));
                    county_rel.parts.push(m);
                    let mut parts = Vec::new();
                    for s in municipality {
                        parts.push(f.len());
                        f.push(shown(s));
                    }
                    rel.push(Relation { total: m, parts });
                    let sum = f[m].count.unwrap_or(0);
                    f[c].count = Some(f[c].count.unwrap_or(0) + sum);
                    f[0].count = Some(f[0].count.unwrap_or(0) + sum);
                }
                rel.push(county_rel);
            }
            (f, rel, min)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn no_hidden_count_follows_from_the_shown_ones((mut f, rel, min) in hierarchy()) {
            suppress(&mut f, &rel, min);
            for x in &f {
                if x.count.is_some_and(|n| n < min) {
                    prop_assert!(x.hidden.is_some(), "every small count hidden");
                }
            }
            prop_assert!(by_subtraction(&f, &rel).is_empty(), "by subtraction");
            prop_assert!(derivable(&f, &rel).is_empty(), "through the relations together");
        }
    }
}
