"""Logs: JSON lines when LOG_FORMAT=json; gunicorn's access log without query strings
or client addresses in either format."""

import json
import logging
import runpy

from django.conf import settings

from innovo_compliance.logs import JsonFormatter


def test_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord("cases", logging.WARNING, __file__, 1, "case %s overdue", ("CASE-1",), None)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "cases" and entry["message"] == "case CASE-1 overdue"
    assert "\n" not in line


def test_json_formatter_keeps_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(JsonFormatter().format(record))["exception"]


def _gunicorn_conf(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_access_log_has_no_query_string_or_client_address(monkeypatch):
    for log_format in ("plain", "json"):
        conf = _gunicorn_conf(monkeypatch, LOG_FORMAT=log_format)
        access = conf["access_log_format"]
        assert "%(U)s" in access  # the path, without the query string
        for leak in ("%(r)s", "%(q)s", "%(h)s", "%(u)s", "%(a)s", "%(f)s", "X-Forwarded-For", "%({"):
            assert leak not in access, (log_format, leak)
    assert json.loads(conf["access_log_format"].replace("%(t)s", "t").replace("%(s)s", "200").replace("%(M)s", "3"))


def test_gunicorn_uses_gthread_workers_sized_by_env(monkeypatch):
    conf = _gunicorn_conf(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="8")
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("gthread", 3, 8)
