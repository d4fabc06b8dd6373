//! The background worker: moves register statuses forward, queues reminders (in each
//! recipient's language) and reminders before events, deletes counselling notes past their
//! keeping date, asks and reminds the respondents of open survey waves, and sends
//! the outbox by SMTP when configured. Every server may run it; each step is idempotent.

use crate::config::Config;
use headway_store::events::counselling::Counselling;
use headway_store::events::EventReminders;
use headway_store::feedback::FeedbackOutreach;
use headway_store::outbox::Outbox;
use headway_store::register::RegisterWorker;
use headway_store::Store;
use headway_web::ui::mail::FluentLetters;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// `letters` writes reminders in each recipient's language.
pub async fn run(cfg: Config, store: Store, letters: FluentLetters) {
    let mailer =
        cfg.smtp_url.as_deref().and_then(
            |url| match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
                Ok(b) => Some(b.build()),
                Err(e) => {
                    tracing::error!(error = %e, "smtp_url is not usable; mail stays in the outbox");
                    None
                }
            },
        );
    let from: Option<Mailbox> = cfg.mail_from.parse().ok();
    let mut every = tokio::time::interval(Duration::from_secs(cfg.worker_interval_secs.max(5)));
    loop {
        every.tick().await;
        let today = chrono::Utc::now().date_naive();
        match store.register_tick(today, &cfg.register, &letters).await {
            Ok(r) if r.status_changes + r.reminders > 0 => {
                tracing::info!(
                    status_changes = r.status_changes,
                    reminders = r.reminders,
                    "register worker"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "register worker failed"),
        }
        // Reminders before events: deduplicated by key, so any server may queue them.
        match store
            .remind_participants(chrono::Utc::now(), &cfg.event_reminder_hours, &letters)
            .await
        {
            Ok(n) if n > 0 => tracing::info!(queued = n, "event reminders"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "event reminders failed"),
        }
        // Counselling notes past their keeping date go; idempotent, so any server may.
        match store.purge_counselling_notes(today).await {
            Ok(n) if n > 0 => tracing::info!(deleted = n, "counselling notes past their date"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "deleting old counselling notes failed"),
        }
        // Survey waves: ask their participants as they open, remind those who have not
        // answered. Letters are deduplicated by key, reminders counted: any server may.
        match store.feedback_tick(today, &letters).await {
            Ok(t) if t.asked + t.reminders > 0 => tracing::info!(
                asked = t.asked,
                invitations = t.invitations,
                reminders = t.reminders,
                "survey waves"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "survey waves failed"),
        }
        if let (Some(m), Some(from)) = (&mailer, &from) {
            send_outbox(&store, m, from).await;
        }
    }
}

async fn send_outbox(store: &Store, mailer: &AsyncSmtpTransport<Tokio1Executor>, from: &Mailbox) {
    let Ok(batch) = store.outbox_unsent(100).await else {
        return;
    };
    for msg in batch {
        let result = match msg.recipient.parse::<Mailbox>() {
            Ok(to) => match Message::builder()
                .from(from.clone())
                .to(to)
                .subject(msg.subject.clone())
                .body(msg.body.clone())
            {
                Ok(email) => mailer
                    .send(email)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(format!("recipient: {e}")),
        };
        let _ = store.outbox_mark(msg.id, result.err()).await;
    }
}
