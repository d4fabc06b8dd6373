//! Why a step of feedback is refused.

use super::answers::{AnswerError, AnswerProblem};
use super::waves::WaveStatus;
use crate::refusal::{Arg, Refusal};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeedbackRule {
    /// A link (or a person) answers a wave once.
    #[error("this survey has already been answered")]
    AlreadyAnswered,
    /// Answers are taken while the wave is open.
    #[error("the survey is {status}, not open")]
    NotOpen { status: WaveStatus },
    /// A questionnaire that cannot be asked, with the place of its problem.
    #[error("the questionnaire cannot be asked: {problem}")]
    Questionnaire { problem: String },
    #[error("{0}")]
    Answer(AnswerError),
}

impl Refusal for FeedbackRule {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyAnswered => "feedback-already_answered",
            Self::NotOpen { .. } => "feedback-not_open",
            Self::Questionnaire { .. } => "feedback-questionnaire",
            Self::Answer(e) => match e.problem {
                AnswerProblem::Required => "feedback-required",
                AnswerProblem::OutOfScale { .. } => "feedback-out_of_scale",
                AnswerProblem::NoSuchChoice { .. } => "feedback-no_such_choice",
                AnswerProblem::NotYesNo { .. } => "feedback-not_yes_no",
                AnswerProblem::OneOnly => "feedback-one_only",
                AnswerProblem::NoSuchQuestion => "feedback-no_such_question",
                AnswerProblem::Text(_) => "feedback-text",
            },
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        use crate::Labelled;
        match self {
            Self::AlreadyAnswered => vec![],
            Self::NotOpen { status } => vec![("status", Arg::Label(status.label_id()))],
            Self::Questionnaire { problem } => vec![("problem", Arg::text(problem))],
            Self::Answer(e) => {
                let mut args = vec![("question", Arg::text(&e.question))];
                match &e.problem {
                    AnswerProblem::OutOfScale { value } | AnswerProblem::NotYesNo { value } => {
                        args.push(("value", Arg::text(value)));
                    }
                    AnswerProblem::NoSuchChoice { value, choices } => {
                        args.push(("value", Arg::text(value)));
                        args.push(("choices", Arg::text(choices)));
                    }
                    AnswerProblem::Text(p) => args.push(("problem", Arg::text(p))),
                    _ => {}
                }
                args
            }
        }
    }
}

impl From<AnswerError> for FeedbackRule {
    fn from(e: AnswerError) -> Self {
        Self::Answer(e)
    }
}
