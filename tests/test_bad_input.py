"""Finding 12 of issue 9: bad input is a 400 with a message, never a 500.

The invariant test walks every URL pattern of the project (resolved from the
URLconf, so a new page is covered the day it is added), fills its path
parameters with existing ids and with hostile values (beyond the database's
bigint, NUL, very long), and requests it as an anonymous visitor, an employee
and the compliance officer (the administrator too for the admin's pages), with
GET and POST, with hostile values in every query parameter the code reads and
in every field of every form the pages show: NUL, 100,000 characters, 10**40,
"2026-13-45" and a lone surrogate (as the UTF-8 bytes a client would send).
No response may be a 500.
"""

from __future__ import annotations

import logging
import re
import socket
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern, URLResolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from approvals.forms import FORMS
from cases.models import Attachment, Case, SavedFilter
from cases.services import Upload, hold_create
from certifications.models import Campaign, ExportJob, Obligation
from innovo_compliance import uploads
from innovo_compliance.uploads import MAX_FILE_BYTES, MB, CappedUploadHandler
from tests.approvals.factories import filing, gift_facts
from tests.cases.factories import report

pytestmark = pytest.mark.django_db

# Already percent-encoded, as they travel in a query string or a form body.
HOSTILE = {
    "nul": "%00",
    "long": "x" * 100_000,
    "huge": str(10**40),
    "date": "2026-13-45",
    "surrogate": "%ED%A0%80",  # U+D800 as a client would encode it (not valid UTF-8)
}
HOSTILE_PATH = {
    "int": [str(2**63), str(10**40)],  # just past bigint, and far past it
    "other": ["%00", "x" * 5000, "%ED%A0%80"],
}
FORM_TYPE = "application/x-www-form-urlencoded"
BODY_LIMIT = 2_000_000  # stay under DATA_UPLOAD_MAX_MEMORY_SIZE, so forms see the values
ROOT = Path(settings.BASE_DIR)
APPS = ["cases", "approvals", "certifications", "people", "innovo_compliance"]


# --- What the code reads ------------------------------------------------------------


def query_names() -> set[str]:
    """Every request.GET name in the project's code."""
    names = {"page", "q", "next"}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?\(\s*[\"'](\w+)", text))
            names |= set(re.findall(r"request\.GET\[\s*[\"'](\w+)", text))
            names |= set(re.findall(r"[\"'](\w+)[\"']\s+(?:not\s+)?in\s+request\.GET", text))
    return names


FIELD_TAGS = ("input", "select", "textarea", "button")


class Forms(HTMLParser):
    """(method, action, field names) of every form on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = ((attrs.get("method") or "get").lower(), attrs.get("action") or "", set())
            self.forms.append(self._current)
        elif self._current and tag in FIELD_TAGS and attrs.get("name") and attrs.get("type") != "file":
            self._current[2].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


# --- The URL patterns -----------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def url_patterns(patterns=None, prefix=()):
    """Every endpoint as the chain of patterns that leads to it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, (*prefix, pattern.pattern))
        else:
            yield (*prefix, pattern.pattern), pattern


def params_of(chain) -> dict[str, str]:
    """Parameter name -> "int" or "other" (how to attack it)."""
    params = {}
    for pattern in chain:
        if isinstance(pattern, RoutePattern):
            for found in _ROUTE_PARAM.finditer(str(pattern)):
                params[found["name"]] = "int" if found["conv"] == "int" else "other"
        else:
            for name in pattern.regex.groupindex:
                params[name] = "other"
    return params


def build(chain, values: dict[str, str]) -> str:
    path = ""
    for pattern in chain:
        text = str(pattern)
        if isinstance(pattern, RoutePattern):
            text = _ROUTE_PARAM.sub(lambda m: values[m["name"]], text)
        else:
            text = _REGEX_GROUP.sub(lambda m: values[m["name"]], text).lstrip("^").rstrip("$").replace("\\", "")
        path += text
    return "/" + path


class World:
    """Objects whose ids fill the path parameters."""

    def __init__(self, demo, employee, compliance_officer, admin_user):
        self.users = {"anonymous": None, "employee": employee, "compliance": compliance_officer}
        self.admin = admin_user
        upload = Upload(name="notes.txt", content_type="text/plain", data=b"Friday, 4 pm.")
        self.case, _ = report(by=employee, files=[upload])
        self.anonymous_case, _ = report(anonymous=True, files=[upload])
        self.attachment = Attachment.objects.filter(case=self.case).first()
        self.filing = filing(employee, "gift", **gift_facts())
        self.saved_filter = SavedFilter.objects.create(user=compliance_officer, name="Mine", query="status=received")
        self.hold = hold_create(
            actor=compliance_officer, matter="Subpoena 1", reason="DOJ inquiry", cases=[self.anonymous_case]
        )
        self.obligation = Obligation.objects.filter(person__user=employee).first()
        self.campaign = Campaign.objects.first()
        self.job = ExportJob.objects.first()
        self.uid = urlsafe_base64_encode(force_bytes(employee.pk))
        self.token = default_token_generator.make_token(employee)
        self.app_labels = sorted({model._meta.app_label for model in admin.site._registry})

    def existing(self, route: str, name: str) -> list[str]:
        pk = {
            "obligation_id": getattr(self.obligation, "pk", 1),
            "campaign_id": getattr(self.campaign, "pk", 1),
            "job_id": getattr(self.job, "pk", 1),
            "attachment_id": getattr(self.attachment, "pk", 1),
        }
        if name in pk:
            return [str(pk[name])]
        if name == "pk":
            if "filters/" in route:
                return [str(self.saved_filter.pk)]
            if "holds/" in route:
                return [str(self.hold.pk)]
            if route.startswith("approvals/disclosures"):
                return ["1"]
            if route.startswith("approvals/"):
                return [str(self.filing.pk)]
            return [str(self.case.pk), str(self.anonymous_case.pk)]
        if name == "action":
            source = (ROOT / "cases" / "views" / "case.py").read_text()
            return sorted(set(re.findall(r'action == "([\w-]+)"', source))) + ["nothing"]
        if name == "kind":
            return sorted(FORMS)
        if name == "number":
            return ["C-2026-000001"]
        if name == "uidb64":
            return [self.uid]
        if name == "token":
            return [self.token]
        if name == "app_label":
            return self.app_labels[:1]
        if name == "url":
            return ["nothing/"]
        return ["1"]


@pytest.fixture
def world(demo, employee, compliance_officer, admin_user):
    return World(demo, employee, compliance_officer, admin_user)


def endpoints(world):
    """(path, personas, hostile_path?) for every pattern and fill. Non-staff users meet
    the admin's login redirect exactly as anonymous visitors do; a hostile path value
    is tried by a persona who gets past the login (it is looked up after it)."""
    for chain, _pattern in url_patterns():
        route = "".join(str(p) for p in chain)
        admin_route = route.startswith("admin")
        personas = ["anonymous", "admin"] if admin_route else ["anonymous", "employee", "compliance"]
        params = params_of(chain)
        fills = [{}]
        for name in params:
            fills = [{**fill, name: value} for fill in fills for value in world.existing(route, name)]
        for fill in fills:
            yield build(chain, fill), personas, False
        for name, kind in params.items():
            for value in HOSTILE_PATH[kind]:
                yield build(chain, {**fills[0], name: value}), ["admin" if admin_route else "compliance"], True


def query_string(names, value) -> str:
    return "&".join(f"{quote(name)}={value}" for name in sorted(names))


def bodies(names, value):
    """Urlencoded bodies with every name set to `value`, each under the parser's limit."""
    names = sorted(names) or ["field"]
    per_body = max(1, BODY_LIMIT // (len(value) + 40))
    for i in range(0, len(names), per_body):
        yield query_string(names[i : i + per_body], value).encode()


@pytest.fixture
def quiet():
    """The 500s this test hunts are collected, not printed (some paths are 100 kB long)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_finding12_no_url_answers_500_to_hostile_input(world, quiet):
    clients = {}
    for persona, user in [*world.users.items(), ("admin", world.admin)]:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[persona] = client

    failures: list[str] = []
    checked = 0

    def request(persona, method, path, what, **kwargs):
        """One request in a savepoint: a database error in it must not spoil the next."""
        nonlocal checked
        checked += 1
        savepoint = transaction.savepoint_create()
        response = clients[persona].generic(method, path, **kwargs)
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
            failures.append(f"{response.status_code} {method} {path[:120]} as {persona} with {what}")
        else:
            transaction.savepoint_commit(savepoint)
        return response

    def reaches_the_view(response) -> bool:
        """False when the input cannot matter: a login redirect, a method not allowed."""
        login = response.status_code == 302 and "login" in response.get("Location", "")
        return not login and response.status_code != 405

    plan = list(endpoints(world))
    get_names = query_names()
    form_names: dict[str, set[str]] = {}
    reached: set[tuple[str, str]] = set()

    # 1. A clean GET of everything: its forms tell which fields each URL takes.
    for path, personas, _hostile_path in plan:
        for persona in personas:
            response = request(persona, "GET", path, "no query")
            if reaches_the_view(response):
                reached.add((path, persona))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                parser = Forms()
                parser.feed(response.content.decode(errors="replace"))
                for method, action, names in parser.forms:
                    target = urlsplit(action).path or path
                    (get_names if method == "get" else form_names.setdefault(target, set())).update(names)

    # 2. Each hostile value in every query name the code reads or a search form sends.
    for path, personas, hostile_path in plan:
        for persona in personas:
            if not hostile_path and (path, persona) in reached:
                for label, value in HOSTILE.items():
                    what = f"{label} in the query string"
                    request(persona, "GET", path, what, QUERY_STRING=query_string(get_names, value))

    # 3. POST: every field of the forms that post here, one body per hostile value.
    for path, personas, hostile_path in plan:
        names = form_names.get(path, set()) - {"csrfmiddlewaretoken"}
        for persona in personas:
            response = request(persona, "POST", path, "an empty body")
            if not hostile_path and reaches_the_view(response):
                for label, value in HOSTILE.items():
                    for body in bodies(names, value):
                        what = f"{label} in {len(names)} fields"
                        request(persona, "POST", path, what, data=body, content_type=FORM_TYPE)
            user = world.admin if persona == "admin" else world.users[persona]
            if user is not None and path.endswith("logout/"):  # log the persona in again
                clients[persona].force_login(user)

    assert checked > 1000
    assert not failures, f"{len(failures)} of {checked} requests answered 500:\n" + "\n".join(failures[:40])


# --- Regression tests of the findings ------------------------------------------------------


def test_finding12_nul_byte_on_the_public_verification_page_is_a_400_with_a_message(client, demo):
    response = client.get("/certifications/verify/", QUERY_STRING="number=C-2026%00")
    assert response.status_code == 400
    assert "a character that no field here accepts" in response.content.decode()
    assert "hotline" in response.content.decode()


def test_finding12_path_id_beyond_bigint_is_not_found(client, compliance_officer):
    client.force_login(compliance_officer)
    assert client.get(f"/cases/{10**40}/").status_code == 404
    assert client.get(f"/approvals/{2**63}/").status_code == 404


def test_finding12_page_number_10_to_the_40_is_answered(client, compliance_officer):
    client.force_login(compliance_officer)
    response = client.get("/cases/", {"page": str(10**40)})
    assert response.status_code in (200, 400, 404)


class CountingInput(BytesIO):
    """A request body that counts what the app reads from it."""

    def __init__(self, size):
        super().__init__(b"")
        self.size, self.read_bytes = size, 0

    def read(self, n=-1):
        chunk = b"x" * (self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes))
        self.read_bytes += len(chunk)
        return chunk

    readline = read


def test_finding12_a_100_mb_anonymous_upload_is_refused_before_it_is_read(client, demo):
    body = CountingInput(100 * 1024 * 1024)
    response = client.generic(
        "POST",
        "/report/",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.content.decode()
    assert "refused before it was read" in page and "Nothing was saved" in page
    assert "Report a concern" in page  # the app's shell, with its menu


def test_finding12_overlong_text_is_a_clear_refusal(client, employee):
    client.force_login(employee)
    response = client.post("/report/", {"title": "x", "description": "y" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "longer than we accept" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_finding12_the_server_answers_413_to_a_100_mb_upload_having_received_only_its_start(live_server, demo):
    """Over a real socket: the headers announce 100 MB, 64 kB follow, and the answer comes."""
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=20) as connection:
        connection.sendall(
            (
                f"POST /report/ HTTP/1.1\r\nHost: {address.netloc}\r\n"
                "Content-Type: multipart/form-data; boundary=xyz\r\n"
                f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
            ).encode()
            + b"x" * 65536
        )
        answer = b""
        while b"</html>" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"refused before it was read" in answer


def test_a_file_over_10_mb_is_not_kept_while_it_streams_in():
    handler = CappedUploadHandler()
    handler.new_file("files", "big.pdf", "application/pdf", None)
    kept = 0
    for _ in range(12 * 16):  # 12 MB in 64 kB chunks
        chunk = handler.receive_data_chunk(b"x" * 65536, 0)
        kept += len(chunk or b"")
    stand_in = handler.file_complete(12 * MB)
    assert kept == MAX_FILE_BYTES
    assert stand_in.size == 12 * MB and stand_in.read() == b""


def test_more_file_data_than_any_form_takes_stops_the_upload_with_a_413(client, demo, monkeypatch):
    """A body without a declared length (chunked) is bounded by the upload handler."""
    monkeypatch.setattr(uploads, "MAX_REQUEST_BYTES", 200_000)
    upload = SimpleUploadedFile("notes.txt", b"x" * 300_000, content_type="text/plain")
    response = client.post("/report/", {"title": "x", "files": [upload]})
    assert response.status_code == 413
    assert "refused" in response.content.decode() and not Case.objects.exists()
