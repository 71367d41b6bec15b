"""The statistics page and its CSV export: counts only (see `statistics`)."""

from __future__ import annotations

from babel.dates import format_timedelta
from flask import Blueprint, Response, render_template, request

from ..db import get_session
from ..i18n import current_language, localized_route
from . import audit, cases, statistics
from .account_views import guard
from .auth import login_required
from .models import Referent

bp = Blueprint("staff_statistics", __name__)
guard(bp)


def chosen_board(referent: Referent) -> tuple[statistics.Board, list, str, int]:
    """The figures for `?school=UAI` (one of the account's schools), or for all of them; a
    school that is not one of them is a 400 with every school shown."""
    db = get_session()
    schools = cases.schools_of(db, referent)
    wanted = request.args.get("school", "").strip().upper()[:8]
    school = next((school for school in schools if school.uai == wanted), None)
    status = 400 if wanted and school is None else 200
    return (statistics.board(db, referent, only=school), schools,
            school.uai if school else "", status)


def duration(value) -> str | None:
    if value is None:
        return None
    return format_timedelta(value, threshold=1.5, locale=current_language())


@login_required
def page(lang: str, referent: Referent):
    found, schools, wanted, status = chosen_board(referent)
    db = get_session()
    audit.record(db, "statistics", referent, detail=wanted or None)
    db.commit()
    return render_template("staff/statistics.html", referent=referent, board=found,
                           schools=schools, wanted=wanted, unknown=status == 400,
                           counts=statistics.COUNTS, duration=duration), status


@login_required
def csv_file(lang: str, referent: Referent):
    found, _schools, wanted, status = chosen_board(referent)
    if status != 200:
        return page(lang=lang)
    db = get_session()
    audit.record(db, "statistics", referent, detail="csv")
    db.commit()
    name = f"statistics-{wanted or 'all'}.csv"
    return Response(statistics.csv_text(found), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


localized_route(bp, "/{school}/{statistics}", page)
localized_route(bp, "/{school}/{statistics}.csv", csv_file)
