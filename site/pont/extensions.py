"""Flask extensions, created unbound and bound to the app in the factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# No default limit: each endpoint that can be abused declares its own.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_limiter(app) -> None:
    """Bind the process's one limiter to `app`, with its storage presumed healthy.

    Flask-Limiter remembers on the limiter object, not per app, that its storage was found
    down and keeps using its in-memory fallback. A process serves one app in production; the
    tests build many, and a new app must not inherit the last one's "Redis is down".
    """
    limiter._storage_dead = False
    limiter.init_app(app)
