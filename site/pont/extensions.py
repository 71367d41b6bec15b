"""Flask extensions, created unbound and bound to the app in the factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# No default limit: each endpoint that can be abused declares its own.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
