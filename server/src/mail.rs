//! E-mail: through SMTP when `SMTP_URL` is set (reminders and digests become mail, and the
//! outbox is sent), else the outbox goes to the log. Both run in every instance; the
//! database hands each mail to exactly one of them.

use app::outbound::mail::notice_mail;
use app::sessions::{notice_text, series_shift};
use kring_db::{Audience, Db};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(
        "SMTP_URL is not a valid SMTP address (smtp://user:password@host:587?tls=required): {0}"
    )]
    Url(String),
    #[error("SMTP_FROM is not a valid sender, e.g. \"Kring <kring@example.org>\": {0}")]
    From(String),
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailConfigError::From(e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), Refusal> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to
                .parse()
                .map_err(|e: lettre::address::AddressError| Refusal::permanent(e.to_string()))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            // Quoted-printable keeps the text readable in any mail client's source view.
            .body(
                Body::new_with_encoding(body.to_owned(), ContentTransferEncoding::QuotedPrintable)
                    .map_err(|_| Refusal::permanent("the body could not be encoded".to_owned()))?,
            )
            .map_err(|e| Refusal::permanent(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Refusal {
                permanent: e.is_permanent(),
                reason: e.to_string(),
            })
    }
}

/// Why a mail did not go out: `permanent` when the server refused it for good (an
/// unknown mailbox, say), which marks an invitation it carried as bounced.
struct Refusal {
    permanent: bool,
    reason: String,
}

impl Refusal {
    fn permanent(reason: String) -> Refusal {
        Refusal {
            permanent: true,
            reason,
        }
    }
}

/// Turns due reminders and session changes into mail in each recipient's language
/// and zone, with the same sentence the app shows.
pub async fn queue_notice_mail(db: &Db, origin: &str) -> Result<(), kring_db::DbError> {
    let now = kring_db::now();
    for mail in db.notices_to_email().await? {
        let session = db
            .meeting(mail.notice.session_id, Audience::All, mail.language)
            .await?;
        let shift = match session.series_id {
            Some(series) if mail.notice.kind.is_reminder() => series_shift(
                &session,
                &db.series_starts(series).await?,
                &mail.time_zone,
                mail.language,
            ),
            _ => None,
        };
        let text = notice_text(
            &session,
            &mail.notice,
            shift.as_deref(),
            &mail.time_zone,
            mail.language,
            now,
        );
        let (subject, body) = notice_mail(&session, &mail.notice, &text, mail.language, origin);
        db.enqueue_notice_mail(&mail, &subject, &body).await?;
    }
    Ok(())
}

/// How long a notification waits for its reader in the app before it goes into an e-mail digest.
pub const DIGEST_AFTER_SECS: i64 = 15 * 60;

/// Puts one e-mail per person with unread notifications `written_before` in the outbox.
pub async fn queue_digest_mail(
    db: &Db,
    origin: &str,
    written_before: i64,
) -> Result<usize, kring_db::DbError> {
    let mut queued = 0;
    for digest in db.digests_due(written_before).await? {
        let (subject, body) = app::outbound::mail::digest_mail(&digest, origin);
        if db.enqueue_digest(&digest, &subject, &body).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Without SMTP: writes what waits in the outbox to the log, each mail once.
pub async fn print_outbox(db: &Db) -> Result<(), kring_db::DbError> {
    for mail in db.claim_mail(50).await? {
        // The recipient leads, so that whoever reads the log finds their own mail.
        tracing::info!(
            "e-mail to {} (no SMTP_URL, so printed here): {}\n{}",
            mail.recipient,
            mail.subject,
            mail.body
        );
        db.mark_mail_sent(mail.id).await?;
    }
    Ok(())
}

/// Sends what waits in the outbox; a failed mail is retried on a later round.
pub async fn send_outbox(db: &Db, mailer: &Mailer) -> Result<usize, kring_db::DbError> {
    let mut sent = 0;
    for mail in db.claim_mail(50).await? {
        match mailer
            .send(&mail.recipient, &mail.subject, &mail.body)
            .await
        {
            Ok(()) => {
                db.mark_mail_sent(mail.id).await?;
                sent += 1;
            }
            Err(refusal) => {
                let error = refusal.reason;
                tracing::warn!(%error, mail = mail.id, "could not send an e-mail; will retry");
                if refusal.permanent {
                    db.invitation_bounced(mail.id).await?;
                }
                db.mark_mail_failed(mail.id, &error).await?;
            }
        }
    }
    Ok(sent)
}
