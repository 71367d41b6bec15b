"""gunicorn settings for Pont behind nginx (deploy/nginx/pont.conf).

Run as `gunicorn -c deploy/gunicorn.conf.py` from the repository (deploy/systemd/pont.service).

nginx buffers every request body before passing it on, so slow clients never hold a worker;
each worker still has a few threads, so a slow database query does not stall its other
requests. Each worker builds the app itself (no preload): migrations at start-up take a lock,
so one worker migrates while the others wait.
"""

import multiprocessing
import os

wsgi_app = "pont:create_app()"
# nginx talks to gunicorn over this socket (systemd's RuntimeDirectory creates /run/pont).
bind = os.environ.get("PONT_BIND", "unix:/run/pont/gunicorn.sock")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = 4
# A request that takes longer than this is a bug or a stuck database: the worker restarts.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (staggered), which bounds any slow memory growth.
max_requests = 5000
max_requests_jitter = 500
# Pont writes its own request log, without addresses or paths (see request_log.py).
accesslog = None
errorlog = "-"
loglevel = "info"
# Header limits as nginx's: anything larger is refused with a 4xx before it reaches the app.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
