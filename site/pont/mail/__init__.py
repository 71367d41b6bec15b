"""E-mail: an outbox table written in the caller's transaction, sent after the commit.

Nothing is lost when the mail server is down: a message stays in the outbox and is retried
with back-off until the server takes it (`flask --app pont mail send`, safe from cron and from
several processes at once). Messages are generic (a kind, a recipient, a subject, a text):
whoever queues one decides that it carries nothing sensitive.
"""
