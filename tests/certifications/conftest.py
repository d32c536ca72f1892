"""Fixtures for the certification tests: a signing key pair made once per session and
configured through the `settings` fixture, so no test signs with a developer's var/."""

from __future__ import annotations

import pytest

from certifications import signing


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("signing")
    key, cert = directory / "key.pem", directory / "cert.pem"
    signing.generate_demo_keypair(key, cert)
    return key, cert


@pytest.fixture(autouse=True)
def _signing_settings(settings, signing_keys):
    innovo = dict(settings.INNOVO)
    innovo["SIGNING_KEY"], innovo["SIGNING_CERT"] = signing_keys
    settings.INNOVO = innovo
