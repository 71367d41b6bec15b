"""Pont plus one route that serves files from BENCH_STATIC_DIR: the static baseline."""

import os

from flask import send_from_directory

from pont import create_app

app = create_app()
app.add_url_rule(
    "/bench-static/<path:name>",
    "bench_static",
    lambda name: send_from_directory(os.environ["BENCH_STATIC_DIR"], name),
)
