"""Every table, gathered so that Alembic sees the whole schema."""

from .quizzes.models import OptionCount, QuestionCount  # noqa: F401
