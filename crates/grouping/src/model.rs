//! The problem: items, groups with bounds, the matrix, the objective, the constraints.

use std::fmt;

/// Lower and upper bound on a group's total item weight (its size when weights are 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub lo: f64,
    pub hi: f64,
}

/// What the solver maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// The sum over groups of the matrix entries of every pair inside a group (MDGP, CCP).
    #[default]
    Sum,
    /// The smallest group score first, then the sum (CATME-style balance).
    MaxMin,
}

/// Hard and soft constraints, by item index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Pairs that must be in different groups.
    pub keep_apart: Vec<(usize, usize)>,
    /// Pairs that must share a group.
    pub keep_together: Vec<(usize, usize)>,
    /// `(item, group)`: the item is placed in that group and never moved. Hosts are
    /// fixed assignments, one per group.
    pub fixed: Vec<(usize, usize)>,
    /// Pairs that met in earlier rounds, with the penalty for meeting again (in the
    /// matrix's units).
    pub avoid: Vec<(usize, usize, f64)>,
}

/// A grouping problem. `d` is the full symmetric n×n matrix (row-major, zero diagonal);
/// larger is better to have inside a group.
#[derive(Debug, Clone)]
pub struct Problem {
    pub n: usize,
    pub weights: Vec<f64>,
    pub groups: Vec<Bounds>,
    pub d: Vec<f64>,
    pub objective: Objective,
    pub constraints: Constraints,
}

/// Why a problem cannot be solved as asked; every variant names the conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupingError {
    /// The matrix or weights do not fit the item count.
    Shape(String),
    /// The bounds cannot hold the items.
    Bounds(String),
    /// Constraints contradict each other or the bounds.
    Conflict(String),
    /// No assignment meeting the bounds and hard constraints was found.
    Infeasible(String),
    /// Cancelled before any feasible solution existed.
    Cancelled,
}

impl fmt::Display for GroupingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupingError::Shape(m) => write!(f, "malformed problem: {m}"),
            GroupingError::Bounds(m) => write!(f, "group bounds cannot be met: {m}"),
            GroupingError::Conflict(m) => write!(f, "conflicting constraints: {m}"),
            GroupingError::Infeasible(m) => write!(f, "no feasible grouping found: {m}"),
            GroupingError::Cancelled => {
                f.write_str("cancelled before a feasible grouping was found")
            }
        }
    }
}

impl std::error::Error for GroupingError {}

impl Problem {
    /// A problem with unit weights, `groups` groups of sizes in `[lo, hi]`.
    pub fn with_sizes(d: Vec<f64>, n: usize, bounds: Vec<Bounds>) -> Self {
        Self {
            n,
            weights: vec![1.0; n],
            groups: bounds,
            d,
            objective: Objective::Sum,
            constraints: Constraints::default(),
        }
    }

    /// The same problem with group `g` holding exactly `sizes[g]` items, without a copy
    /// of the matrix (`d` is empty): the solver searches with its own copy.
    pub(crate) fn search_view(&self, sizes: Vec<usize>) -> Problem {
        Problem {
            n: self.n,
            weights: self.weights.clone(),
            groups: sizes
                .into_iter()
                .map(|s| Bounds {
                    lo: s as f64,
                    hi: s as f64,
                })
                .collect(),
            d: Vec::new(),
            objective: self.objective,
            constraints: self.constraints.clone(),
        }
    }

    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.n + j]
    }

    /// The objective value of an assignment (sum of in-group pairs; each pair once).
    pub fn evaluate(&self, assign: &[usize]) -> f64 {
        let mut f = 0.0;
        for i in 0..self.n {
            let row = &self.d[i * self.n..(i + 1) * self.n];
            for j in (i + 1)..self.n {
                if assign[i] == assign[j] {
                    f += row[j];
                }
            }
        }
        f
    }

    /// Each group's score: the sum of its in-group pairs.
    pub fn group_scores(&self, assign: &[usize]) -> Vec<f64> {
        let mut s = vec![0.0; self.groups.len()];
        for i in 0..self.n {
            for j in (i + 1)..self.n {
                if assign[i] == assign[j] {
                    s[assign[i]] += self.dist(i, j);
                }
            }
        }
        s
    }

    /// Whether `assign` meets the bounds and the hard constraints.
    pub fn check(&self, assign: &[usize]) -> Result<(), String> {
        if assign.len() != self.n {
            return Err(format!("{} assignments for {} items", assign.len(), self.n));
        }
        let mut load = vec![0.0; self.groups.len()];
        for (i, &g) in assign.iter().enumerate() {
            if g >= self.groups.len() {
                return Err(format!("item {i} is in group {g}, which does not exist"));
            }
            load[g] += self.weights[i];
        }
        for (g, b) in self.groups.iter().enumerate() {
            if load[g] < b.lo - 1e-9 || load[g] > b.hi + 1e-9 {
                return Err(format!(
                    "group {g} holds {} (bounds {}–{})",
                    load[g], b.lo, b.hi
                ));
            }
        }
        let c = &self.constraints;
        if let Some((a, b)) = c.keep_apart.iter().find(|(a, b)| assign[*a] == assign[*b]) {
            return Err(format!(
                "items {a} and {b} must be apart but share group {}",
                assign[*a]
            ));
        }
        if let Some((a, b)) = c
            .keep_together
            .iter()
            .find(|(a, b)| assign[*a] != assign[*b])
        {
            return Err(format!("items {a} and {b} must be together but are apart"));
        }
        if let Some((i, g)) = c.fixed.iter().find(|(i, g)| assign[*i] != *g) {
            return Err(format!(
                "item {i} is fixed to group {g} but is in {}",
                assign[*i]
            ));
        }
        Ok(())
    }

    /// Checks shape and the obvious impossibilities before any search, naming the conflict.
    pub fn validate(&self) -> Result<(), GroupingError> {
        let n = self.n;
        if self.d.len() != n * n {
            return Err(GroupingError::Shape(format!(
                "matrix has {} entries, {n} items need {}",
                self.d.len(),
                n * n
            )));
        }
        if self.weights.len() != n {
            return Err(GroupingError::Shape(format!(
                "{} weights for {n} items",
                self.weights.len()
            )));
        }
        if self.groups.is_empty() {
            return Err(GroupingError::Bounds("there are no groups".into()));
        }
        if let Some(w) = self.weights.iter().find(|w| !(w.is_finite() && **w > 0.0)) {
            return Err(GroupingError::Shape(format!(
                "item weight {w} is not positive"
            )));
        }
        if self.d.iter().any(|v| !v.is_finite()) {
            return Err(GroupingError::Shape(
                "the matrix has a value that is not a finite number".into(),
            ));
        }
        for (g, b) in self.groups.iter().enumerate() {
            if b.lo > b.hi || b.lo < 0.0 {
                return Err(GroupingError::Bounds(format!(
                    "group {g}: lower bound {} exceeds upper bound {}",
                    b.lo, b.hi
                )));
            }
        }
        let total: f64 = self.weights.iter().sum();
        let lo: f64 = self.groups.iter().map(|b| b.lo).sum();
        let hi: f64 = self.groups.iter().map(|b| b.hi).sum();
        if total < lo - 1e-9 {
            return Err(GroupingError::Bounds(format!(
                "the groups need at least {lo} in all, the items weigh {total}"
            )));
        }
        if total > hi + 1e-9 {
            return Err(GroupingError::Bounds(format!(
                "the groups hold at most {hi} in all, the items weigh {total}"
            )));
        }
        let c = &self.constraints;
        let in_range = |i: usize| i < n;
        for (a, b) in c.keep_apart.iter().chain(&c.keep_together) {
            if !in_range(*a) || !in_range(*b) || a == b {
                return Err(GroupingError::Conflict(format!(
                    "pair ({a}, {b}) does not name two different items"
                )));
            }
        }
        let mut fixed = vec![None; n];
        for &(i, g) in &c.fixed {
            if !in_range(i) || g >= self.groups.len() {
                return Err(GroupingError::Conflict(format!(
                    "fixed assignment ({i} → group {g}) is out of range"
                )));
            }
            if let Some(prev) = fixed[i] {
                if prev != g {
                    return Err(GroupingError::Conflict(format!(
                        "item {i} is fixed to groups {prev} and {g}"
                    )));
                }
            }
            fixed[i] = Some(g);
        }
        // Keep-together pairs form components that must fit one group and one fixed group.
        let comps = self.together_components();
        let max_hi = self.groups.iter().map(|b| b.hi).fold(0.0, f64::max);
        for comp in &comps {
            let w: f64 = comp.iter().map(|&i| self.weights[i]).sum();
            if w > max_hi + 1e-9 {
                return Err(GroupingError::Conflict(format!(
                    "items {comp:?} must be together but weigh {w}, more than any group holds ({max_hi})"
                )));
            }
            let gs: Vec<usize> = comp.iter().filter_map(|&i| fixed[i]).collect();
            if gs.windows(2).any(|w| w[0] != w[1]) {
                return Err(GroupingError::Conflict(format!(
                    "items {comp:?} must be together but are fixed to different groups"
                )));
            }
        }
        let comp_of = {
            let mut v = vec![usize::MAX; n];
            for (k, comp) in comps.iter().enumerate() {
                for &i in comp {
                    v[i] = k;
                }
            }
            v
        };
        for &(a, b) in &c.keep_apart {
            if comp_of[a] != usize::MAX && comp_of[a] == comp_of[b] {
                return Err(GroupingError::Conflict(format!(
                    "items {a} and {b} must be both together and apart"
                )));
            }
            if let (Some(x), Some(y)) = (fixed[a], fixed[b]) {
                if x == y {
                    return Err(GroupingError::Conflict(format!(
                        "items {a} and {b} must be apart but are both fixed to group {x}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Connected components (size ≥ 2) of the keep-together pairs.
    pub fn together_components(&self) -> Vec<Vec<usize>> {
        let n = self.n;
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while p[r] != r {
                r = p[r];
            }
            let mut y = x;
            while p[y] != r {
                let next = p[y];
                p[y] = r;
                y = next;
            }
            r
        }
        for &(a, b) in &self.constraints.keep_together {
            if a < n && b < n {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if ra != rb {
                    parent[ra] = rb;
                }
            }
        }
        let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for i in 0..n {
            let r = find(&mut parent, i);
            by_root.entry(r).or_default().push(i);
        }
        by_root.into_values().filter(|c| c.len() > 1).collect()
    }

    /// Even size bounds for `n` unit items in `groups` groups within `[min, max]` per group.
    pub fn size_bounds(
        n: usize,
        groups: usize,
        min: usize,
        max: usize,
    ) -> Result<Vec<Bounds>, GroupingError> {
        if groups == 0 {
            return Err(GroupingError::Bounds(
                "there must be at least one group".into(),
            ));
        }
        if n < groups * min || n > groups * max {
            return Err(GroupingError::Bounds(format!(
                "{n} items cannot form {groups} groups of {min} to {max}"
            )));
        }
        Ok(vec![
            Bounds {
                lo: min as f64,
                hi: max as f64
            };
            groups
        ])
    }
}
