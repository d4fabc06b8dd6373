//! The form that starts a round, as the page sends it (every field text, so that a bad
//! value comes back as an error naming its field rather than a rejected request).

use headway_domain::directory::{Country, OrgKind};
use headway_domain::input::{InputError, Problem};
use headway_domain::rounds::{
    MemberKey, Population, PopulationKind, ProfileAttribute, RoundMode, RoundSpec, Weighted,
};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub population: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub org_kind: Option<String>,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub size: String,
    pub min: Option<String>,
    pub max: Option<String>,
    /// Weights per attribute (`w_region` …); empty or 0 leaves it out.
    pub w_region: Option<String>,
    pub w_school_type: Option<String>,
    pub w_environment: Option<String>,
    pub w_governance: Option<String>,
    pub w_pupils: Option<String>,
    /// `similar` per attribute: members should share it.
    pub s_region: Option<String>,
    pub s_school_type: Option<String>,
    pub s_environment: Option<String>,
    pub s_governance: Option<String>,
    pub s_pupils: Option<String>,
    /// One pair per line: two member keys (`p12 p40`).
    pub keep_apart: Option<String>,
    pub keep_together: Option<String>,
    /// Member keys, separated by spaces, commas or lines.
    pub hosts: Option<String>,
    pub host_per_group: Option<String>,
    pub avoid_earlier: Option<String>,
    pub seconds: Option<String>,
    pub question: Option<String>,
    /// The competences aspects are tagged with, one per line.
    pub competences: Option<String>,
}

fn given(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn number(field: &'static str, v: &str) -> Result<f64, InputError> {
    v.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| {
            InputError::new(
                field,
                Problem::NotANumber {
                    value: v.chars().take(40).collect(),
                },
            )
        })
}

fn count(field: &'static str, v: &str) -> Result<usize, InputError> {
    let x = number(field, v)?;
    if x < 0.0 || x.fract() != 0.0 || x > 1e6 {
        return Err(InputError::new(
            field,
            Problem::OutOfRange { min: 0.0, max: 1e6 },
        ));
    }
    Ok(x as usize)
}

fn key(field: &'static str, k: &str) -> Result<MemberKey, InputError> {
    let ok = k.len() > 1
        && k.len() < 12
        && matches!(k.as_bytes()[0], b'p' | b'o')
        && k[1..].bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(k.to_owned())
    } else {
        Err(InputError::new(
            field,
            Problem::NotOneOf {
                value: k.chars().take(40).collect(),
                allowed: "p<number>, o<number>".into(),
            },
        ))
    }
}

fn keys(field: &'static str, v: &Option<String>) -> Result<Vec<MemberKey>, InputError> {
    given(v)
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(|k| key(field, k))
        .collect()
}

fn pairs(
    field: &'static str,
    v: &Option<String>,
) -> Result<Vec<(MemberKey, MemberKey)>, InputError> {
    given(v)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let k = keys(field, &Some(line.to_owned()))?;
            match k.as_slice() {
                [a, b] if a != b => Ok((a.clone(), b.clone())),
                _ => Err(InputError::new(
                    field,
                    Problem::NotOneOf {
                        value: line.chars().take(40).collect(),
                        allowed: "two different member keys per line".into(),
                    },
                )),
            }
        })
        .collect()
}

impl RoundForm {
    /// The form a new round starts from: diverse groups of ten over the registered leaders.
    pub fn defaults(country: Country) -> Self {
        let one = Some("1".to_owned());
        RoundForm {
            population: PopulationKind::Leaders.code().into(),
            country: Some(country.code().into()),
            mode: RoundMode::Diverse.code().into(),
            size: "10".into(),
            w_region: one.clone(),
            w_school_type: one.clone(),
            w_environment: one.clone(),
            w_governance: one,
            avoid_earlier: Some("on".into()),
            seconds: Some("10".into()),
            ..Default::default()
        }
    }

    pub fn weight(&self, a: &ProfileAttribute) -> (&str, bool) {
        let (w, s) = match *a {
            ProfileAttribute::Region => (&self.w_region, &self.s_region),
            ProfileAttribute::SchoolType => (&self.w_school_type, &self.s_school_type),
            ProfileAttribute::Environment => (&self.w_environment, &self.s_environment),
            ProfileAttribute::Governance => (&self.w_governance, &self.s_governance),
            ProfileAttribute::Pupils => (&self.w_pupils, &self.s_pupils),
        };
        (w.as_deref().unwrap_or(""), s.is_some())
    }

    /// The spec, or the first field that does not parse.
    pub fn to_spec(&self) -> Result<RoundSpec, InputError> {
        let mut attributes = Vec::new();
        for &a in ProfileAttribute::ALL {
            let (w, similar) = self.weight(&a);
            if w.trim().is_empty() {
                continue;
            }
            let weight = number("weight", w)?;
            if weight != 0.0 {
                attributes.push(Weighted {
                    attribute: a,
                    weight,
                    similar,
                });
            }
        }
        let spec = RoundSpec {
            title: self.title.trim().to_owned(),
            population: Population {
                kind: PopulationKind::parse(&self.population)?,
                country: given(&self.country).map(Country::parse).transpose()?,
                region: given(&self.region)
                    .map(|r| count("region", r).map(|v| v as i32))
                    .transpose()?,
                org_kind: given(&self.org_kind).map(OrgKind::parse).transpose()?,
            },
            mode: RoundMode::parse(&self.mode)?,
            size: count("size", &self.size)?,
            min: given(&self.min).map(|v| count("min", v)).transpose()?,
            max: given(&self.max).map(|v| count("max", v)).transpose()?,
            attributes,
            keep_apart: pairs("keep_apart", &self.keep_apart)?,
            keep_together: pairs("keep_together", &self.keep_together)?,
            hosts: keys("hosts", &self.hosts)?,
            host_per_group: self.host_per_group.is_some(),
            avoid_earlier: self.avoid_earlier.is_some(),
            seconds: given(&self.seconds)
                .map(|v| count("seconds", v))
                .transpose()?
                .unwrap_or(10)
                .min(u32::MAX as usize) as u32,
            question: given(&self.question).map(str::to_owned),
            competences: given(&self.competences)
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        spec.check()?;
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_field_is_named() {
        let mut f = RoundForm::defaults(Country::Netherlands);
        f.title = "Round".into();
        assert!(f.to_spec().is_ok());
        f.size = "ten".into();
        assert_eq!(f.to_spec().unwrap_err().field, "size");
        f.size = "10".into();
        f.keep_apart = Some("p1 p2\np3".into());
        assert_eq!(f.to_spec().unwrap_err().field, "keep_apart");
        f.keep_apart = Some("p1 p2\n\np3, o4".into());
        let s = f.to_spec().unwrap();
        assert_eq!(s.keep_apart.len(), 2);
        f.hosts = Some("x1".into());
        assert_eq!(f.to_spec().unwrap_err().field, "hosts");
    }
}
