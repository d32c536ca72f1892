"""Render certificate PDFs and the bits that go into them (CERT-1, CERT-2).

Pure Python (no Django imports): the caller renders `templates/pdf/certificate.html`
with Django's template engine and hands the HTML string to `render_pdf`.
"""

from __future__ import annotations

import re
import threading

import qrcode
import qrcode.image.svg
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Reused across renders: font discovery is the slow part of a cold render.
FONT_CONFIG = FontConfiguration()

_FETCHERS = threading.local()


def _url_fetcher() -> URLFetcher:
    """One fetcher per thread that only reads `data:` URIs.

    WeasyPrint's default fetcher builds a new SSL context (loading the system's CA
    bundle) on every render, about a third of a certificate's rendering time; and a
    certificate has no business fetching anything from the network or the disk.
    """
    fetcher = getattr(_FETCHERS, "fetcher", None)
    if fetcher is None:
        fetcher = _FETCHERS.fetcher = URLFetcher(allowed_protocols={"data"})
    return fetcher


ANNUAL_CERTIFICATION_WORDING = (
    "I certify that during the past year I have complied with the Code of Business "
    "Conduct and Ethics of Innovo Group Inc., that I know of no violation of the Code "
    "that I have not reported under the compliance procedures it describes, and that "
    "I have disclosed to the compliance officer every actual or potential conflict of "
    "interest of mine. I understand my responsibilities under the Code and will "
    "continue to follow it."
)
"""Wording for the yearly certification of officers titled Vice President or above (CERT-2).

The Code prescribes no text for it, unlike the confirmation certificate.
"""


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML string to PDF bytes with WeasyPrint.

    `<title>` and `<meta name="author|description|keywords">` in the HTML become
    the PDF's Title, Author, Subject and Keywords.
    """
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).write_pdf(font_config=FONT_CONFIG)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def qr_svg(data: str) -> str:
    """An inline `<svg>` QR code for `data` (the verification URL).

    Sized by its viewBox, so the template's CSS decides how big it prints.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    svg = _XML_DECLARATION.sub("", svg)
    # Drop the fixed millimetre size; keep the viewBox.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg class="qr"', svg, count=1)
    return svg


_CONFIRMATION = re.compile(r"I have been provided\b.*?questions or concerns\.", re.DOTALL)


def confirmation_wording(code_text: str) -> str:
    """The Confirmation Certificate paragraph from the Code's last page (CERT-1).

    Whitespace is collapsed to single spaces. Raises ValueError if the Code text
    has no such paragraph, so a new Code version without one fails loudly.
    """
    heading = code_text.rfind("Confirmation Certificate")
    if heading == -1:
        raise ValueError("The Code text has no 'Confirmation Certificate' section.")
    tail = " ".join(code_text[heading:].split())
    match = _CONFIRMATION.search(tail)
    if match is None:
        raise ValueError("The 'Confirmation Certificate' section has no acknowledgement paragraph.")
    return match.group(0)
