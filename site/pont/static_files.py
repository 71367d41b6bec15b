"""Static files under fingerprinted names (`pont.3f2a9c1b7d04.css`), cached for a year.

`url_for("static", filename="pont.css")` gives the name with a digest of the file's content,
computed when the app starts: a changed file gets a new name, so browsers and proxies may keep
each name forever (`Cache-Control: public, max-age=31536000, immutable`). Plain names still
work, revalidated on each use. nginx serves both straight from the folder with the same rule
(deploy/nginx/pont.conf). Under `flask run --debug` names stay plain, so edits show at once.

Text files (CSS, JavaScript, SVG) are also gzipped once at start and sent compressed to
browsers that accept it, as nginx does: the stylesheet alone is 38 KB as written and about a
quarter of that on the wire, which counts on a school's shared connection when gunicorn
serves the site alone.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, Response, request, send_from_directory

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".json"}


def fingerprinted_names(folder: Path) -> dict[str, str]:
    """Each file's name (relative to the folder) -> the same name with its digest."""
    names = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            name = path.relative_to(folder).as_posix()
            names[name] = str(Path(name).with_suffix(f".{digest}{path.suffix}").as_posix())
    return names


def init_app(app: Flask) -> None:
    if app.debug or not app.static_folder:
        return
    folder = Path(app.static_folder)
    names = fingerprinted_names(folder)
    originals = {fingerprinted: name for name, fingerprinted in names.items()}
    compressed = {name: gzip.compress((folder / name).read_bytes(), 9, mtime=0)
                  for name in names if Path(name).suffix in COMPRESSIBLE}

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    def static(filename: str):
        original = originals.get(filename)
        if original is None:
            return app.send_static_file(filename)
        if original in compressed and "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(compressed[original], mimetype=mimetypes.guess_type(original)[0])
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = send_from_directory(folder, original)
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response

    app.view_functions["static"] = static
