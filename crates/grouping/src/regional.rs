//! Regional groups for thousands of places: recursive coordinate bisection into groups of
//! the wanted size, then local search (insert and swap with nearby places) that shortens
//! the distances inside groups. Distances are computed from coordinates, so memory stays
//! linear in the number of places.

use crate::attributes::km;
use crate::model::GroupingError;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The result: group of each place and the sum of in-group pairwise distances (km).
#[derive(Debug, Clone)]
pub struct RegionalSolution {
    pub assign: Vec<usize>,
    pub groups: usize,
    pub total_km: f64,
    pub initial_km: f64,
    pub passes: usize,
}

/// The number of groups for `n` places with sizes in `[min, max]`, closest to `target`.
pub fn group_count(
    n: usize,
    min: usize,
    max: usize,
    target: usize,
) -> Result<usize, GroupingError> {
    if min == 0 || min > max || target == 0 {
        return Err(GroupingError::Bounds(format!(
            "sizes {min}–{max} (target {target}) are not valid"
        )));
    }
    headway_domain::rounds::group_count(n, min, max, target).ok_or_else(|| {
        GroupingError::Bounds(format!("{n} places cannot form groups of {min} to {max}"))
    })
}

fn project(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let lat0 = points.iter().map(|p| p.0).sum::<f64>() / points.len().max(1) as f64;
    let k = lat0.to_radians().cos();
    points
        .iter()
        .map(|&(lat, lon)| (lon * 111.32 * k, lat * 110.57))
        .collect()
}

fn bisect(
    items: &mut [usize],
    xy: &[(f64, f64)],
    groups: usize,
    min: usize,
    max: usize,
    next: &mut usize,
    out: &mut [usize],
) {
    if groups == 1 {
        for &i in items.iter() {
            out[i] = *next;
        }
        *next += 1;
        return;
    }
    let (g1, g2) = (groups / 2, groups - groups / 2);
    let len = items.len();
    let (minx, maxx, miny, maxy) = items.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), &i| {
            (
                a.min(xy[i].0),
                b.max(xy[i].0),
                c.min(xy[i].1),
                d.max(xy[i].1),
            )
        },
    );
    if maxx - minx >= maxy - miny {
        items.sort_by(|a, b| xy[*a].0.total_cmp(&xy[*b].0));
    } else {
        items.sort_by(|a, b| xy[*a].1.total_cmp(&xy[*b].1));
    }
    let ideal = (len as f64 * g1 as f64 / groups as f64).round() as usize;
    let lo = (g1 * min).max(len.saturating_sub(g2 * max));
    let hi = (g1 * max).min(len.saturating_sub(g2 * min));
    let cut = ideal.clamp(lo, hi.max(lo));
    let (a, b) = items.split_at_mut(cut);
    bisect(a, xy, g1, min, max, next, out);
    bisect(b, xy, g2, min, max, next, out);
}

/// K nearest neighbours of every point, by a uniform grid.
fn neighbours(xy: &[(f64, f64)], k: usize) -> Vec<Vec<usize>> {
    let n = xy.len();
    let (minx, maxx, miny, maxy) = xy.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), p| (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)),
    );
    let area = ((maxx - minx) * (maxy - miny)).max(1.0);
    let cell = (area * k as f64 / n.max(1) as f64).sqrt().max(0.01);
    let key = |p: (f64, f64)| (((p.0 - minx) / cell) as i64, ((p.1 - miny) / cell) as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, &p) in xy.iter().enumerate() {
        grid.entry(key(p)).or_default().push(i);
    }
    (0..n)
        .map(|i| {
            let (cx, cy) = key(xy[i]);
            let mut r = 1i64;
            loop {
                let mut cand: Vec<(f64, usize)> = vec![];
                for gx in cx - r..=cx + r {
                    for gy in cy - r..=cy + r {
                        if let Some(v) = grid.get(&(gx, gy)) {
                            for &j in v {
                                if j != i {
                                    let (dx, dy) = (xy[i].0 - xy[j].0, xy[i].1 - xy[j].1);
                                    cand.push((dx * dx + dy * dy, j));
                                }
                            }
                        }
                    }
                }
                // Enough candidates, and the ring is wide enough that none nearer is missed.
                if cand.len() >= k.min(n - 1) && (cand.len() >= 4 * k || r > 3) || r > 64 {
                    cand.sort_by(|a, b| a.0.total_cmp(&b.0));
                    return cand.into_iter().take(k).map(|c| c.1).collect();
                }
                r += 1;
            }
        })
        .collect()
}

/// Groups `points` (lat, lon) into groups of `min..=max` places, about `target` each.
pub fn regional_groups(
    points: &[(f64, f64)],
    min: usize,
    max: usize,
    target: usize,
    time_limit: Duration,
    seed: u64,
) -> Result<RegionalSolution, GroupingError> {
    let n = points.len();
    let groups = group_count(n, min, max, target)?;
    let start = Instant::now();
    let xy = project(points);
    let mut assign = vec![0; n];
    let mut idx: Vec<usize> = (0..n).collect();
    let mut next = 0;
    bisect(&mut idx, &xy, groups, min, max, &mut next, &mut assign);
    let mut members: Vec<Vec<usize>> = vec![vec![]; groups];
    for (i, &g) in assign.iter().enumerate() {
        members[g].push(i);
    }
    let cost = |i: usize, g: &[usize]| -> f64 {
        g.iter()
            .filter(|&&j| j != i)
            .map(|&j| km(points[i], points[j]))
            .sum()
    };
    let total = |members: &[Vec<usize>]| -> f64 {
        members
            .iter()
            .map(|m| m.iter().map(|&i| cost(i, m)).sum::<f64>() / 2.0)
            .sum()
    };
    let initial_km = total(&members);
    let nb = neighbours(&xy, 12);
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    let mut passes = 0;
    loop {
        passes += 1;
        let mut improved = false;
        order.shuffle(&mut rng);
        for &i in &order {
            if start.elapsed() >= time_limit {
                break;
            }
            let gi = assign[i];
            let ci = cost(i, &members[gi]);
            let mut best: Option<(f64, usize, Option<usize>)> = None;
            let mut targets: Vec<usize> = nb[i]
                .iter()
                .map(|&j| assign[j])
                .filter(|&g| g != gi)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            for &g in &targets {
                let cg = cost(i, &members[g]);
                if members[gi].len() > min && members[g].len() < max {
                    let delta = cg - ci;
                    if delta < -1e-9 && best.is_none_or(|b| delta < b.0) {
                        best = Some((delta, g, None));
                    }
                }
                for &j in nb[i].iter().filter(|&&j| assign[j] == g) {
                    let dij = km(points[i], points[j]);
                    let delta =
                        (cg - dij) - ci + (cost(j, &members[gi]) - dij) - cost(j, &members[g]);
                    if delta < -1e-9 && best.is_none_or(|b| delta < b.0) {
                        best = Some((delta, g, Some(j)));
                    }
                }
            }
            if let Some((_, g, swap)) = best {
                members[gi].retain(|&x| x != i);
                members[g].push(i);
                assign[i] = g;
                if let Some(j) = swap {
                    members[g].retain(|&x| x != j);
                    members[gi].push(j);
                    assign[j] = gi;
                }
                improved = true;
            }
        }
        if !improved || start.elapsed() >= time_limit || rng.gen_bool(0.0) {
            break;
        }
    }
    Ok(RegionalSolution {
        total_km: total(&members),
        assign,
        groups,
        initial_km,
        passes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_bounded_size_and_shorter_than_the_start() {
        let mut rng = SmallRng::seed_from_u64(7);
        let pts: Vec<(f64, f64)> = (0..997)
            .map(|_| (50.0 + rng.gen::<f64>() * 3.0, 4.0 + rng.gen::<f64>() * 3.0))
            .collect();
        let s = regional_groups(&pts, 8, 12, 10, Duration::from_secs(20), 1).unwrap();
        let mut sizes = vec![0; s.groups];
        for &g in &s.assign {
            sizes[g] += 1;
        }
        assert!(sizes.iter().all(|&z| (8..=12).contains(&z)), "{sizes:?}");
        assert!(s.total_km <= s.initial_km);
        assert!(group_count(5, 8, 12, 10).is_err());
    }
}
