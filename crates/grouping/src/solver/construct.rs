//! Construction of a first assignment that meets every group's bounds.

use super::*;

/// A random assignment meeting the bounds: fixed items first, then keep-together
/// components, then the rest, filling groups below their lower bound first; a repair
/// pass moves items from groups with room to spare. Several attempts before giving up.
pub(super) fn construct(
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
