//! Accounts and the roles that decide what a user may do.

use crate::directory::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A signed-in user's role. The anonymous public has no account and no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Coordinator,
    Advisor,
    Owner,
    Leader,
    /// Staff of a provider of professional development, who maintain its offers.
    Provider,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Advisor,
        Role::Owner,
        Role::Leader,
        Role::Provider,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Advisor => "advisor",
            Role::Owner => "owner",
            Role::Leader => "leader",
            Role::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseError {
                what: "role",
                value: s.to_owned(),
                expected: Role::ALL.map(Role::code).join(", "),
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A login name: 3–64 characters of `a-z 0-9 . _ -`, stored lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim().to_lowercase();
        if !(3..=64).contains(&t.chars().count()) {
            return Err("a username has 3 to 64 characters".into());
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
        {
            return Err(format!("a username may not contain `{c}`"));
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
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.chars().count() {
            n if n < 10 => Err("a password has at least 10 characters".into()),
            n if n > 1024 => Err("a password has at most 1024 characters".into()),
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
        assert!(Username::parse("a b c").unwrap_err().contains('`'));
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
