"""Anonymous quiz statistics: counters, nothing that could identify a pupil.

Keyed on the module's audience and slug and on question and option ids, which are the same in
every language, so French and English answers add up together.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class OptionCount(Base):
    """How many submissions chose this option."""

    __tablename__ = "quiz_option_counts"

    audience: Mapped[str] = mapped_column(String(16), primary_key=True)
    module: Mapped[str] = mapped_column(String(80), primary_key=True)
    question: Mapped[str] = mapped_column(String(80), primary_key=True)
    option: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class QuestionCount(Base):
    """How many submissions answered this question, and how many got it right."""

    __tablename__ = "quiz_question_counts"

    audience: Mapped[str] = mapped_column(String(16), primary_key=True)
    module: Mapped[str] = mapped_column(String(80), primary_key=True)
    question: Mapped[str] = mapped_column(String(80), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    right: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
