//! From a round's spec and population to the solver's request, and from the solver's
//! outcome to a draft; judging a hand move. Shared by the background runner, the form
//! (which checks a round before keeping it) and the draft page.

use headway_domain::rounds::{
    Draft, DraftMember, ProfileAttribute, RoundMode, RoundRule, RoundSpec,
};
use headway_grouping::request::{self, Attribute, GroupRequest, Member, Mode, Plan};
use headway_grouping::run::{Broken, Outcome, PairValue};
use headway_store::rounds::PopMember;
use std::collections::HashMap;

/// What the solver is asked, over which members.
pub struct Prepared {
    pub req: GroupRequest,
    pub members: Vec<Member>,
    pub plan: Plan,
}

/// The penalty for a pair meeting again: one full mismatch of the attributes, or for
/// regional groups 50 km of travel.
fn avoid_penalty(mode: RoundMode) -> f64 {
    if mode == RoundMode::Regional {
        50.0
    } else {
        1.0
    }
}

fn mode(m: RoundMode) -> Mode {
    match m {
        RoundMode::Diverse => Mode::Diverse,
        RoundMode::Regional => Mode::Regional,
        RoundMode::Balanced => Mode::Balanced,
    }
}

fn column(a: ProfileAttribute) -> usize {
    ProfileAttribute::ALL
        .iter()
        .position(|x| *x == a)
        .unwrap_or(0)
}

/// A member's attribute values (all of them) and place.
type Described<'a> = (&'a [String], Option<(f64, f64)>);

/// The solver's members: the chosen attributes' values, in the spec's order.
fn members(spec: &RoundSpec, values: &[Described<'_>]) -> Vec<Member> {
    values
        .iter()
        .map(|(v, at)| Member {
            values: spec
                .attributes
                .iter()
                .map(|w| v.get(column(w.attribute)).cloned().unwrap_or_default())
                .collect(),
            at: *at,
        })
        .collect()
}

/// The request over members named by `keys` (pairs and hosts that name no member are
/// left out: the population check names them first).
fn request(spec: &RoundSpec, keys: &[String], avoid: &[(usize, usize)]) -> GroupRequest {
    let at: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let pairs = |v: &[(String, String)]| -> Vec<(usize, usize)> {
        v.iter()
            .filter_map(|(a, b)| Some((*at.get(a.as_str())?, *at.get(b.as_str())?)))
            .collect()
    };
    GroupRequest {
        mode: mode(spec.mode),
        size: spec.size,
        min: spec.min,
        max: spec.max,
        attributes: spec
            .attributes
            .iter()
            .map(|w| Attribute {
                name: w.attribute.code().into(),
                weight: w.weight,
                similar: w.similar,
            })
            .collect(),
        keep_apart: pairs(&spec.keep_apart),
        keep_together: pairs(&spec.keep_together),
        hosts: spec
            .hosts
            .iter()
            .filter_map(|h| at.get(h.as_str()).copied())
            .collect(),
        avoid: avoid
            .iter()
            .map(|&(a, b)| (a, b, avoid_penalty(spec.mode)))
            .collect(),
    }
}

/// Checks `spec` against its population and plans the search; errors name the conflict.
pub fn prepare(
    spec: &RoundSpec,
    pop: &[PopMember],
    earlier: &[(String, String)],
) -> Result<Prepared, RoundRule> {
    let index: HashMap<&str, usize> = pop
        .iter()
        .enumerate()
        .map(|(i, m)| (m.key.as_str(), i))
        .collect();
    spec.check_population(pop.len(), |k| index.contains_key(k))?;
    let avoid: Vec<(usize, usize)> = if spec.avoid_earlier {
        earlier
            .iter()
            .filter_map(|(a, b)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?)))
            .collect()
    } else {
        Vec::new()
    };
    let keys: Vec<String> = pop.iter().map(|m| m.key.clone()).collect();
    let req = request(spec, &keys, &avoid);
    let values: Vec<Described<'_>> = pop.iter().map(|m| (m.values.as_slice(), m.at)).collect();
    let members = members(spec, &values);
    let plan = request::plan(&req, &members).map_err(|e| RoundRule::Unsolvable {
        detail: e.to_string(),
    })?;
    Ok(Prepared { req, members, plan })
}

/// The draft from the solver's outcome; hosts as named, and when asked one per group:
/// the member closest to the others (for regional groups, the most central place).
pub fn draft(spec: &RoundSpec, p: &Prepared, pop: &[PopMember], out: &Outcome) -> Draft {
    let pv = PairValue::new(&p.req, &p.members);
    let mut hosts: Vec<Option<usize>> = vec![None; out.groups];
    for (g, &h) in p.req.hosts.iter().enumerate() {
        hosts[g] = Some(h);
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); out.groups];
    for (i, &g) in out.assign.iter().enumerate() {
        groups[g].push(i);
    }
    if spec.host_per_group {
        for (g, members) in groups.iter().enumerate() {
            if hosts[g].is_none() {
                hosts[g] = members.iter().copied().max_by(|&a, &b| {
                    let sum = |i: usize| members.iter().map(|&j| pv.value(i, j)).sum::<f64>();
                    sum(a).total_cmp(&sum(b))
                });
            }
        }
    }
    let members = pop
        .iter()
        .zip(&out.member_reports)
        .map(|(m, r)| DraftMember {
            key: m.key.clone(),
            name: m.name.clone(),
            values: m.values.clone(),
            at: m.at,
            group: r.group,
            contribution: r.contribution,
            best_alternative: r.best_alternative,
            move_cost: r.move_cost,
        })
        .collect();
    Draft {
        members,
        groups: out.groups,
        min: out.min,
        max: out.max,
        objective: out.objective,
        bound: out.bound,
        broken: out.broken,
        hosts,
        avoid: p.req.avoid.iter().map(|&(a, b, _)| (a, b)).collect(),
        seconds: out.elapsed.as_secs_f64(),
        search: format!("{:?}", out.search)
            .split([' ', '{'])
            .next()
            .unwrap_or("")
            .to_owned(),
        moved: 0,
    }
}

/// A hand move judged before it is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct MovePreview {
    pub member: usize,
    pub from: usize,
    pub to: usize,
    pub before: f64,
    pub after: f64,
    /// What the moved draft breaks (members and groups 0-based).
    pub broken: Vec<Broken>,
    /// The draft with the member moved and the explanations recomputed.
    pub moved: Draft,
}

fn judge_parts(spec: &RoundSpec, d: &Draft) -> (GroupRequest, PairValue) {
    let keys: Vec<String> = d.members.iter().map(|m| m.key.clone()).collect();
    let req = request(spec, &keys, &d.avoid);
    let values: Vec<Described<'_>> = d
        .members
        .iter()
        .map(|m| (m.values.as_slice(), m.at))
        .collect();
    let pv = PairValue::new(&req, &members(spec, &values));
    (req, pv)
}

/// What moving `key` to group `to` (0-based) would change.
pub fn preview_move(
    spec: &RoundSpec,
    d: &Draft,
    key: &str,
    to: usize,
) -> Result<MovePreview, RoundRule> {
    if to >= d.groups {
        return Err(RoundRule::NoSuchGroup { group: to + 1 });
    }
    let member = d
        .members
        .iter()
        .position(|m| m.key == key)
        .ok_or_else(|| RoundRule::NotInPopulation { key: key.into() })?;
    let (req, pv) = judge_parts(spec, d);
    let mut assign: Vec<usize> = d.members.iter().map(|m| m.group).collect();
    let before = pv.judge(&req, &assign, d.groups, (d.min, d.max));
    let from = assign[member];
    assign[member] = to;
    let after = pv.judge(&req, &assign, d.groups, (d.min, d.max));
    let (_, reports) = pv.explain(&assign, d.groups);
    let mut moved = d.clone();
    for (m, r) in moved.members.iter_mut().zip(reports) {
        m.group = r.group;
        m.contribution = r.contribution;
        m.best_alternative = r.best_alternative;
        m.move_cost = r.move_cost;
    }
    moved.objective = after.objective;
    moved.broken = after.broken.len();
    moved.moved += 1;
    // A host moved out of its group no longer hosts it.
    for h in moved.hosts.iter_mut() {
        if *h == Some(member) {
            *h = None;
        }
    }
    Ok(MovePreview {
        member,
        from,
        to,
        before: before.objective,
        after: after.objective,
        broken: after.broken,
        moved,
    })
}
