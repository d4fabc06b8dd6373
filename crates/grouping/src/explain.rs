//! Why the groups are as they are: per-group figures and, per member, its contribution,
//! the best other group and what moving there would cost.

/// Figures of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupReport {
    pub group: usize,
    pub size: usize,
    /// Sum of the matrix over the group's pairs.
    pub score: f64,
    /// Mean over the group's pairs (0 for a group of one).
    pub mean_pair: f64,
    /// Smallest and largest pair value inside the group.
    pub min_pair: f64,
    pub max_pair: f64,
}

/// Why one member sits where it does.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberReport {
    pub item: usize,
    pub group: usize,
    /// Sum of the matrix between the member and its group mates.
    pub contribution: f64,
    /// The group where the member would contribute most, other than its own.
    pub best_alternative: Option<usize>,
    /// The objective lost by moving there (ignoring size bounds); ≥ 0 at a local optimum.
    pub move_cost: f64,
}

/// Why each member sits where it does, from `sums(i)`: member i's summed dissimilarity to
/// every group's members (itself left out).
pub fn member_reports(
    n: usize,
    groups: usize,
    assign: &[usize],
    sums: impl Fn(usize) -> Vec<f64>,
) -> Vec<MemberReport> {
    (0..n)
        .map(|i| {
            let own = assign[i];
            let sums = sums(i);
            let alt = (0..groups)
                .filter(|&g| g != own)
                .max_by(|&a, &b| sums[a].total_cmp(&sums[b]));
            MemberReport {
                item: i,
                group: own,
                contribution: sums[own],
                best_alternative: alt,
                move_cost: alt.map(|g| sums[own] - sums[g]).unwrap_or(0.0),
            }
        })
        .collect()
}

/// Each group's figures: its score and its closest and most distant pair.
pub fn group_reports(
    n: usize,
    groups: usize,
    assign: &[usize],
    d: impl Fn(usize, usize) -> f64,
) -> Vec<GroupReport> {
    let mut members: Vec<Vec<usize>> = vec![vec![]; groups];
    for (i, &g) in assign.iter().enumerate().take(n) {
        members[g].push(i);
    }
    members
        .iter()
        .enumerate()
        .map(|(g, m)| {
            let (mut score, mut lo, mut hi, mut pairs) =
                (0.0, f64::INFINITY, f64::NEG_INFINITY, 0usize);
            for (x, &i) in m.iter().enumerate() {
                for &j in &m[x + 1..] {
                    let v = d(i, j);
                    score += v;
                    lo = lo.min(v);
                    hi = hi.max(v);
                    pairs += 1;
                }
            }
            GroupReport {
                group: g,
                size: m.len(),
                score,
                mean_pair: if pairs > 0 { score / pairs as f64 } else { 0.0 },
                min_pair: if pairs > 0 { lo } else { 0.0 },
                max_pair: if pairs > 0 { hi } else { 0.0 },
            }
        })
        .collect()
}

/// Explains an assignment over any matrix given as a function (dense or computed).
pub fn explain(
    n: usize,
    groups: usize,
    assign: &[usize],
    d: impl Fn(usize, usize) -> f64,
) -> (Vec<GroupReport>, Vec<MemberReport>) {
    let mut members: Vec<Vec<usize>> = vec![vec![]; groups];
    for (i, &g) in assign.iter().enumerate().take(n) {
        members[g].push(i);
    }
    let reports = group_reports(n, groups, assign, &d);
    let per_member = member_reports(n, groups, assign, |i| {
        members
            .iter()
            .map(|m| m.iter().filter(|&&j| j != i).map(|&j| d(i, j)).sum())
            .collect()
    });
    (reports, per_member)
}
