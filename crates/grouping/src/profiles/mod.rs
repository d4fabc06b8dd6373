//! Diverse groups for thousands of members without an n × n matrix. A member is its
//! attribute values (its profile); the dissimilarity of two members is computed when it is
//! needed, with exactly the arithmetic of [`crate::attributes::gower_matrix`]. Groups hold
//! about ten members, so a swap's change is the sum over the two groups' members: O(size ×
//! attributes) time and O(n × attributes) memory, where the matrix would take n² (1.2 GB
//! at n = 12,000).
//!
//! The search: members sorted by their categories and dealt round the groups (which
//! spreads the heaviest attribute evenly at once), then simulated annealing over swaps
//! between groups, one run per thread from its own seed; the best run wins. With an
//! iteration budget the result depends only on the seed.

use crate::attributes::{ranges, AttrSpec, Direction, Value};
use crate::explain::{group_reports, member_reports, GroupReport, MemberReport};
use crate::model::GroupingError;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const MISSING: u32 = u32::MAX;

/// The members' attribute values, coded for the search.
#[derive(Debug, Clone)]
pub struct Profiles {
    n: usize,
    attrs: usize,
    /// `cat[i * attrs + a]`: the category's code, or [`MISSING`] (numeric attributes too).
    cat: Vec<u32>,
    /// `num[i * attrs + a]`: the number (categorical attributes: 0).
    num: Vec<f64>,
    numeric: Vec<bool>,
    /// `+w` for attributes to mix, `−w` for attributes to share.
    signed: Vec<f64>,
    weight: Vec<f64>,
    range: Vec<f64>,
    /// Categories per attribute.
    categories: Vec<u32>,
}

impl Profiles {
    /// Codes `rows[i][a]` (item i's value of attribute a) as [`gower_matrix`] reads them.
    ///
    /// [`gower_matrix`]: crate::attributes::gower_matrix
    pub fn new(rows: &[Vec<Value>], specs: &[AttrSpec]) -> Self {
        let (n, attrs) = (rows.len(), specs.len());
        let numeric: Vec<bool> = (0..attrs)
            .map(|a| rows.iter().any(|r| matches!(r.get(a), Some(Value::Num(_)))))
            .collect();
        let range = ranges(rows, attrs);
        let mut codes: Vec<HashMap<&str, u32>> = vec![HashMap::new(); attrs];
        let mut cat = vec![MISSING; n * attrs];
        let mut num = vec![0.0; n * attrs];
        for (i, r) in rows.iter().enumerate() {
            for a in 0..attrs {
                match r.get(a) {
                    Some(Value::Cat(c)) if !numeric[a] => {
                        let next = codes[a].len() as u32;
                        cat[i * attrs + a] = *codes[a].entry(c.as_str()).or_insert(next);
                    }
                    Some(Value::Num(x)) if numeric[a] => {
                        cat[i * attrs + a] = 0;
                        num[i * attrs + a] = *x;
                    }
                    _ => {}
                }
            }
        }
        Profiles {
            n,
            attrs,
            cat,
            num,
            numeric,
            signed: specs
                .iter()
                .map(|s| match s.direction {
                    Direction::Diverse => s.weight,
                    Direction::Similar => -s.weight,
                })
                .collect(),
            weight: specs.iter().map(|s| s.weight).collect(),
            range,
            categories: codes.iter().map(|c| c.len() as u32).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The dissimilarity of members `i` and `j`: the same value as the Gower matrix.
    #[inline]
    pub fn d(&self, i: usize, j: usize) -> f64 {
        let (x, y) = (i * self.attrs, j * self.attrs);
        let (mut num, mut den) = (0.0, 0.0);
        for a in 0..self.attrs {
            let (ci, cj) = (self.cat[x + a], self.cat[y + a]);
            if ci == MISSING || cj == MISSING {
                continue;
            }
            let delta = if self.numeric[a] {
                (self.num[x + a] - self.num[y + a]).abs() / self.range[a]
            } else {
                f64::from(u8::from(ci != cj))
            };
            num += self.signed[a] * delta;
            den += self.weight[a];
        }
        if den > 0.0 {
            num / den
        } else {
            0.0
        }
    }

    /// An upper bound of the sum objective over `groups` groups of `sizes` when every
    /// attribute is categorical, to be mixed and known for every member: per attribute, the
    /// most differing pairs there can be when each category is spread as evenly as the group
    /// count allows (the attributes bounded one by one). `None` otherwise.
    pub fn bound(&self, sizes: &[usize]) -> Option<f64> {
        let complete = !self.cat.contains(&MISSING);
        if !complete || self.numeric.iter().any(|&b| b) || self.signed.iter().any(|&w| w < 0.0) {
            return None;
        }
        let total_w: f64 = self.weight.iter().sum();
        if total_w <= 0.0 {
            return Some(0.0);
        }
        let g = sizes.len() as u64;
        let pairs = |k: u64| k * k.saturating_sub(1) / 2;
        let all: u64 = sizes.iter().map(|&s| pairs(s as u64)).sum();
        let mut bound = 0.0;
        for a in 0..self.attrs {
            let mut count = vec![0u64; self.categories[a] as usize];
            for i in 0..self.n {
                count[self.cat[i * self.attrs + a] as usize] += 1;
            }
            let same: u64 = count
                .iter()
                .map(|&c| {
                    let (q, r) = (c / g, c % g);
                    r * pairs(q + 1) + (g - r) * pairs(q)
                })
                .sum();
            bound += self.weight[a] / total_w * all.saturating_sub(same) as f64;
        }
        Some(bound)
    }
}

/// Why the groups are as they are (as [`crate::explain::explain`]). When every attribute
/// is categorical and known for everyone, a member's sum to a group comes from the group's
/// category counts, O(groups × attributes) per member instead of O(n).
pub fn explain(
    p: &Profiles,
    assign: &[usize],
    groups: usize,
) -> (Vec<GroupReport>, Vec<MemberReport>) {
    let reports = group_reports(p.n, groups, assign, |i, j| p.d(i, j));
    let complete = !p.cat.contains(&MISSING) && !p.numeric.iter().any(|&b| b);
    let total_w: f64 = p.weight.iter().sum();
    if !complete || total_w <= 0.0 {
        return crate::explain::explain(p.n, groups, assign, |i, j| p.d(i, j));
    }
    // count[(g * attrs + a) * width + c]: members of g with category c of attribute a.
    let width = p.categories.iter().copied().max().unwrap_or(0) as usize;
    let mut count = vec![0u32; groups * p.attrs * width];
    let mut size = vec![0u32; groups];
    for (i, &g) in assign.iter().enumerate() {
        size[g] += 1;
        for a in 0..p.attrs {
            count[(g * p.attrs + a) * width + p.cat[i * p.attrs + a] as usize] += 1;
        }
    }
    let members = member_reports(p.n, groups, assign, |i| {
        (0..groups)
            .map(|g| {
                // Members of g that differ from i in a (i itself never differs from i).
                (0..p.attrs)
                    .map(|a| {
                        let same =
                            count[(g * p.attrs + a) * width + p.cat[i * p.attrs + a] as usize];
                        p.signed[a] * f64::from(size[g] - same)
                    })
                    .sum::<f64>()
                    / total_w
            })
            .collect()
    });
    (reports, members)
}

/// How long and how to search.
#[derive(Debug, Clone, Default)]
pub struct ProfileOptions<'a> {
    pub seed: u64,
    pub time_limit: Duration,
    /// Swaps tried per thread; with a budget the result depends only on the seed.
    pub max_steps: Option<u64>,
    pub threads: usize,
    pub cancel: Option<&'a AtomicBool>,
}

/// Groups found.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSolution {
    pub assign: Vec<usize>,
    pub objective: f64,
    /// Swaps tried (all threads).
    pub steps: u64,
    pub elapsed: Duration,
}

/// Group sizes for `n` members in `groups` groups, differing by one at most.
pub fn even_sizes(n: usize, groups: usize) -> Vec<usize> {
    let (q, r) = (n / groups.max(1), n % groups.max(1));
    (0..groups).map(|g| q + usize::from(g < r)).collect()
}

/// The sum over groups of the dissimilarities of their members' pairs.
pub fn objective(p: &Profiles, assign: &[usize], groups: usize) -> f64 {
    let members = members_of(assign, groups);
    members
        .iter()
        .map(|m| {
            let mut s = 0.0;
            for (k, &i) in m.iter().enumerate() {
                for &j in &m[k + 1..] {
                    s += p.d(i as usize, j as usize);
                }
            }
            s
        })
        .sum()
}

fn members_of(assign: &[usize], groups: usize) -> Vec<Vec<u32>> {
    let mut m = vec![Vec::new(); groups];
    for (i, &g) in assign.iter().enumerate() {
        m[g].push(i as u32);
    }
    m
}

/// Members sorted by their categories (the heaviest attribute first) and dealt round the
/// groups, skipping full ones; `fixed` members are placed in their group first.
fn deal(p: &Profiles, sizes: &[usize], fixed: &[(usize, usize)]) -> Vec<usize> {
    let groups = sizes.len();
    let mut assign = vec![usize::MAX; p.n];
    let mut fill = vec![0usize; groups];
    for &(i, g) in fixed {
        assign[i] = g;
        fill[g] += 1;
    }
    let mut order: Vec<usize> = (0..p.attrs).collect();
    order.sort_by(|&a, &b| p.weight[b].total_cmp(&p.weight[a]));
    let mut items: Vec<usize> = (0..p.n).filter(|&i| assign[i] == usize::MAX).collect();
    items.sort_by_key(|&i| {
        order
            .iter()
            .map(|&a| p.cat[i * p.attrs + a])
            .collect::<Vec<u32>>()
    });
    let mut g = 0;
    for i in items {
        while fill[g] >= sizes[g] {
            g = (g + 1) % groups;
        }
        assign[i] = g;
        fill[g] += 1;
        g = (g + 1) % groups;
    }
    assign
}

/// Pairs that should not share a group, each with what sharing costs: pairs that met in
/// an earlier round (their penalty), and pairs to keep apart (more than any gain).
#[derive(Debug, Clone, Default)]
pub struct Apart {
    /// `by_member[i]`: (other member, cost).
    by_member: Vec<Vec<(u32, f64)>>,
}

impl Apart {
    /// `avoid` with their penalties; `keep_apart` at a cost no arrangement can make up for.
    pub fn new(n: usize, keep_apart: &[(usize, usize)], avoid: &[(usize, usize, f64)]) -> Self {
        let mut by_member = vec![Vec::new(); n];
        let hard = 4.0 * n as f64;
        let pairs = keep_apart
            .iter()
            .map(|&(a, b)| (a, b, hard))
            .chain(avoid.iter().copied());
        for (a, b, cost) in pairs {
            if a < n && b < n && a != b {
                by_member[a].push((b as u32, cost));
                by_member[b].push((a as u32, cost));
            }
        }
        Apart { by_member }
    }

    /// What `i` costs in `group` (given by the assignment), leaving out `skip`.
    #[inline]
    fn cost(&self, i: usize, group: usize, assign: &[usize], skip: usize) -> f64 {
        match self.by_member.get(i) {
            Some(v) => v
                .iter()
                .filter(|(k, _)| *k as usize != skip && assign[*k as usize] == group)
                .map(|(_, c)| c)
                .sum(),
            None => 0.0,
        }
    }

    /// Pairs kept apart that share a group, and pairs that met before that meet again.
    pub fn broken(&self, assign: &[usize]) -> usize {
        self.by_member
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.iter()
                    .filter(|(k, _)| (*k as usize) > i && assign[*k as usize] == assign[i])
                    .count()
            })
            .sum()
    }
}

/// Diverse groups of the given sizes (`sizes.len()` groups); `fixed` members (a host per
/// group) stay where they are put; `apart` pairs are kept apart as far as their cost
/// says. Errors name what cannot be met.
pub fn diverse_groups(
    p: &Profiles,
    sizes: &[usize],
    fixed: &[(usize, usize)],
    apart: &Apart,
    opt: &ProfileOptions<'_>,
) -> Result<ProfileSolution, GroupingError> {
    let start = Instant::now();
    if sizes.iter().sum::<usize>() != p.n || sizes.is_empty() {
        return Err(GroupingError::Bounds(format!(
            "{} members cannot fill {} groups of these sizes",
            p.n,
            sizes.len()
        )));
    }
    for &(i, g) in fixed {
        if i >= p.n || g >= sizes.len() {
            return Err(GroupingError::Shape(
                "a fixed member or group lies outside the problem".into(),
            ));
        }
    }
    let initial = deal(p, sizes, fixed);
    let threads = opt.threads.max(1);
    let runs: Vec<(Vec<usize>, f64, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let initial = initial.clone();
                let seed = opt
                    .seed
                    .wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(t as u64));
                s.spawn(move || anneal(p, sizes.len(), initial, fixed, apart, seed, opt, start))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a search thread panicked"))
            .collect()
    });
    let steps = runs.iter().map(|r| r.2).sum();
    let (assign, _, _) = runs
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("one run at least");
    let objective = objective(p, &assign, sizes.len());
    Ok(ProfileSolution {
        assign,
        objective,
        steps,
        elapsed: start.elapsed(),
    })
}

/// The sum of `i`'s dissimilarities to the members of `group`, leaving out `skip`.
#[inline]
fn sum_to(p: &Profiles, i: usize, group: &[u32], skip: usize) -> f64 {
    group
        .iter()
        .filter(|&&k| k as usize != skip)
        .map(|&k| p.d(i, k as usize))
        .sum()
}

/// One simulated-annealing run over swaps; returns its best assignment, that
/// assignment's objective and the swaps tried.
#[allow(clippy::too_many_arguments)]
fn anneal(
    p: &Profiles,
    groups: usize,
    mut assign: Vec<usize>,
    fixed: &[(usize, usize)],
    apart: &Apart,
    seed: u64,
    opt: &ProfileOptions<'_>,
    start: Instant,
) -> (Vec<usize>, f64, u64) {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut members = members_of(&assign, groups);
    let mut slot = vec![0u32; p.n];
    for m in &members {
        for (k, &i) in m.iter().enumerate() {
            slot[i as usize] = k as u32;
        }
    }
    let movable: Vec<u32> = (0..p.n as u32)
        .filter(|&i| !fixed.iter().any(|&(f, _)| f == i as usize))
        .collect();
    let penalty = |assign: &[usize]| -> f64 {
        (0..p.n)
            .map(|i| apart.cost(i, assign[i], assign, i))
            .sum::<f64>()
            / 2.0
    };
    let mut current = objective(p, &assign, groups) - penalty(&assign);
    let mut best = (assign.clone(), current);
    if movable.len() < 2 || groups < 2 {
        return (best.0, best.1, 0);
    }
    let swap_delta = |members: &[Vec<u32>], assign: &[usize], i: usize, j: usize| {
        let (g, h) = (assign[i], assign[j]);
        // i leaves g for h without j; j leaves h for g without i.
        (sum_to(p, i, &members[h], j) - sum_to(p, i, &members[g], i))
            + (sum_to(p, j, &members[g], i) - sum_to(p, j, &members[h], j))
            - (apart.cost(i, h, assign, j) - apart.cost(i, g, assign, i))
            - (apart.cost(j, g, assign, i) - apart.cost(j, h, assign, j))
    };
    // The starting temperature: the mean size of a worsening among random swaps.
    let mut worse = Vec::new();
    for _ in 0..2000 {
        let i = movable[rng.gen_range(0..movable.len())] as usize;
        let j = movable[rng.gen_range(0..movable.len())] as usize;
        if assign[i] != assign[j] {
            let dl = swap_delta(&members, &assign, i, j);
            if dl < 0.0 {
                worse.push(-dl);
            }
        }
    }
    let t0 = if worse.is_empty() {
        1e-3
    } else {
        worse.iter().sum::<f64>() / worse.len() as f64 * 0.3
    };
    let t_end = t0 * 1e-3;
    let limit = opt.time_limit.as_secs_f64().max(1e-3);
    let snapshot_every = (p.n as u64).max(4096);
    let (mut steps, mut temp, mut since_snapshot) = (0u64, t0, 0u64);
    loop {
        if steps % 256 == 0 {
            let frac = match opt.max_steps {
                Some(m) => steps as f64 / m.max(1) as f64,
                None => start.elapsed().as_secs_f64() / limit,
            };
            let cancelled = opt.cancel.is_some_and(|c| c.load(Ordering::Relaxed));
            if frac >= 1.0 || cancelled {
                break;
            }
            temp = t0 * (t_end / t0).powf(frac);
        }
        steps += 1;
        let i = movable[rng.gen_range(0..movable.len())] as usize;
        let j = movable[rng.gen_range(0..movable.len())] as usize;
        let (g, h) = (assign[i], assign[j]);
        if g == h {
            continue;
        }
        let delta = swap_delta(&members, &assign, i, j);
        if delta >= 0.0 || rng.gen::<f64>() < (delta / temp).exp() {
            let (si, sj) = (slot[i] as usize, slot[j] as usize);
            members[g][si] = j as u32;
            members[h][sj] = i as u32;
            slot.swap(i, j);
            assign[i] = h;
            assign[j] = g;
            current += delta;
        }
        since_snapshot += 1;
        if since_snapshot >= snapshot_every && current > best.1 + 1e-9 {
            best = (assign.clone(), current);
            since_snapshot = 0;
        }
    }
    if current > best.1 {
        best = (assign, current);
    }
    (best.0, best.1, steps)
}

#[cfg(test)]
mod tests;
