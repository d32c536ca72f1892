"""Fixtures of the deployment tests."""

import pytest

from certifications import signing


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    directory = tmp_path_factory.mktemp("deploy-signing")
    key, cert = directory / "key.pem", directory / "cert.pem"
    signing.generate_demo_keypair(key, cert)
    return key, cert


@pytest.fixture
def signing_keys(settings, signing_pair):
    """The session's key pair, configured through the `settings` fixture."""
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": signing_pair[0], "SIGNING_CERT": signing_pair[1]}
    return signing_pair


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """PostgreSQL, Redis and an S3 server of the tests' own, reachable from two
    network namespaces; migrated and seeded once (tests/deploy/stack.py)."""
    import shutil

    from tests.deploy import servers
    from tests.deploy.stack import Stack

    reason = servers.netns_available()
    if reason:
        pytest.skip(reason)
    for tool in ("caddy", "redis-server", "pg_dump"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    if servers.PG_BIN is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl)")
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
