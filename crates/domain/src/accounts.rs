//! Accounts and the roles that decide what a user may do.

use crate::codes::codes;
use crate::input::{InputError, Problem};
use crate::refusal::{Arg, Refusal};

use std::fmt;

codes!(
    /// A signed-in user's role. The anonymous public has no account and no role.
    Role, "role", "role" {
        Admin => "admin",
        Coordinator => "coordinator",
        Advisor => "advisor",
        Owner => "owner",
        Leader => "leader",
        /// Staff of a provider of professional development, who maintain its offers.
        Provider => "provider",
    }
);

/// A login name: 3–64 characters of `a-z 0-9 . _ -`, stored lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let t = s.trim().to_lowercase();
        let err = |problem| InputError::new("username", problem);
        match t.chars().count() {
            0 => return Err(err(Problem::Required)),
            n if n < 3 => return Err(err(Problem::TooShort { min: 3 })),
            n if n > 64 => return Err(err(Problem::TooLong { max: 64 })),
            _ => {}
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
        {
            return Err(err(Problem::CharNotAllowed {
                value: c.escape_debug().to_string(),
                allowed: "a-z 0-9 . _ - @".into(),
            }));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 10 characters, at most 1024 (hashing cost stays bounded).
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let err = |problem| InputError::new("password", problem);
        match s.chars().count() {
            n if n < 10 => Err(err(Problem::TooShort { min: 10 })),
            n if n > 1024 => Err(err(Problem::TooLong { max: 1024 })),
            _ => Ok(Self(s.to_owned())),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Why an account step is refused now.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccountRule {
    #[error("the username `{0}` is taken")]
    UsernameTaken(String),
}

impl Refusal for AccountRule {
    fn code(&self) -> &'static str {
        match self {
            Self::UsernameTaken(_) => "accounts-username_taken",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Self::UsernameTaken(u) => vec![("username", Arg::text(u))],
        }
    }
}

/// Failed logins a name may have inside [`THROTTLE_WINDOW_SECS`] before further
/// attempts are refused without checking the password.
pub const MAX_FAILED_LOGINS: u64 = 5;
pub const THROTTLE_WINDOW_SECS: i64 = 60;

/// Whether a login attempt must be refused given the failures already seen in the window.
pub fn login_throttled(recent_failures: u64) -> bool {
    recent_failures >= MAX_FAILED_LOGINS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords_parse() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        assert!(Username::parse("ab").is_err());
        assert_eq!(
            Username::parse("a b c").unwrap_err().problem.code(),
            "char_not_allowed"
        );
        assert!(NewPassword::parse("short").is_err());
        assert!(format!("{:?}", NewPassword::parse("long enough secret").unwrap()).contains("***"));
    }

    #[test]
    fn roles_parse_and_throttle_after_five() {
        assert_eq!(Role::parse("Owner").unwrap(), Role::Owner);
        assert!(Role::parse("king").is_err());
        assert!(!login_throttled(4));
        assert!(login_throttled(5));
    }
}
