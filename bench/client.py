"""A small HTTP client on the standard library: one connection per request
(gunicorn's sync workers close each connection), cookies kept per client, the
CSRF token read from the cookie, and the timing of each request."""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

_HIDDEN_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float
    """Wall time from sending the request to the last byte of the body."""

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None else None

    @property
    def app_ms(self) -> float | None:
        value = self.headers.get("x-app-time-ms")
        return float(value) if value is not None else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def form_token(self) -> str | None:
        match = _HIDDEN_TOKEN.search(self.text)
        return match.group(1) if match else None


class LoginError(RuntimeError):
    pass


class Client:
    """One user agent: its own cookies (session, CSRF), one request at a time."""

    def __init__(self, host: str, port: int, *, timeout: float = 60.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | list | None = None, *, extra: dict[str, str] | None = None
    ) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "innovo-bench", "Accept": "text/html"}
        headers.update(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            payload = raw.read()
            elapsed = (time.perf_counter() - started) * 1000
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for value in raw.headers.get_all("Set-Cookie") or []:
                self._remember(value)
        finally:
            connection.close()
        return Response(raw.status, response_headers, payload, elapsed)

    def _remember(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, *, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, extra=headers)

    def post(self, path: str, data: dict | list, *, token: str | None = None) -> Response:
        """POST a form with the CSRF token (the hidden input's, or the cookie's)."""
        token = token or self.cookies.get("csrftoken", "")
        if isinstance(data, dict):
            data = {**data, "csrfmiddlewaretoken": token}
        else:
            data = [*data, ("csrfmiddlewaretoken", token)]
        return self.request("POST", path, data)

    def login(self, username: str, password: str, *, path: str = "/accounts/login/") -> None:
        page = self.get(path)
        token = page.form_token()
        if page.status != 200 or not token:
            raise LoginError(f"GET {path} answered {page.status} without a CSRF token")
        done = self.post(path, {"username": username, "password": password, "next": "/"}, token=token)
        if done.status != 302 or "sessionid" not in self.cookies:
            raise LoginError(f"Logging in as {username} failed: {done.status}")
