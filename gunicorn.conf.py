"""gunicorn's settings, read from the environment through the app's strict readers.

gthread workers: each worker process serves GUNICORN_THREADS requests at once, so a
slow client cannot hold a whole process (Caddy in front also buffers requests).
The access log names no client address and leaves out query strings (they can hold
search terms such as a person's name): method, path, status, size and time only.
"""

import os

from innovo_compliance.env import env_choice, env_int, env_str

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = env_int("GUNICORN_WORKERS", 2, minimum=1)
threads = env_int("GUNICORN_THREADS", 4, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=1)
graceful_timeout = 30  # `docker stop` (SIGTERM) lets requests in flight finish
keepalive = 5
# Recycle workers now and then: PDF rendering grows a process's memory over time.
max_requests = 1000
max_requests_jitter = 100
# No control socket: it would be written under $HOME, read-only in the container.
control_socket_disable = True
if os.path.isdir("/dev/shm"):  # noqa: S108 (a RAM disk for heartbeats, as gunicorn recommends)
    worker_tmp_dir = "/dev/shm"  # noqa: S108 (heartbeat files off the read-only root file system)

accesslog = "-"
if env_choice("LOG_FORMAT", "plain", ("plain", "json")) == "json":
    access_log_format = (
        '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
        '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}'
    )
else:
    access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
