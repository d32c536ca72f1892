"""The production shape, without containers: Caddy (Debian's) terminating TLS in
front of gunicorn with DEBUG=false, a Celery worker and beat, PostgreSQL, Redis and
an S3 server (tests/deploy/stack.py). Over https on loopback a person logs in,
files a report with an attachment, signs a certificate and downloads both through
the proxy; readiness turns 503 when the database or the broker stops and 200 when
they are back."""

from __future__ import annotations

import re
import socket
import ssl
import time

import pytest
import requests

from certifications import signing
from people.demo import DEMO_PASSWORD
from tests.deploy import servers

# One deployment stack for both files: the same pytest-xdist worker runs them.
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("stack")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_SEARCH = "Zebulon Quartermaine"  # a "subject's name" typed into the queue search


@pytest.fixture(scope="module")
def shape(stack, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("shape")
    https_port, http_port, app_port = servers.free_port(), servers.free_port(), servers.free_port()
    site = f"https://localhost:{https_port}"
    env = stack.env(SITE_URL=site, ALLOWED_HOSTS="localhost", BEHIND_TLS_PROXY="true")
    procs = []
    try:
        procs.append(servers.gunicorn(env, bind=f"127.0.0.1:{app_port}", log=workdir / "gunicorn.log", threads=4))
        procs.append(servers.celery(env, "worker", log=workdir / "worker.log", name="shape"))
        procs.append(servers.celery(env, "beat", log=workdir / "beat.log"))
        caddy = servers.caddy(
            site_url=site, upstream=f"127.0.0.1:{app_port}", https_port=https_port, http_port=http_port, workdir=workdir
        )
        procs.append(caddy)
        yield {
            "site": site,
            "ca": str(caddy.root_ca),
            "workdir": workdir,
            "https_port": https_port,
            "http_port": http_port,
            "stack": stack,
        }
    finally:
        for proc in reversed(procs):
            proc.stop()


def _session(shape) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE (and proxies) from the environment win
    session.verify = shape["ca"]  # Caddy's own CA: TLS is verified, not skipped
    return session


def _csrf(session, shape, path) -> str:
    response = session.get(shape["site"] + path, timeout=30)
    assert response.status_code == 200, (path, response.status_code)
    return session.cookies["csrftoken"]


def _post(session, shape, path, data, files=None):
    token = _csrf(session, shape, path)
    headers = {"Referer": shape["site"] + path, "X-CSRFToken": token}
    return session.post(
        shape["site"] + path,
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers=headers,
        allow_redirects=False,
        timeout=60,
    )


def _login(shape, username) -> requests.Session:
    session = _session(shape)
    response = _post(session, shape, "/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.text[:500]
    return session


def _ready(shape) -> tuple[int, dict]:
    response = _session(shape).get(shape["site"] + "/healthz/ready", timeout=30)
    return response.status_code, response.json()


def _wait_ready(shape, want: int, timeout: float = 45) -> dict:
    deadline = time.monotonic() + timeout
    status, body = None, {}
    while time.monotonic() < deadline:
        status, body = _ready(shape)
        if status == want:
            return body
        time.sleep(0.5)
    raise AssertionError(f"readiness stayed {status} (wanted {want}): {body}")


def test_caddy_terminates_tls_with_its_own_ca_and_redirects_http(shape):
    redirect = requests.get(f"http://localhost:{shape['http_port']}/help/", allow_redirects=False, timeout=10)
    assert redirect.status_code in (301, 308) and redirect.headers["Location"].startswith("https://localhost")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(shape["site"] + "/healthz/live", timeout=10)  # not a publicly trusted certificate
    response = _session(shape).get(shape["site"] + "/help/", timeout=30)
    assert response.status_code == 200 and "Strict-Transport-Security" in response.headers


def test_report_with_attachment_and_signed_certificate_through_the_proxy(shape):
    stack = shape["stack"]
    # An employee files a report with an attachment.
    employee = _login(shape, "aalvarez")
    data = {
        "category": "fair_dealing",
        "title": "Supplier kickbacks (production shape)",
        "description": "A fictional supplier pays a fictional buyer.",
        "how_known": "I saw the envelope.",
    }
    response = _post(employee, shape, "/report/", data, files={"files": ("evidence.pdf", PDF, "application/pdf")})
    assert response.status_code == 302, response.text[:1000]
    case_id = int(re.search(r"/cases/(\d+)/", response.headers["Location"]).group(1))
    ((attachment_id, name),) = stack.sql("SELECT id, file FROM cases_attachment WHERE case_id = %s", [case_id])
    # Stored in the bucket, not on the disk.
    assert stack.s3["client"].get_object(Bucket=stack.s3["bucket"], Key=name)["Body"].read() == PDF

    # The compliance officer downloads it through the proxy.
    officer = _login(shape, "swhalen")
    download = officer.get(f"{shape['site']}/cases/{case_id}/files/{attachment_id}/", timeout=30)
    assert download.status_code == 200 and download.content == PDF
    # A search with a name: the access log keeps neither the query string nor an address.
    assert officer.get(f"{shape['site']}/cases/", params={"q": SECRET_SEARCH}, timeout=30).status_code == 200

    # The employee signs the new-hire certificate; the worker renders and signs the PDF.
    (obligation_id,) = stack.sql(
        "SELECT o.id FROM certifications_obligation o JOIN people_person p ON p.id = o.person_id "
        "JOIN auth_user u ON u.id = p.user_id WHERE u.username = 'aalvarez' AND o.status = 'pending'"
    )[0]
    assert employee.get(f"{shape['site']}/certifications/{obligation_id}/read/", timeout=30).status_code == 200
    response = _post(
        employee, shape, f"/certifications/{obligation_id}/", {"typed_name": "Avery Alvarez", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.text[:1000]
    servers.wait_for(
        lambda: stack.sql(
            "SELECT c.pdf_sha256 FROM certifications_certification c WHERE c.obligation_id = %s", [obligation_id]
        )[0][0],
        timeout=60,
        what="the worker's certificate PDF",
        log=shape["workdir"] / "worker.log",
    )
    (sha,) = stack.sql("SELECT pdf_sha256 FROM certifications_certification WHERE obligation_id = %s", [obligation_id])[
        0
    ]
    pdf = employee.get(f"{shape['site']}/certifications/{obligation_id}/certificate.pdf", timeout=60)
    assert pdf.status_code == 200 and signing.sha256_hex(pdf.content) == sha
    assert signing.verify_pdf(pdf.content, trust_cert_path=stack.cert).valid
    worker_log = (shape["workdir"] / "worker.log").read_text()
    assert "(certifications.services.certify.certificate_issue_pdf) done" in worker_log

    access = (shape["workdir"] / "gunicorn.log").read_text()
    assert "GET /cases/ " in access and SECRET_SEARCH.split()[0] not in access and "q=" not in access
    assert "127.0.0.1" not in "\n".join(line for line in access.splitlines() if '"GET ' in line or '"POST ' in line)
    assert SECRET_SEARCH.split()[0] not in (shape["workdir"] / "caddy.log").read_text()


def test_half_open_connections_do_not_stall_the_app(shape):
    """Clients that connect and send half a request are held by Caddy, not by gunicorn."""
    context = ssl.create_default_context(cafile=shape["ca"])
    stalled = []
    try:
        for _ in range(12):  # more than gunicorn's threads
            raw = socket.create_connection(("127.0.0.1", shape["https_port"]), timeout=10)
            conn = context.wrap_socket(raw, server_hostname="localhost")
            conn.sendall(b"POST /report/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\npartial")
            stalled.append(conn)
        started = time.monotonic()
        response = _session(shape).get(shape["site"] + "/help/", timeout=10)
        # Held by gunicorn, the request would wait for the 10 s timeout; through Caddy it is
        # answered at once (the bound leaves room for a loaded CI machine: 3.3 s was seen).
        assert response.status_code == 200 and time.monotonic() - started < 6
    finally:
        for conn in stalled:
            conn.close()


def test_beat_and_worker_keep_the_heartbeat_fresh(shape):
    def fresh():
        status, body = _ready(shape)
        age = body["checks"]["beat"].get("age_s")
        return status == 200 and age is not None and age <= 10

    servers.wait_for(fresh, timeout=60, what="a fresh beat heartbeat", log=shape["workdir"] / "beat.log")


def test_readiness_follows_the_database_and_the_broker(shape):
    stack = shape["stack"]
    body = _wait_ready(shape, 200)
    assert all(check["ok"] for check in body["checks"].values()), body

    stack.pg.stop(mode="fast")
    try:
        body = _wait_ready(shape, 503, timeout=20)
        assert body["checks"]["database"]["ok"] is False and body["checks"]["cache"]["ok"] is True
        assert _session(shape).get(shape["site"] + "/healthz/live", timeout=10).status_code == 200
    finally:
        stack.pg.start()
    _wait_ready(shape, 200)

    stack.redis.stop()
    try:
        body = _wait_ready(shape, 503, timeout=20)
        assert body["checks"]["broker"]["ok"] is False and body["checks"]["database"]["ok"] is True
    finally:
        stack.redis.start()
    _wait_ready(shape, 200)
    # And the app still works end to end after both came back.
    assert _login(shape, "swhalen").get(shape["site"] + "/cases/", timeout=30).status_code == 200
