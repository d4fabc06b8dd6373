//! Why a step is refused, said as a code with its figures so that every layer above can say
//! it in the reader's language. Two kinds: a field that does not parse
//! ([`crate::input::InputError`]) and a rule of a feature that refuses the step now (a
//! feature's own error enum implementing [`Refusal`]). `Display` says both in English, for
//! the API and logs.

/// A rule that refuses a step now (not a field that does not parse). Each feature has its
/// own enum; adding one touches no other feature.
pub trait Refusal: std::fmt::Debug + std::fmt::Display + Send + Sync + 'static {
    /// `<feature>-<what>` (`register-lapsed`): the message id of its translations.
    fn code(&self) -> &'static str;

    /// The figures a translation may use, by name.
    fn args(&self) -> Vec<(&'static str, Arg)> {
        Vec::new()
    }
}

/// One figure of a message: text shown as it is, or the id of a message whose translation
/// is shown (a status, a kind of character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Label(String),
}

impl Arg {
    pub fn text(s: impl ToString) -> Self {
        Arg::Text(s.to_string())
    }
}

/// What a layer above needs to say a refusal or an input error: the message id and its
/// figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub id: String,
    pub args: Vec<(&'static str, Arg)>,
}

impl Said {
    pub fn of(r: &dyn Refusal) -> Self {
        Said {
            id: r.code().to_owned(),
            args: r.args(),
        }
    }
}

impl From<&crate::input::InputError> for Said {
    fn from(e: &crate::input::InputError) -> Self {
        let mut args = e.problem.args();
        args.push(("field", Arg::Text(e.field.to_owned())));
        Said {
            id: format!("input-{}", e.problem.code()),
            args,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{InputError, Problem};

    #[test]
    fn an_input_error_says_its_field_and_figures() {
        let s = Said::from(&InputError::new("title", Problem::TooLong { max: 200 }));
        assert_eq!(s.id, "input-too_long");
        assert!(s.args.contains(&("max", Arg::text(200))));
        assert!(s.args.contains(&("field", Arg::text("title"))));
    }
}
