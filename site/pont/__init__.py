"""Pont: prevent, report and handle cyberbullying between pupils."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from . import db, i18n, keyfiles, production, request_log, security, static_files, templating
from .config import ROOT, Defaults, from_environment
from .extensions import babel, csrf, init_limiter
from .live import fast_poll
from .live.shared_pages import SharedPages


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("PONT_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
    )
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    production.init_app(app)
    ensure_secret_key(app)
    # The pupils' poll, answered before Flask: inside ProxyFix (added by security.init_app),
    # so that its rate limits see each client's address.
    fast_poll.init_app(app)

    register_extensions(app)
    register_reports(app)
    register_blueprints(app)
    register_commands(app)
    register_content(app)
    db.init_app(app)
    return app


def ensure_secret_key(app: Flask) -> None:
    """Use the configured key, or make one once and keep it in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    key = keyfiles.read_or_create(key_file, lambda: secrets.token_hex(32))
    app.config["SECRET_KEY"] = key.strip()


def register_extensions(app: Flask) -> None:
    translations = Path(app.config["TRANSLATIONS_DIR"])
    i18n.compile_catalogues(translations)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    babel.init_app(app, locale_selector=i18n.current_language)
    csrf.init_app(app)
    init_limiter(app)
    request_log.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    static_files.init_app(app)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.loopcontrols")


def register_reports(app: Flask) -> None:
    """Reports are encrypted at rest; the staff package decides who receives them."""
    from .reports import crypto, filing
    from .staff import alerts, cases, retention

    crypto.init_app(app)
    retention.check_config(app)
    filing.init_app(app, filing.Receivers(accepts=cases.has_reader,
                                          arrived=alerts.report_arrived))


def register_blueprints(app: Flask) -> None:
    from . import errors, health, help, pages
    from .content import views as content_views
    from .live import views as live_views
    from .quizzes import views as quiz_views
    from .reports import views as report_views
    from .schemas import bp as schemas_bp
    from .staff import account_views, statistics_views
    from .staff import views as staff_views

    app.register_blueprint(health.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(help.bp)
    app.register_blueprint(content_views.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(report_views.bp)
    app.register_blueprint(live_views.bp)
    app.extensions["pont_live_pages"] = SharedPages()
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(statistics_views.bp)
    app.register_blueprint(schemas_bp)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Every `flask --app pont …` group (live sessions bring theirs with their blueprint)."""
    from .content.checker import content_cli
    from .export import export_command
    from .mail.cli import mail_cli
    from .reports.cli import reports_cli, schools_cli
    from .staff.cli import staff_cli

    for group in (db.db_cli, content_cli, export_command, schools_cli, reports_cli, staff_cli,
                  mail_cli):
        app.cli.add_command(group)


def register_content(app: Flask) -> None:
    from .content import views as content_views

    content_views.init_app(app)
