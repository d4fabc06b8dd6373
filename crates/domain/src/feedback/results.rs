//! Results of a wave: per question the distribution of answers, with mean and median for
//! scales — shown only when the wave has at least the threshold of answer sets and the
//! question at least the threshold of answers; below it, nothing but that there are too
//! few.

use super::answers::AnswerValue;
use super::questionnaire::{Question, QuestionKind, SCALE};
use crate::input::{InputError, Problem};
use serde::Serialize;

/// The least number of answer sets of a wave, and of answers to a question, for figures to
/// be shown (EvaP's minimum answer count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold(u32);

impl Threshold {
    pub const DEFAULT: Threshold = Threshold(5);
    pub const RANGE: std::ops::RangeInclusive<u32> = 2..=100;

    pub fn new(n: u32) -> Result<Self, InputError> {
        if Self::RANGE.contains(&n) {
            Ok(Self(n))
        } else {
            Err(InputError::new(
                "threshold",
                Problem::OutOfRange {
                    min: f64::from(*Self::RANGE.start()),
                    max: f64::from(*Self::RANGE.end()),
                },
            ))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether `n` answers may be shown.
    pub fn met(self, n: u32) -> bool {
        n >= self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How a question was answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Per point of a scale (1 to 5), per choice, or yes then no; empty for texts.
    pub counts: Vec<u32>,
    /// Respondents who answered the question.
    pub answers: u32,
    /// A scale's mean and median.
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

/// Figures, or too few answers to show any.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "shown", rename_all = "snake_case")]
pub enum Shown {
    Figures(Distribution),
    TooFew,
}

/// The distribution of `values`, the answers to `q` (values of another kind are ignored).
pub fn summarize(q: &Question, values: &[&AnswerValue]) -> Distribution {
    let slots = match q.kind {
        QuestionKind::Scale => SCALE.len(),
        QuestionKind::Single | QuestionKind::Multiple => q.choices.len(),
        QuestionKind::YesNo => 2,
        QuestionKind::Text => 0,
    };
    let mut counts = vec![0u32; slots];
    let mut points: Vec<u8> = Vec::new();
    let mut answers = 0;
    let add = |i: usize, counts: &mut Vec<u32>| {
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    };
    for v in values {
        match (q.kind, v) {
            (QuestionKind::Scale, AnswerValue::Scale(p)) if SCALE.contains(p) => {
                add(usize::from(p - 1), &mut counts);
                points.push(*p);
            }
            (QuestionKind::Single, AnswerValue::Choice(c)) => add(*c, &mut counts),
            (QuestionKind::Multiple, AnswerValue::Choices(cs)) => {
                for c in cs {
                    add(*c, &mut counts);
                }
            }
            (QuestionKind::YesNo, AnswerValue::YesNo(y)) => add(usize::from(!*y), &mut counts),
            (QuestionKind::Text, AnswerValue::Text(_)) => {}
            _ => continue,
        }
        answers += 1;
    }
    points.sort_unstable();
    let n = points.len();
    let mean = (n > 0).then(|| points.iter().map(|p| f64::from(*p)).sum::<f64>() / n as f64);
    let median = (n > 0).then(|| {
        let mid = f64::from(points[n / 2]);
        if n.is_multiple_of(2) {
            (f64::from(points[n / 2 - 1]) + mid) / 2.0
        } else {
            mid
        }
    });
    Distribution {
        counts,
        answers,
        mean,
        median,
    }
}

/// `d` as it may be shown for a wave of `sets` answer sets.
pub fn publish(d: Distribution, sets: u32, t: Threshold) -> Shown {
    if t.met(sets) && t.met(d.answers) {
        Shown::Figures(d)
    } else {
        Shown::TooFew
    }
}

/// Which groups of a wave may show their figures, given each group's count (of answer
/// sets, or of answers to one question) and the wave's `total`: a group with at least the
/// threshold — and then, so that the total less the groups shown never gives away what the
/// groups not shown answered, the smallest shown group is withheld too while that remainder
/// is more than none and fewer than the threshold (complementary suppression).
pub fn shown_groups(total: u32, groups: &[u32], t: Threshold) -> Vec<bool> {
    let mut shown: Vec<bool> = groups.iter().map(|n| t.met(*n)).collect();
    loop {
        let visible: u32 = groups
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(n, _)| *n)
            .sum();
        let rest = total.saturating_sub(visible);
        if rest == 0 || t.met(rest) {
            return shown;
        }
        let smallest = (0..groups.len())
            .filter(|i| shown[*i])
            .min_by_key(|i| (groups[*i], std::cmp::Reverse(*i)));
        match smallest {
            Some(i) => shown[i] = false,
            None => return shown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::questionnaire::tests::sample;

    #[test]
    fn scales_choices_and_yes_no_are_counted() {
        let q = sample();
        let useful = q.question("useful").unwrap();
        let vals: Vec<AnswerValue> = [4, 5, 2, 4, 3, 4].map(AnswerValue::Scale).to_vec();
        let d = summarize(useful, &vals.iter().collect::<Vec<_>>());
        assert_eq!(d.counts, vec![0, 1, 1, 3, 1]);
        assert_eq!(d.answers, 6);
        assert_eq!(d.mean, Some(22.0 / 6.0));
        assert_eq!(d.median, Some(4.0));
        let odd = summarize(
            useful,
            &[
                &AnswerValue::Scale(1),
                &AnswerValue::Scale(5),
                &AnswerValue::Scale(2),
            ],
        );
        assert_eq!(odd.median, Some(2.0));
        let changes = q.question("changes").unwrap();
        let picks = [
            AnswerValue::Choices(vec![0, 2]),
            AnswerValue::Choices(vec![0]),
        ];
        let d = summarize(changes, &picks.iter().collect::<Vec<_>>());
        assert_eq!((d.counts, d.answers, d.mean), (vec![2, 0, 1], 2, None));
        let again = q.question("again").unwrap();
        let yn = [
            AnswerValue::YesNo(true),
            AnswerValue::YesNo(false),
            AnswerValue::YesNo(true),
        ];
        assert_eq!(
            summarize(again, &yn.iter().collect::<Vec<_>>()).counts,
            vec![2, 1]
        );
        // An answer of another kind (a questionnaire changed under it) is not counted.
        assert_eq!(summarize(again, &[&AnswerValue::Scale(3)]).answers, 0);
    }

    #[test]
    fn figures_show_only_above_the_threshold_of_sets_and_answers() {
        let q = sample();
        let useful = q.question("useful").unwrap();
        let five: Vec<AnswerValue> = [1, 2, 3, 4, 5].map(AnswerValue::Scale).to_vec();
        let d = summarize(useful, &five.iter().collect::<Vec<_>>());
        let t = Threshold::DEFAULT;
        assert!(matches!(publish(d.clone(), 5, t), Shown::Figures(_)));
        assert_eq!(publish(d.clone(), 4, t), Shown::TooFew, "too few sets");
        let four = summarize(useful, &five[..4].iter().collect::<Vec<_>>());
        assert_eq!(
            publish(four, 9, t),
            Shown::TooFew,
            "too few answers to the question"
        );
        assert_eq!(Threshold::new(1).unwrap_err().field, "threshold");
        assert!(Threshold::new(3).unwrap().met(3));
        assert_eq!(
            serde_json::to_value(Shown::TooFew).unwrap(),
            serde_json::json!({"shown": "too_few"})
        );
    }

    #[test]
    fn a_group_is_withheld_when_the_rest_would_give_a_small_group_away() {
        let t = Threshold::DEFAULT;
        // 6 + 2: showing the six gives the two away.
        assert_eq!(shown_groups(8, &[6, 0], t), vec![false, false]);
        // 6 + 5 + 2: withholding the five leaves seven unshown.
        assert_eq!(shown_groups(13, &[6, 5, 0], t), vec![true, false, false]);
        // Nothing unshown: every group above the threshold stays.
        assert_eq!(shown_groups(11, &[6, 5], t), vec![true, true]);
        assert_eq!(
            shown_groups(20, &[6, 5], t),
            vec![true, true],
            "nine unshown"
        );
        assert_eq!(shown_groups(3, &[3], t), vec![false]);
    }
}
