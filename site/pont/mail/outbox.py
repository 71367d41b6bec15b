"""Queue a message in the caller's transaction; send what is due, once, whatever happens.

A sender claims each due row with a conditional UPDATE (only a row nobody holds, or whose
holder's claim has run out), so two processes never send the same message. A message the
server refuses for a while (4xx, connection lost, server down) is tried again later, each
wait longer than the last; one it refuses for good (5xx: an address that bounces) is marked
failed and logged. Log lines name the message's id, kind and recipient, never its text.
"""

from __future__ import annotations

import datetime
import secrets
import smtplib
from dataclasses import dataclass

from flask import after_this_request, current_app, g, has_request_context
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from . import smtp
from .models import OutboxMessage

# Waits after the 1st, 2nd, … failure; the last one repeats.
BACKOFF = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
# How long a sender may hold a message before another may take it over.
CLAIM = datetime.timedelta(minutes=5)
BATCH = 50


def queue(db: Session, kind: str, recipient: str, subject: str, body: str,
          once_key: str | None = None) -> OutboxMessage | None:
    """Add a message to the caller's transaction; it is sent after the caller commits.

    With `once_key`, a message already queued under that key is not queued again (None);
    two processes queueing the same key at once make the second commit fail on the unique
    key, which the caller treats as "already queued".
    """
    if once_key is not None and db.scalar(
            select(OutboxMessage.id).where(OutboxMessage.once_key == once_key)) is not None:
        return None
    message = OutboxMessage(kind=kind, recipient=recipient, subject=subject[:200], body=body,
                            once_key=once_key, due_at=utcnow())
    db.add(message)
    if has_request_context() and not g.get("mail_after_response"):
        g.mail_after_response = True
        after_this_request(_send_when_closed)
    return message


def _send_when_closed(response):
    """Send what is due once the response has gone: the page never waits for the server."""
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            send_due(app.extensions["pont_sessionmaker"])

    response.call_on_close(send)
    return response


@dataclass
class Sent:
    sent: int = 0
    retry: int = 0
    failed: int = 0


def claim(db: Session, sender: str) -> list[OutboxMessage]:
    """Take the due messages nobody else holds, one conditional UPDATE each."""
    now = utcnow()
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    waiting = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.due_at <= now)
    ids = db.scalars(select(OutboxMessage.id).where(*waiting, free)
                     .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(BATCH)).all()
    taken = []
    for message_id in ids:
        done = db.execute(update(OutboxMessage)
                          .where(OutboxMessage.id == message_id, *waiting, free)
                          .values(claimed_by=sender, claimed_until=now + CLAIM)).rowcount
        if done == 1:
            taken.append(message_id)
    db.commit()
    if not taken:
        return []
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(taken))
                           .order_by(OutboxMessage.id)))


def send_due(sessionmaker) -> Sent:
    """Send every message due now; what fails waits for a later run."""
    result = Sent()
    sender = secrets.token_hex(8)
    with sessionmaker() as db:
        messages = claim(db, sender)
        if not messages:
            return result
        log = current_app.logger
        try:
            connection = smtp.connect()
        except (OSError, smtplib.SMTPException) as error:
            for message in messages:
                postpone(db, message, sender, error)
            db.commit()
            log.warning("mail: server unavailable (%s), %d message(s) wait",
                        smtp.describe(error), len(messages))
            result.retry = len(messages)
            return result
        with connection:
            for message in messages:
                try:
                    connection.send(message)
                except (OSError, smtplib.SMTPException) as error:
                    if smtp.is_permanent(error):
                        finish(db, message, sender, failed=True, error=error)
                        log.error("mail: message %d (%s) to %s refused for good: %s",
                                  message.id, message.kind, message.recipient,
                                  smtp.describe(error))
                        result.failed += 1
                    else:
                        postpone(db, message, sender, error)
                        log.warning("mail: message %d (%s) to %s not sent (%s), retry at %s",
                                    message.id, message.kind, message.recipient,
                                    smtp.describe(error), message.due_at.isoformat())
                        result.retry += 1
                    db.commit()
                    if smtp.is_broken(error):
                        # The connection is gone: the rest waits for the next run.
                        rest = [m for m in messages if m.id > message.id]
                        for other in rest:
                            postpone(db, other, sender, error, count=False)
                        db.commit()
                        result.retry += len(rest)
                        return result
                    continue
                finish(db, message, sender)
                db.commit()
                log.info("mail: message %d (%s) sent to %s%s", message.id, message.kind,
                         message.recipient, "" if smtp.configured() else " (log only)")
                result.sent += 1
    return result


def postpone(db: Session, message: OutboxMessage, sender: str, error: Exception,
             count: bool = True) -> None:
    attempts = message.attempts + 1 if count else message.attempts
    wait = BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]
    db.execute(update(OutboxMessage).where(OutboxMessage.id == message.id,
                                           OutboxMessage.claimed_by == sender)
               .values(attempts=attempts, due_at=utcnow() + wait, claimed_by=None,
                       claimed_until=None, last_error=smtp.describe(error)[:200]))
    message.due_at = utcnow() + wait


def finish(db: Session, message: OutboxMessage, sender: str, failed: bool = False,
           error: Exception | None = None) -> None:
    now = utcnow()
    values = {"failed_at": now, "last_error": smtp.describe(error)[:200]} if failed \
        else {"sent_at": now}
    db.execute(update(OutboxMessage).where(OutboxMessage.id == message.id,
                                           OutboxMessage.claimed_by == sender)
               .values(attempts=message.attempts + 1, claimed_until=None, **values))
