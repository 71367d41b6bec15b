"""Response headers: nothing from another host, no referrer to other sites, no framing.

`same-origin`, not `no-referrer`: over HTTPS, Flask-WTF's CSRF check requires a same-site
Referer on every POST, while other sites still learn nothing of the page a reader came from.
"""

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

# On every response, the live poll's fast path included (live/fast_poll.py).
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is `Secure` whenever the request came over HTTPS (directly, or
    through the trusted proxy: see PROXY_COUNT), whatever SESSION_COOKIE_SECURE says."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    if app.config.get("PROXY_COUNT"):
        # Behind N reverse proxies: trust their X-Forwarded-* headers, so rate limits see
        # each client's address instead of the proxy's.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
