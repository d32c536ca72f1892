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
