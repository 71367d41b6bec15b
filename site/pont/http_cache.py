"""Pages that depend only on their URL: rendered once, then served from memory with an ETag.

A module page is the same bytes for every reader, so the second request costs about what a
static file costs: a dictionary look-up, and a 304 when the browser already has it.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import wraps

from flask import Response, current_app, request


def cached_page(view):
    @wraps(view)
    def wrapper(**kwargs):
        cache = current_app.extensions.setdefault("pont_pages", {})
        key = (request.endpoint, tuple(sorted(kwargs.items())))
        entry = cache.get(key)
        if entry is None:
            body = view(**kwargs).encode("utf-8")
            etag = hashlib.sha256(body).hexdigest()[:32]
            entry = cache[key] = (body, gzip.compress(body, 6, mtime=0), etag)
        body, compressed, etag = entry
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(compressed, mimetype="text/html")
            response.headers["Content-Encoding"] = "gzip"
            response.set_etag(etag + "-gz")
        else:
            response = Response(body, mimetype="text/html")
            response.set_etag(etag)
        response.headers["Vary"] = "Accept-Encoding"
        response.cache_control.no_cache = True
        return response.make_conditional(request)

    wrapper.depends_only_on_url = True  # so `flask export` can write it as a file
    return wrapper
