"""Every table, gathered so that Alembic sees the whole schema."""

from .live.models import LiveAnswer, LiveSession, Participant  # noqa: F401
from .mail import models as mail_models  # noqa: F401
from .quizzes.models import OptionCount, QuestionCount  # noqa: F401
from .reports import models as report_models  # noqa: F401
from .staff import models as staff_models  # noqa: F401
