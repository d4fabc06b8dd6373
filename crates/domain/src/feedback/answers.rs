//! One respondent's answers, parsed from the answer form against the questionnaire: a
//! scale's point, a choice's number (from 1, as the form shows it), yes or no, a text kept
//! to the text policy. Whatever is wrong is named by its question, and nothing of a form
//! that fails is kept.

use super::questionnaire::{QuestionKind, Questionnaire, SCALE};
use crate::input::{Problem, Reason};
use serde::{Deserialize, Serialize};

/// An answer to one question; choices are numbered from 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerValue {
    Scale(u8),
    Choice(usize),
    Choices(Vec<usize>),
    YesNo(bool),
    Text(String),
}

/// The answers given (questions left out are absent), in the questionnaire's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSet(pub Vec<(String, AnswerValue)>);

impl AnswerSet {
    pub fn get(&self, key: &str) -> Option<&AnswerValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// What is wrong with an answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerProblem {
    #[error("an answer is required")]
    Required,
    #[error("`{value}` is not a point from 1 to 5")]
    OutOfScale { value: String },
    #[error("`{value}` is not one of the choices (1 to {choices})")]
    NoSuchChoice { value: String, choices: usize },
    #[error("`{value}` is neither yes nor no")]
    NotYesNo { value: String },
    #[error("only one answer is taken")]
    OneOnly,
    #[error("there is no such question")]
    NoSuchQuestion,
    #[error("{0}")]
    Text(Problem),
}

/// An answer that does not parse, named by its question's key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{question}: {problem}")]
pub struct AnswerError {
    pub question: String,
    pub problem: AnswerProblem,
}

/// The form field of a question.
pub fn field(key: &str) -> String {
    format!("q_{key}")
}

fn shown(v: &str) -> String {
    v.chars().take(40).collect()
}

/// Parses the answer form's fields (`q_<key>`, repeated for several choices; other fields
/// are not answers) against `q`.
pub fn parse_answers(
    q: &Questionnaire,
    fields: &[(String, String)],
) -> Result<AnswerSet, AnswerError> {
    let err = |key: &str, problem| AnswerError {
        question: key.to_owned(),
        problem,
    };
    for (name, _) in fields {
        if let Some(key) = name.strip_prefix("q_") {
            if q.question(key).is_none() {
                return Err(err(&shown(key), AnswerProblem::NoSuchQuestion));
            }
        }
    }
    let mut out = Vec::new();
    for question in q.questions() {
        let name = field(&question.key);
        let given: Vec<&str> = fields
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        let key = question.key.as_str();
        if given.is_empty() {
            if question.required {
                return Err(err(key, AnswerProblem::Required));
            }
            continue;
        }
        if question.kind != QuestionKind::Multiple && given.len() > 1 {
            return Err(err(key, AnswerProblem::OneOnly));
        }
        let choice = |v: &str| -> Result<usize, AnswerError> {
            v.parse::<usize>()
                .ok()
                .filter(|n| (1..=question.choices.len()).contains(n))
                .map(|n| n - 1)
                .ok_or_else(|| {
                    err(
                        key,
                        AnswerProblem::NoSuchChoice {
                            value: shown(v),
                            choices: question.choices.len(),
                        },
                    )
                })
        };
        let v = given[0];
        let value = match question.kind {
            QuestionKind::Scale => v
                .parse::<u8>()
                .ok()
                .filter(|p| SCALE.contains(p))
                .map(AnswerValue::Scale)
                .ok_or_else(|| err(key, AnswerProblem::OutOfScale { value: shown(v) }))?,
            QuestionKind::Single => AnswerValue::Choice(choice(v)?),
            QuestionKind::Multiple => {
                let mut all = given
                    .iter()
                    .map(|v| choice(v))
                    .collect::<Result<Vec<_>, _>>()?;
                all.sort_unstable();
                all.dedup();
                AnswerValue::Choices(all)
            }
            QuestionKind::YesNo => match v.to_ascii_lowercase().as_str() {
                "yes" => AnswerValue::YesNo(true),
                "no" => AnswerValue::YesNo(false),
                _ => return Err(err(key, AnswerProblem::NotYesNo { value: shown(v) })),
            },
            QuestionKind::Text => AnswerValue::Text(
                Reason::parse("answer", v)
                    .map_err(|e| err(key, AnswerProblem::Text(e.problem)))?
                    .into_inner(),
            ),
        };
        out.push((question.key.clone(), value));
    }
    Ok(AnswerSet(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::questionnaire::tests::sample;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_full_form_parses_in_the_questionnaires_order() {
        let a = parse_answers(
            &sample(),
            &form(&[
                ("_csrf", "x"),
                ("q_again", "yes"),
                ("q_useful", "4"),
                ("q_changes", "3"),
                ("q_changes", "1"),
                ("q_changes", "1"),
                ("q_part", "2"),
                ("q_remarks", "  Shorter mornings, please. "),
            ]),
        )
        .unwrap();
        assert_eq!(
            a.0,
            vec![
                ("useful".into(), AnswerValue::Scale(4)),
                ("part".into(), AnswerValue::Choice(1)),
                ("changes".into(), AnswerValue::Choices(vec![0, 2])),
                ("again".into(), AnswerValue::YesNo(true)),
                (
                    "remarks".into(),
                    AnswerValue::Text("Shorter mornings, please.".into())
                ),
            ]
        );
        // Optional questions may be left out, blank or not.
        let b = parse_answers(
            &sample(),
            &form(&[("q_useful", "1"), ("q_again", "No"), ("q_remarks", " ")]),
        )
        .unwrap();
        assert_eq!(b.0.len(), 2);
        assert_eq!(b.get("again"), Some(&AnswerValue::YesNo(false)));
    }

    #[test]
    fn a_wrong_answer_is_named_by_its_question() {
        let wrong = |pairs: &[(&str, &str)]| {
            let mut f = form(&[("q_useful", "3"), ("q_again", "yes")]);
            for (k, v) in pairs {
                f.retain(|(n, _)| n != k);
                f.push((k.to_string(), v.to_string()));
            }
            parse_answers(&sample(), &f).unwrap_err()
        };
        let e = wrong(&[("q_useful", "6")]);
        assert_eq!(e.question, "useful");
        assert_eq!(e.to_string(), "useful: `6` is not a point from 1 to 5");
        assert_eq!(wrong(&[("q_useful", "")]).problem, AnswerProblem::Required);
        assert_eq!(wrong(&[("q_useful", "2.5")]).question, "useful");
        assert!(matches!(
            wrong(&[("q_part", "3")]).problem,
            AnswerProblem::NoSuchChoice { choices: 2, .. }
        ));
        assert!(matches!(
            wrong(&[("q_changes", "0")]).problem,
            AnswerProblem::NoSuchChoice { .. }
        ));
        assert!(matches!(
            wrong(&[("q_again", "maybe")]).problem,
            AnswerProblem::NotYesNo { .. }
        ));
        assert_eq!(
            wrong(&[("q_nonsense", "1")]).problem,
            AnswerProblem::NoSuchQuestion
        );
        assert!(matches!(
            wrong(&[("q_remarks", "a\u{202e}b")]).problem,
            AnswerProblem::Text(Problem::Character { .. })
        ));
        let mut twice = form(&[("q_useful", "3"), ("q_useful", "4"), ("q_again", "yes")]);
        assert_eq!(
            parse_answers(&sample(), &twice).unwrap_err().problem,
            AnswerProblem::OneOnly
        );
        twice.truncate(1);
        assert_eq!(
            parse_answers(&sample(), &twice).unwrap_err().question,
            "again"
        );
    }
}
