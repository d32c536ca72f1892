"""System checks for a deployment that would otherwise fail quietly.

They run with every `manage.py` command that checks (migrate, check, check --deploy;
compose's one-shot `migrate` service runs `check --deploy` first), so a missing
signing key or a placeholder secret key stops the install instead of surfacing
later as a certificate task that fails for good and a download that is a 500.
With DEBUG on (development) the signing-key problems are warnings: `make run`
creates a demo key after its first check.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

EXPIRY_WARNING = dt.timedelta(days=30)

# Values copied from examples and tutorials rather than generated.
_PLACEHOLDER = re.compile(
    r"^(change[-_ ]?me|changeme|replace[-_ ]?me|your[-_ ]?secret|my[-_ ]?secret|secret([-_ ]?key)?$"
    r"|django-insecure|insecure|please[-_ ]?change|todo|xxx+$|dummy|example|test$|none$)",
    re.IGNORECASE,
)


def is_placeholder_secret(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip())) or len(set(value)) < 5


@register(Tags.security, deploy=False)
def check_secret_key(app_configs=None, **kwargs):
    if is_placeholder_secret(settings.SECRET_KEY):
        return [
            Error(
                "SECRET_KEY is a placeholder copied from an example, not a secret.",
                hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))', "
                "or leave SECRET_KEY empty on a single machine to use VAR_DIR/secret_key.",
                id="innovo.E010",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_shared_secret_key(app_configs=None, **kwargs):
    """Object storage means several machines; each would otherwise mint its own key."""
    if getattr(settings, "S3_BUCKET", "") and not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
        return [
            Warning(
                "S3_BUCKET is set (several machines?) but SECRET_KEY is not: each machine keeps its own "
                "VAR_DIR/secret_key, so sessions and password-reset links break between machines.",
                hint="Set SECRET_KEY or SECRET_KEY_FILE to one shared value on every machine.",
                id="innovo.W011",
            )
        ]
    return []


@register(Tags.security, deploy=False)
def check_signing_key(app_configs=None, **kwargs):
    """The key and certificate that sign certificate PDFs (CERT-1, CERT-2)."""
    out = []
    for ident, message, hint in signing_key_problems():
        level = Warning if settings.DEBUG or ".W" in ident else Error
        out.append(level(message, hint=hint, id=ident))
    return out


def signing_key_problems(now: dt.datetime | None = None) -> list[tuple[str, str, str]]:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key_path, cert_path = settings.INNOVO["SIGNING_KEY"], settings.INNOVO["SIGNING_CERT"]
    hint = (
        "Set SIGNING_KEY_PATH and SIGNING_CERT_PATH to the organisation's document-signing key and certificate "
        "(docs/deploy.md); for a demo, `manage.py make_signing_key` makes a self-signed pair."
    )
    problems = []
    key = cert = None
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except FileNotFoundError:
        problems.append(("innovo.E001", f"The signing key {key_path} does not exist.", hint))
    except PermissionError:
        problems.append(("innovo.E001", f"The signing key {key_path} cannot be read by this user.", hint))
    except (ValueError, TypeError, OSError) as error:
        problems.append(("innovo.E002", f"The signing key {key_path} is not an unencrypted PEM key: {error}", hint))
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except FileNotFoundError:
        problems.append(("innovo.E003", f"The signing certificate {cert_path} does not exist.", hint))
    except PermissionError:
        problems.append(("innovo.E003", f"The signing certificate {cert_path} cannot be read by this user.", hint))
    except (ValueError, OSError) as error:
        problems.append(("innovo.E004", f"The signing certificate {cert_path} is not a PEM certificate: {error}", hint))
    if cert is not None:
        now = now or dt.datetime.now(dt.UTC)
        if cert.not_valid_after_utc <= now:
            expired = f"The signing certificate {cert_path} expired on {cert.not_valid_after_utc:%Y-%m-%d}."
            problems.append(("innovo.E005", expired, hint))
        elif cert.not_valid_before_utc > now:
            problems.append(
                (
                    "innovo.E005",
                    f"The signing certificate {cert_path} is not valid before {cert.not_valid_before_utc:%Y-%m-%d}.",
                    hint,
                )
            )
        elif cert.not_valid_after_utc - now < EXPIRY_WARNING:
            problems.append(
                (
                    "innovo.W006",
                    f"The signing certificate {cert_path} expires on {cert.not_valid_after_utc:%Y-%m-%d}.",
                    "Rotate it before then (docs/deploy.md, 'Rotate the signing key').",
                )
            )
    for path in settings.INNOVO.get("SIGNING_PREVIOUS_CERTS", ()):
        try:
            data = path.read_bytes()
            if data.strip():
                x509.load_pem_x509_certificates(data)
        except OSError as error:
            problems.append(("innovo.E008", f"The earlier signing certificates {path} cannot be read: {error}", hint))
        except ValueError as error:
            problems.append(("innovo.E008", f"The earlier signing certificates {path} are not PEM: {error}", hint))
    if key is not None and cert is not None:
        spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
            problems.append(
                ("innovo.E007", f"The signing key {key_path} does not belong to the certificate {cert_path}.", hint)
            )
    return problems
