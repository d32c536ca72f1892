"""Sign and verify certificate PDFs (CERT-1, CERT-2).

Pure Python on purpose: no Django imports, so a Celery task, a management
command and a plain unit test can all call it. Callers pass bytes and paths.

The organisation signs every certificate PDF with one key. The signature is a
PAdES baseline (B-B) signature without a timestamp: the app runs without
network access, and the certificate number plus the SHA-256 stored in the
database are the authoritative record; the signature makes a PDF that has
left the building checkable on its own.

`verify_pdf` is deliberately strict. A certificate PDF is signed once and never
updated, so anything that is not byte-for-byte the signed file is rejected,
including incremental updates that pyHanko would call "acceptable".
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

# id-kp-documentSigning (RFC 9336).
DOCUMENT_SIGNING_OID = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

# Room for the CMS blob in /Contents. An EC P-256 signature with one
# certificate and signed attributes is about 1.5 KB; 8 KB leaves headroom and
# avoids pyHanko's slow "sign twice to measure" estimate.
BYTES_RESERVED = 8192

REASON_VALID = "The signature is valid: the document is unchanged since Innovo Group Inc. signed it."
REASON_NOT_PDF = "This is not a PDF file."
REASON_UNREADABLE = "The PDF file is damaged and cannot be read."
REASON_NO_SIGNATURE = "The PDF has no signature."
REASON_MANY_SIGNATURES = "The PDF has more than one signature; a certificate is signed exactly once."
REASON_CHANGED = "The document was changed after it was signed."
REASON_APPENDED = "Data was added to the document after it was signed."
REASON_BAD_SIGNATURE = "The signature is damaged or does not match the document."
REASON_UNTRUSTED = "The signature is not by the organisation's certificate."


def _outside_event_loop(func, *args, **kwargs):
    """pyHanko's sync API calls asyncio.run(), which refuses to run inside a thread
    that already has a running event loop (an ASGI server, a Playwright session).
    There we run it in a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of `data`; what the database stores for each issued PDF."""
    return hashlib.sha256(data).hexdigest()


def generate_demo_keypair(
    key_path: Path,
    cert_path: Path,
    *,
    organisation: str = "Innovo Group Inc.",
    days: int = 3650,
) -> None:
    """Create an EC P-256 key and a self-signed document-signing certificate.

    For development and demos; production should use a key issued by a CA the
    readers already trust. Does nothing if both files exist, so it is safe to
    call on every start-up. The same certificate is the trust root given to
    `verify_pdf`.
    """
    key_path, cert_path = Path(key_path), Path(cert_path)
    if key_path.exists() and cert_path.exists():
        return
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} Document Signing"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # a.k.a. nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING_OID, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )

    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Create the key file with 0600 from the start rather than chmod-ing later.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@functools.lru_cache(maxsize=8)
def load_signer(key_path: Path | str, cert_path: Path | str) -> signers.SimpleSigner:
    """Load the signing key and certificate once per process.

    Cached because a certification campaign signs thousands of PDFs. After
    replacing the key files, restart the workers (or call
    `load_signer.cache_clear()`).
    """
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:  # pyHanko logs and returns None instead of raising
        raise ValueError(f"Could not load signing key {key_path} / certificate {cert_path}")
    return signer


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: signers.Signer,
    field_name: str = "Signature1",
    reason: str = "Certificate of acknowledgement",
    location: str | None = None,
    name: str | None = None,
) -> bytes:
    """Return `pdf_bytes` with an invisible PAdES signature appended."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer, bytes_reserved=BYTES_RESERVED)
    return out.getvalue()


@dataclass
class VerifyResult:
    valid: bool
    intact: bool
    trusted: bool
    signer_subject: str
    signed_at: dt.datetime | None
    sha256: str
    reason: str
    metadata: dict = field(default_factory=dict)


@functools.lru_cache(maxsize=8)
def _trust_roots(paths: tuple[str, ...]) -> list:
    """Every certificate in the given PEM/DER files (a file may hold several; an
    empty file holds none)."""
    return list(load_certs_from_pemder([path for path in paths if os.path.getsize(path) > 0]))


def verify_pdf(pdf_bytes: bytes, *, trust_cert_path: Path | str, also_trusted: tuple = ()) -> VerifyResult:
    """Check that `pdf_bytes` is exactly a PDF signed by the trusted certificate, or
    by one of `also_trusted` (files of earlier signing certificates, kept after a
    key rotation so that certificates issued before it still verify).

    Never raises on bad input: whatever the bytes are, the answer is a
    `VerifyResult` whose `reason` a person can read.
    """
    pdf_bytes = bytes(pdf_bytes)
    result = VerifyResult(
        valid=False,
        intact=False,
        trusted=False,
        signer_subject="",
        signed_at=None,
        sha256=sha256_hex(pdf_bytes),
        reason="",
    )
    if b"%PDF-" not in pdf_bytes[:1024]:
        result.reason = REASON_NOT_PDF
        return result
    try:
        roots = _trust_roots((str(trust_cert_path), *(str(path) for path in also_trusted)))
        _verify_into(result, pdf_bytes, trust_roots=roots)
    except Exception:  # hostile input can break any parser layer
        logger.info("PDF verification failed", exc_info=True)
        result.valid = result.intact = result.trusted = False
        if not result.reason:
            result.reason = REASON_UNREADABLE
    return result


def _verify_into(result: VerifyResult, pdf_bytes: bytes, *, trust_roots: list) -> None:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        logger.info("Unreadable PDF", exc_info=True)
        result.reason = REASON_UNREADABLE
        return

    result.metadata = _read_metadata(reader)

    if not signatures:
        result.reason = REASON_NO_SIGNATURE
        return
    if len(signatures) > 1:
        result.reason = REASON_MANY_SIGNATURES
        return
    embedded = signatures[0]

    try:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, embedded, context)
    except Exception:
        logger.info("Signature validation raised", exc_info=True)
        result.reason = REASON_BAD_SIGNATURE
        return

    result.intact = bool(status.intact and status.valid)
    result.trusted = bool(status.trusted)
    result.signer_subject = status.signing_cert.subject.human_friendly
    result.signed_at = status.signer_reported_dt

    if not result.intact:
        result.reason = REASON_CHANGED
        return
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        result.intact = False
        result.reason = REASON_APPENDED
        return
    if not _contents_gap_is_canonical(pdf_bytes, embedded):
        result.intact = False
        result.reason = REASON_BAD_SIGNATURE
        return
    if not result.trusted:
        result.reason = REASON_UNTRUSTED
        return
    if not status.bottom_line:
        result.reason = REASON_BAD_SIGNATURE
        return
    result.valid = True
    result.reason = REASON_VALID


def _contents_gap_is_canonical(pdf_bytes: bytes, embedded) -> bool:
    """The one unsigned stretch of the file must be exactly what pyHanko wrote.

    The /ByteRange digest skips the hex-encoded /Contents string. A CMS parser
    ignores trailing bytes and hex digits are case-insensitive, so without this
    check a changed padding byte or an upper-cased digit would still verify.
    We require: `<`, hex of the DER CMS object and its zero padding in one
    letter case (pyHanko writes upper case), `>`.
    """
    start, first_len, second_start, _ = (int(x) for x in embedded.byte_range)
    gap = pdf_bytes[start + first_len : second_start]
    raw = bytes(embedded.sig_object["/Contents"])
    der = cms.ContentInfo.load(raw, strict=False).dump()
    if raw[: len(der)] != der or raw[len(der) :].strip(b"\x00"):
        return False
    hex_digits = raw.hex().encode("ascii")
    return gap in (b"<" + hex_digits.upper() + b">", b"<" + hex_digits + b">")


def _read_metadata(reader: PdfFileReader) -> dict:
    """Title, author, subject and keywords from the document info dictionary.

    `render_pdf` fills them from the template's <title> and <meta> tags; the
    certificate number is in keywords as ``certificate:<number>``.
    """
    metadata: dict = {}
    try:
        info = reader.trailer_view["/Info"]
    except Exception:
        logger.info("No readable document info dictionary", exc_info=True)
        return metadata
    for key in ("Title", "Author", "Subject", "Keywords", "Creator", "Producer"):
        try:
            value = info.get("/" + key)
            if value is not None:
                metadata[key.lower()] = str(value.get_object())
        except Exception:
            logger.info("Unreadable document info entry %s", key, exc_info=True)
    for word in metadata.get("keywords", "").replace(",", " ").split():
        if word.startswith("certificate:"):
            metadata["certificate_number"] = word.removeprefix("certificate:")
    return metadata
