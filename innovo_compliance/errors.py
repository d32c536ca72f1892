"""Error reports without personal data: Sentry events and Django's mails to ADMINS.

A compliance app's requests carry exactly what must not leave it: report texts,
the names of people accused, receipt keys, and (for anonymous reporters) nothing
that identifies them. So an error report keeps the exception, its traceback and
the request's method and path, and drops the rest: the body, the query string,
cookies, headers, the client address, the user, and local variables.
"""

from __future__ import annotations

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED = "[removed]"
_META_KEPT = {"REQUEST_METHOD", "PATH_INFO", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "wsgi.url_scheme"}


class ScrubbingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's error mails (ADMINS) and technical 500 pages: settings are already
    cleansed by the parent; here also the request's parameters, its META (client
    address, user agent, cookies, query string) and every frame's local variables."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, REDACTED)

    def get_safe_request_meta(self, request):
        return {key: (value if key in _META_KEPT else REDACTED) for key, value in request.META.items()}

    def get_safe_cookies(self, request):
        return dict.fromkeys(request.COOKIES, REDACTED)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, REDACTED) for name in tb_frame.f_locals]


class ScrubbingExceptionReporter(ExceptionReporter):
    """The report's request section: method and path only (no query string, GET or
    FILES items, no user)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(key, REDACTED) for key in self.request.GET]
            data["request_FILES_items"] = [(key, REDACTED) for key in self.request.FILES]
            data["request_insecure_uri"] = f"{self.request.scheme}://[host]{self.request.path}"
        data["user_str"] = None
        return data


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's `before_send`: keep the exception and where it happened, no personal data."""
    request = event.pop("request", None)
    if request:
        kept = {"method": request.get("method"), "url": str(request.get("url") or "").split("?", 1)[0]}
        kept = {key: value for key, value in kept.items() if value}
        if kept:
            event["request"] = kept
    event.pop("user", None)
    event.pop("extra", None)
    for crumb in event.get("breadcrumbs", {}).get("values", []) if isinstance(event.get("breadcrumbs"), dict) else []:
        scrub_breadcrumb(crumb)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values", []):
        for frame in (thread.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict | None:
    """SQL and HTTP breadcrumbs may carry parameters and URLs with query strings;
    Redis and cache breadcrumbs carry keys (a session id is in the session's cache
    key): only the command is kept."""
    crumb.pop("data", None)
    if crumb.get("category") in ("redis", "cache") or crumb.get("type") == "redis":
        crumb["message"] = str(crumb.get("message") or "").split(" ", 1)[0]
    return crumb


def init_sentry(*, dsn: str, environment: str, transport=None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {}
    if transport is not None:  # tests
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No user, cookies, headers, bodies, query strings or frame variables are
        # collected; scrub_event removes whatever an integration adds anyway.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
