//! Feedback on effects: questionnaires (versioned templates with sections and questions in
//! the four languages), surveys of an event, a network, a guidance case or a development
//! project asked in waves (right after, and months later), answers parsed and checked
//! against their questionnaire, and results published only above thresholds.
//!
//! Anonymity is the store's to keep (who answered apart from what was answered); the rules
//! here see answers without anyone attached to them.

pub mod answers;
pub mod questionnaire;
pub mod results;
pub mod rules;
pub mod waves;

pub use answers::{parse_answers, AnswerError, AnswerProblem, AnswerSet, AnswerValue};
pub use questionnaire::{Localized, Question, QuestionKind, Questionnaire, Section, SCALE};
pub use results::{publish, shown_groups, summarize, Distribution, Shown, Threshold};
pub use rules::FeedbackRule;
pub use waves::{
    reminder_due, status_on, wave_window, SubjectKind, TextReview, WavePlan, WaveStatus,
};
