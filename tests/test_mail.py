"""E-mail alerts through the outbox, with a real SMTP server on 127.0.0.1: what arrives, what
never does (report content), a server that is down, drops the connection or bounces, two
senders at once, and the escalation clock (set, never slept on)."""

from __future__ import annotations

import datetime
import email
import email.policy
import logging
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from pont import clock, create_app
from pont.mail import outbox
from pont.mail.models import OutboxMessage
from pont.reports.models import Report, School
from pont.staff.models import Referent

from .reports_helpers import (
    ANSWERS,
    PATHS,
    add_school,
    limiter_off_fixture,  # noqa: F401
    receipt_codes,
    send,
    text_of,
)
from .staff_helpers import EMAIL, log_in, url

PUBLIC = "https://pont.example.fr"
SECOND = "cpe-tilleuls@example.org"
BOUNCE = "gone@example.org"


class Inbox:
    """What the server received, and how it should answer: `refuse`, 421 to every DATA;
    `drop_after`, once that many messages are in, take the next one and drop the connection
    without answering."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.refuse = False
        self.drop_after: int | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == BOUNCE:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "421 4.3.0 Try again later, closing"
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            server.transport.close()
            return None
        self.envelopes.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A real SMTP server that can be stopped and started again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, app_config, smtp_server):
    """The shared database, with alerts sent to the test server."""
    mailing = create_app({**app_config, "MAIL_SERVER": "127.0.0.1",
                          "MAIL_PORT": smtp_server.port, "MAIL_FROM": "pont@example.fr",
                          "MAIL_TIMEOUT": 5, "PUBLIC_URL": PUBLIC})
    add_school(mailing)
    with mailing.extensions["pont_sessionmaker"]() as session:
        school = session.scalars(select(School)).one()
        session.add_all([Referent(school=school, email=SECOND, password_hash="x"),
                         Referent(school=school, email="left@example.org", password_hash="x",
                                  active=False)])
        session.commit()
    yield mailing
    mailing.extensions["pont_engine"].dispose()


@pytest.fixture(autouse=True)
def _clock_runs():
    yield
    clock.set(None)


def finished(response):
    """Close the response as a WSGI server does once it is sent: queued mail goes then."""
    response.close()
    return response


def outbox_rows(app) -> list[OutboxMessage]:
    with app.extensions["pont_sessionmaker"]() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def queue_tests(app, numbers) -> None:
    """Messages "Test <n>" to r<n>@example.org, queued and committed."""
    with app.app_context(), app.extensions["pont_sessionmaker"]() as session:
        for number in numbers:
            outbox.queue(session, "test", f"r{number}@example.org", f"Test {number}", "x")
        session.commit()


def send_due(app) -> outbox.Sent:
    with app.app_context():
        return outbox.send_due(app.extensions["pont_sessionmaker"])


def later(minutes: float) -> None:
    clock.set((clock.utcnow()) + datetime.timedelta(minutes=minutes))


def the_report(app) -> Report:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalars(select(Report)).one()


# What an alert says, and what it never says ----------------------------------------------


def test_a_report_alerts_every_active_referent_with_nothing_of_its_content(mail_app,
                                                                           smtp_server):
    client = mail_app.test_client()
    response = finished(send(client, "fr", danger="yes", contact="email",
                             contact_value="parent@example.net"))
    assert response.status_code == 200
    code, secret = receipt_codes(response)
    report = the_report(mail_app)
    inbox = smtp_server.inbox
    assert sorted(rcpt for rcpts in inbox.envelopes for rcpt in rcpts) == sorted([EMAIL, SECOND])
    message = inbox.messages[0]
    assert message["From"] == "pont@example.fr" and message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"].startswith("URGENT : nouveau signalement")
    assert "URGENT: new report" in message["Subject"]
    body = message.get_content()
    assert "Collège des Tilleuls (Paris)" in body
    assert "quelqu'un est en danger en ce moment" in body and "in danger right now" in body
    assert f"{PUBLIC}/fr/etablissement/signalements/n/{report.id}" in body
    raw = message.as_string()
    for secret_part in (ANSWERS["description"], ANSWERS["place_detail"], "parent@example.net",
                        code, code.replace("-", ""), secret, secret.replace("-", ""),
                        "snapchat"):
        assert secret_part not in raw, secret_part
    assert all(row.sent_at is not None for row in outbox_rows(mail_app))


def test_an_urgent_subject_only_when_someone_may_be_in_danger(mail_app, smtp_server):
    finished(send(mail_app.test_client(), "en", danger="no"))
    subject = smtp_server.inbox.messages[0]["Subject"]
    assert subject.startswith("Nouveau signalement – Collège des Tilleuls")
    assert "URGENT" not in subject


def test_a_reporter_message_alerts_the_referents_too(mail_app, smtp_server):
    client = mail_app.test_client()
    code, secret = receipt_codes(finished(send(client, "fr")))
    response = finished(client.post(PATHS["fr"]["add"], data={
        "code": code, "secret": secret, "message": "Ça a recommencé ce soir."},
        content_type="multipart/form-data"))
    assert response.status_code == 200
    kinds = [row.kind for row in outbox_rows(mail_app)]
    assert kinds == ["report_alert", "report_alert", "message_alert", "message_alert"]
    last = smtp_server.inbox.messages[-1]
    assert last["Subject"].startswith("Nouveau message sur un dossier")
    assert "recommencé" not in last.as_string()


def test_the_alert_link_leads_through_the_login_to_the_case(mail_app, smtp_server):
    client = mail_app.test_client()
    finished(send(client, "fr"))
    report = the_report(mail_app)
    link = url("alert", id=report.id)
    assert smtp_server.inbox.messages[0].get_content().count(PUBLIC + link) == 2
    first = client.get(link)
    assert first.status_code == 303 and "/connexion?next=" in first.headers["Location"]
    assert log_in(client).status_code == 303
    opened = client.get(link)
    assert opened.headers["Location"].endswith(url("case", report.code))
    assert client.get(url("alert", id=report.id + 1000)).status_code == 404


# The outbox survives the mail server -----------------------------------------------------


def test_a_report_is_stored_and_its_alert_kept_while_the_server_is_down(mail_app,
                                                                         smtp_server, caplog):
    smtp_server.stop()
    clock.set(datetime.datetime(2026, 12, 1, 9, 0))
    response = finished(send(mail_app.test_client(), "fr"))
    assert response.status_code == 200 and receipt_codes(response)
    rows = outbox_rows(mail_app)
    assert len(rows) == 2 and all(row.sent_at is None and row.attempts == 1 for row in rows)
    assert all(row.due_at == clock.utcnow() + outbox.BACKOFF[0] for row in rows)
    assert "server unavailable" in caplog.text
    assert ANSWERS["description"] not in caplog.text
    # Not due yet: nothing is tried.
    assert send_due(mail_app) == outbox.Sent()
    smtp_server.start()
    later(1)
    assert send_due(mail_app).sent == 2
    assert len(smtp_server.inbox.messages) == 2
    later(60)
    assert send_due(mail_app) == outbox.Sent()
    assert len(smtp_server.inbox.messages) == 2


def test_a_server_that_refuses_mid_run_gets_the_rest_later_with_longer_waits(mail_app,
                                                                            smtp_server):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0))
    smtp_server.inbox.refuse = True
    finished(send(mail_app.test_client(), "fr"))
    assert smtp_server.inbox.messages == []
    waits = []
    for _attempt in range(3):
        row = outbox_rows(mail_app)[0]
        waits.append(row.due_at - clock.utcnow())
        clock.set(row.due_at)
        assert send_due(mail_app).retry == 2
    assert waits == list(outbox.BACKOFF[:3])
    assert outbox_rows(mail_app)[0].last_error == "SMTPDataError 421"
    smtp_server.inbox.refuse = False
    clock.set(outbox_rows(mail_app)[0].due_at)
    assert send_due(mail_app).sent == 2
    assert sorted(r for rcpts in smtp_server.inbox.envelopes for r in rcpts) == sorted(
        [EMAIL, SECOND])


def test_the_server_stopped_between_two_messages(mail_app, smtp_server):
    queue_tests(mail_app, range(3))
    assert send_due(mail_app).sent == 3
    queue_tests(mail_app, [3])
    smtp_server.stop()
    assert send_due(mail_app).retry == 1
    smtp_server.start()
    later(1)
    assert send_due(mail_app).sent == 1
    assert [m["Subject"] for m in smtp_server.inbox.messages] == [
        "Test 0", "Test 1", "Test 2", "Test 3"]


def test_a_server_that_drops_the_connection_mid_run_loses_nothing_and_sends_once(mail_app,
                                                                                 smtp_server):
    queue_tests(mail_app, range(4))
    smtp_server.inbox.drop_after = 1
    assert send_due(mail_app) == outbox.Sent(sent=1, retry=3)
    attempts = {row.subject: row.attempts for row in outbox_rows(mail_app)}
    # The message the server dropped counts a failed attempt; those never tried do not.
    assert attempts == {"Test 0": 1, "Test 1": 1, "Test 2": 0, "Test 3": 0}
    smtp_server.inbox.drop_after = None
    later(1)
    assert send_due(mail_app).sent == 3
    assert [m["Subject"] for m in smtp_server.inbox.messages] == [
        "Test 0", "Test 1", "Test 2", "Test 3"]


def test_an_address_that_bounces_is_logged_and_never_retried(mail_app, smtp_server, caplog):
    with mail_app.extensions["pont_sessionmaker"]() as session:
        session.execute(update(Referent).where(Referent.email == SECOND).values(email=BOUNCE))
        session.commit()
    finished(send(mail_app.test_client(), "fr"))
    rows = {row.recipient: row for row in outbox_rows(mail_app)}
    assert rows[EMAIL].sent_at is not None
    assert rows[BOUNCE].failed_at is not None and rows[BOUNCE].sent_at is None
    assert rows[BOUNCE].last_error == "SMTPRecipientsRefused 550"
    assert f"to {BOUNCE} refused for good: SMTPRecipientsRefused 550" in caplog.text
    later(24 * 60)
    assert send_due(mail_app) == outbox.Sent()


def test_two_senders_at_once_send_each_message_once(mail_app, smtp_server):
    queue_tests(mail_app, range(30))
    results = []
    senders = [threading.Thread(target=lambda: results.append(send_due(mail_app)))
               for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    subjects = [message["Subject"] for message in smtp_server.inbox.messages]
    assert sorted(subjects) == sorted(f"Test {number}" for number in range(30))
    assert sum(result.sent for result in results) == 30


def test_the_send_command_reports_what_it_did(mail_app, smtp_server):
    queue_tests(mail_app, [0])
    result = mail_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to try again later, 0 refused for good." in result.output


# Without a mail server -------------------------------------------------------------------


def test_without_a_server_alerts_go_to_the_log_and_staff_pages_say_so(app, client, caplog):
    add_school(app)
    caplog.set_level(logging.INFO)
    finished(send(client, "fr"))
    rows = outbox_rows(app)
    assert len(rows) == 1 and rows[0].sent_at is not None
    assert f"report_alert) sent to {EMAIL} (log only)" in caplog.text
    assert ANSWERS["description"] not in caplog.text
    log_in(client)
    page = text_of(client.get(url("dashboard")))
    assert "Les alertes par e-mail sont désactivées" in page


# Escalation ------------------------------------------------------------------------------


def remind(app) -> str:
    result = app.test_cli_runner().invoke(args=["staff", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(("danger", "hours"), [("no", 48), ("unsure", 4), ("yes", 4)])
def test_a_report_nobody_opened_sends_one_reminder(mail_app, smtp_server, danger, hours):
    start = datetime.datetime(2026, 12, 1, 8, 0)
    clock.set(start)
    finished(send(mail_app.test_client(), "fr", danger=danger))
    clock.set(start + datetime.timedelta(hours=hours, minutes=-1))
    assert remind(mail_app) == "0 reminder(s) queued.\n"
    clock.set(start + datetime.timedelta(hours=hours, minutes=1))
    assert remind(mail_app) == "2 reminder(s) queued.\n"
    assert remind(mail_app) == "0 reminder(s) queued.\n"
    send_due(mail_app)
    reminders = [m for m in smtp_server.inbox.messages if m["Subject"].startswith("Rappel")]
    assert len(reminders) == 2
    assert "n'a encore été ouvert par aucun référent" in reminders[0].get_content()


def test_no_reminder_once_a_referent_opened_the_case(mail_app, smtp_server):
    start = datetime.datetime(2026, 12, 1, 8, 0)
    clock.set(start)
    client = mail_app.test_client()
    finished(send(client, "fr"))
    clock.set(start + datetime.timedelta(hours=3))
    log_in(client)
    page = text_of(client.get(url("dashboard")))
    assert "pas encore ouvert, en attente depuis 3 heures" in page
    client.get(url("case", the_report(mail_app).code))
    page = text_of(client.get(url("dashboard")))
    assert "pas encore ouvert" not in page
    clock.set(start + datetime.timedelta(hours=100))
    assert remind(mail_app) == "0 reminder(s) queued.\n"


def test_a_school_without_an_active_referent_is_logged_without_content(app, caplog):
    add_school(app)
    with app.extensions["pont_sessionmaker"]() as session:
        session.execute(update(Referent).values(active=False))
        session.commit()
        report = Report(school_id=session.scalars(select(School)).one().id, code="ABCDEFGHJK",
                        secret_hash="x", submission_digest="d" * 64, danger="no",
                        language="fr", answers=b"x")
        session.add(report)
        session.commit()
        clock.set(report.created_at + datetime.timedelta(hours=49))
    assert remind(app) == "0 reminder(s) queued.\n"
    assert "its school has no active referent" in caplog.text
    assert outbox_rows(app) == []
