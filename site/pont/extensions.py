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
    """Bind the process's one limiter to `app`, as if it were new.

    Flask-Limiter keeps on the limiter object, not per app, the key prefix it read from the
    first app's config and whether its storage was found down (then it stays on its in-memory
    fallback). A process serves one app in production; the tests build many, and a new app
    must not inherit the last one's prefix or its "Redis is down".
    """
    limiter._key_prefix = ""
    limiter._storage_dead = False
    limiter.init_app(app)
