"""What the staff tests share: the staff addresses, logging in, a report's code.

Status, steps, answer and note are one form on the case page: their "addresses" are the case's.
"""

from __future__ import annotations

from sqlalchemy import select

from .reports_helpers import UAI, receipt_codes, send

OTHER_UAI = "0750001A"
EMAIL = f"referent-{UAI.lower()}@example.org"
OTHER_EMAIL = f"referent-{OTHER_UAI.lower()}@example.org"
PASSWORD = "a long passphrase"
STAFF = {
    "fr": {"login": "/fr/etablissement/connexion", "logout": "/fr/etablissement/deconnexion",
           "dashboard": "/fr/etablissement/signalements",
           "case": "/fr/etablissement/signalements/{code}", "status": "",
           "steps": "", "notes": "", "reply": "",
           "alert": "/fr/etablissement/signalements/n/{id}",
           "evidence": "/captures/{id}", "dossier": "/dossier", "zip": "/dossier.zip",
           "purge": "/supprimer"},
    "en": {"login": "/en/school/login", "logout": "/en/school/logout",
           "dashboard": "/en/school/reports", "case": "/en/school/reports/{code}",
           "status": "", "steps": "", "notes": "", "reply": "",
           "alert": "/en/school/reports/n/{id}",
           "evidence": "/screenshots/{id}", "dossier": "/dossier", "zip": "/dossier.zip",
           "purge": "/delete"},
}


def url(name: str, code: str = "", lang: str = "fr", **values) -> str:
    paths = STAFF[lang]
    if name in ("login", "logout", "dashboard", "case"):
        return paths[name].format(code=code)
    if name == "alert":
        return paths[name].format(**values)
    return paths["case"].format(code=code) + paths[name].format(**values)


def log_in(client, email=EMAIL, password=PASSWORD, lang="fr"):
    return client.post(url("login", lang=lang), data={"email": email, "password": password})


def new_report(client, lang="fr", files=(), **changes) -> str:
    code, _secret = receipt_codes(send(client, lang, files=files, **changes))
    return code.replace("-", "")


def rows(app, model, *where) -> list:
    """The rows in the order they were written (PostgreSQL promises no order without one)."""
    with app.extensions["pont_sessionmaker"]() as session:
        return list(session.scalars(select(model).where(*where).order_by(
            *model.__table__.primary_key.columns)))
