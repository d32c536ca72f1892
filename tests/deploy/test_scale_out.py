"""Scale-out: two machines (network namespaces A and B), each with a web process,
a Celery worker and a beat, sharing PostgreSQL, Redis and the S3 server
(tests/deploy/stack.py). A session made on one machine works on the other; a
certificate rendered by a worker on one machine downloads through the web
process on the other; of two beats, one sends the schedule and the other takes
over when it stops."""

from __future__ import annotations

import re
import time

import pytest
import requests

from certifications import signing
from people.demo import DEMO_PASSWORD
from tests.deploy import servers

# One deployment stack for both files: the same pytest-xdist worker runs them.
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("stack")]

HEARTBEAT_SENT = re.compile(r"Sending due task heartbeat")


@pytest.fixture(scope="module")
def fleet(stack, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fleet")
    machines = {}
    procs = []
    try:
        for name, machine in stack.machines.items():
            base = f"http://{machine.ns_ip}:8000"
            env = stack.env(
                name,
                SITE_URL=base,
                ALLOWED_HOSTS=machine.ns_ip,
                SECURE_SSL_REDIRECT="false",  # plain HTTP between the test and each machine
                SESSION_COOKIE_SECURE="false",
            )
            logs = {role: workdir / f"{role}-{name}.log" for role in ("web", "worker", "beat")}
            procs.append(servers.celery(env, "worker", log=logs["worker"], netns=machine.name, name=f"worker-{name}"))
            procs.append(servers.celery(env, "beat", log=logs["beat"], netns=machine.name))
            machines[name] = {"url": base, "logs": logs, "beat": procs[-1]}
        for name, machine in stack.machines.items():
            env = stack.env(
                name, SITE_URL=machines[name]["url"], ALLOWED_HOSTS=machine.ns_ip, SECURE_SSL_REDIRECT="false"
            )
            env["SESSION_COOKIE_SECURE"] = "false"
            web = servers.gunicorn(
                env, bind=f"{machine.ns_ip}:8000", log=machines[name]["logs"]["web"], netns=machine.name
            )
            procs.append(web)
        yield machines
    finally:
        for proc in reversed(procs):
            proc.stop()


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


def _post(session, base, path, data):
    session.get(base + path, timeout=30).raise_for_status()
    token = session.cookies["csrftoken"]
    return session.post(
        base + path,
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": base + path},
        allow_redirects=False,
        timeout=60,
    )


def _log(path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def test_a_session_made_on_one_machine_works_on_the_other(fleet):
    a, b = fleet["a"]["url"], fleet["b"]["url"]
    session = _session()
    response = _post(session, a, "/accounts/login/", {"username": "jgrant", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    cookie = session.cookies["sessionid"]
    other = _session()
    other.cookies.set("sessionid", cookie)
    page = other.get(b + "/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and "Jennifer Grant" in page.text  # same secret key, same session store


def test_a_certificate_rendered_on_one_machine_downloads_from_the_other(fleet, stack):
    a = fleet["a"]["url"]
    session = _session()
    assert (
        _post(session, a, "/accounts/login/", {"username": "dwhitfield", "password": DEMO_PASSWORD}).status_code == 302
    )
    (obligation_id,) = stack.sql(
        "SELECT o.id FROM certifications_obligation o JOIN people_person p ON p.id = o.person_id "
        "JOIN auth_user u ON u.id = p.user_id JOIN certifications_campaign c ON c.id = o.campaign_id "
        "WHERE u.username = 'dwhitfield' AND o.status = 'pending' AND c.kind = 'annual'"
    )[0]
    assert session.get(f"{a}/certifications/{obligation_id}/read/", timeout=30).status_code == 200
    answers = {"complied": "yes", "no_unreported_violation": "yes", "conflicts_disclosed": "yes"}
    response = _post(
        session,
        a,
        f"/certifications/{obligation_id}/",
        {"typed_name": "Dana Whitfield", "password": DEMO_PASSWORD, **answers},
    )
    assert response.status_code == 302, response.text[:1000]

    # The outbox's job runner logs each job it finished (core.outbox.run_job).
    RENDERED = r"outbox job \d+ \(certifications\.services\.certify\.certificate_issue_pdf\) done"

    def rendered_by():
        for name, machine in fleet.items():
            if re.search(RENDERED, _log(machine["logs"]["worker"])):
                return name
        return None

    servers.wait_for(rendered_by, timeout=90, what="a worker to render the certificate")
    worker_machine = rendered_by()
    web_machine = "b" if worker_machine == "a" else "a"
    (sha,) = stack.sql("SELECT pdf_sha256 FROM certifications_certification WHERE obligation_id = %s", [obligation_id])[
        0
    ]
    assert sha

    other = _session()
    other.cookies.set("sessionid", session.cookies["sessionid"])
    pdf = other.get(f"{fleet[web_machine]['url']}/certifications/{obligation_id}/certificate.pdf", timeout=60)
    assert pdf.status_code == 200 and signing.sha256_hex(pdf.content) == sha
    assert signing.verify_pdf(pdf.content, trust_cert_path=stack.cert).valid
    # Rendered once, by the one worker: the other machine's worker never ran the task.
    assert not re.search(RENDERED, _log(fleet[web_machine]["logs"]["worker"]))


def test_two_beats_send_one_schedule_and_the_second_takes_over(fleet):
    """BEAT_HEARTBEAT_SECONDS=2: over a window, one beat sends the heartbeat every 2 s,
    the other sends nothing (celery-redbeat's lock). Stopping the first, the second
    takes the lock and goes on."""

    def sends(name) -> int:
        return len(HEARTBEAT_SENT.findall(_log(fleet[name]["logs"]["beat"])))

    servers.wait_for(lambda: sends("a") + sends("b") >= 2, timeout=90, what="a beat to send its schedule")
    before = {name: sends(name) for name in fleet}
    window = 12
    time.sleep(window)
    sent = {name: sends(name) - before[name] for name in fleet}
    leader = max(sent, key=sent.get)
    follower = "b" if leader == "a" else "a"
    assert sent[follower] == 0, sent
    assert window / 2 - 2 <= sent[leader] <= window / 2 + 2, sent  # one schedule, not two

    fleet[leader]["beat"].stop()  # SIGTERM: redbeat releases its lock
    taken_over = sends(follower)
    servers.wait_for(lambda: sends(follower) >= taken_over + 2, timeout=90, what="the second beat to take over")
