//! Configuration: defaults, then a TOML file, then `HEADWAY_*` environment variables,
//! then command-line flags (figment).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://file.db` or `postgres://user:password@host/db`.
    pub database_url: String,
    /// `host:port` to listen on.
    pub listen: String,
    /// Mark cookies `Secure`; turn on when served over HTTPS.
    pub secure_cookies: bool,
    /// Database pool size per process.
    pub max_connections: u32,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// The register's rules (`[register]` in the TOML file).
    pub register: headway_domain::register::RegisterRules,
    /// `smtp://user:password@host:587` (STARTTLS) or `smtps://…`; without it, messages
    /// stay in the outbox, visible to administrators.
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    /// Seconds between runs of the background worker (status changes, reminders, mail).
    pub worker_interval_secs: u64,
    /// How long a server's claim on a background job (a round's search) holds without
    /// renewal: after a server dies, another takes its jobs over this much later.
    pub job_lease_secs: u64,
    /// The IANA time zone dates and times are shown in (`Europe/Amsterdam`, `Europe/Oslo`,
    /// `Europe/Ljubljana`: the same offsets today).
    pub time_zone: String,
    /// The installation's language (`en`, `nl`, `nb`, `sl`): mail to a person who has not
    /// signed in yet is written in it; after that, in the language they sign in with.
    pub language: String,
    /// The address people reach Headway at (`https://headway.example.org`): printed in
    /// certificates' verification links. Without it, the address a request came to.
    pub public_url: Option<String>,
    /// Days after a counselling session that the counsellor's confidential notes are kept;
    /// the worker deletes them after that.
    pub counselling_note_days: u32,
    /// Hours before an event's start that its confirmed participants are reminded (a week
    /// and a day by default); empty: no reminders.
    pub event_reminder_hours: Vec<u32>,
    /// The assessment's numbers and each indicator's limit, weight and least count
    /// (`[guidance]`; see `docs/indicators.md`).
    pub guidance: headway_domain::guidance::settings::GuidanceSettings,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://headway.db".into(),
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            max_connections: 16,
            session_idle_minutes: 8 * 60,
            log_format: "text".into(),
            register: headway_domain::register::RegisterRules::default(),
            smtp_url: None,
            mail_from: "Headway <no-reply@headway.invalid>".into(),
            worker_interval_secs: 300,
            job_lease_secs: 30,
            time_zone: "Europe/Amsterdam".into(),
            language: "en".into(),
            public_url: None,
            counselling_note_days: headway_domain::events::counselling::NOTE_RETENTION_DAYS,
            event_reminder_hours: headway_domain::events::reminders::DEFAULT_HOURS.to_vec(),
            guidance: Default::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "database_url",
                &headway_store::redact_url(&self.database_url),
            )
            .field("listen", &self.listen)
            .field("secure_cookies", &self.secure_cookies)
            .field("max_connections", &self.max_connections)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("log_format", &self.log_format)
            .field("register", &self.register)
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(headway_store::redact_url),
            )
            .field("mail_from", &self.mail_from)
            .field("worker_interval_secs", &self.worker_interval_secs)
            .field("job_lease_secs", &self.job_lease_secs)
            .field("time_zone", &self.time_zone)
            .field("language", &self.language)
            .field("public_url", &self.public_url)
            .field("counselling_note_days", &self.counselling_note_days)
            .field("event_reminder_hours", &self.event_reminder_hours)
            .field("guidance", &self.guidance)
            .finish()
    }
}

/// Flags that override the file and the environment.
#[derive(Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

impl Config {
    /// `file` is read when given (and must exist), else `headway.toml` when present.
    pub fn load(
        file: Option<&Path>,
        defaults: Config,
        overrides: Overrides,
    ) -> Result<Config, Box<figment::Error>> {
        let mut fig = Figment::from(Serialized::defaults(defaults));
        match file {
            Some(f) => {
                if !f.exists() {
                    return Err(Box::new(figment::Error::from(format!(
                        "config file {} does not exist",
                        f.display()
                    ))));
                }
                fig = fig.merge(Toml::file(f));
            }
            None => fig = fig.merge(Toml::file("headway.toml")),
        }
        fig.merge(Env::prefixed("HEADWAY_").ignore(&["log"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // figment's Jail fixes the closure's error type.
    #[allow(clippy::result_large_err)]
    fn layers_and_redacts() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "h.toml",
                "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://u:pw@db/x\"",
            )?;
            jail.set_env("HEADWAY_MAX_CONNECTIONS", "4");
            let c = Config::load(
                Some(Path::new("h.toml")),
                Config::default(),
                Overrides::default(),
            )
            .map_err(|e| *e)?;
            assert_eq!(c.listen, "0.0.0.0:9000");
            assert_eq!(c.max_connections, 4);
            assert!(!format!("{c:?}").contains("pw"));
            let c = Config::load(
                Some(Path::new("h.toml")),
                Config::default(),
                Overrides {
                    listen: Some("127.0.0.1:1".into()),
                    database_url: None,
                },
            )
            .map_err(|e| *e)?;
            assert_eq!(c.listen, "127.0.0.1:1");
            assert!(Config::load(
                Some(Path::new("missing.toml")),
                Config::default(),
                Overrides::default()
            )
            .is_err());
            Ok(())
        });
    }
}
