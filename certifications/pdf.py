"""Render certificate PDFs and the bits that go into them (CERT-1, CERT-2).

Pure Python (no Django imports): the caller renders `templates/pdf/certificate.html`
with Django's template engine and hands the HTML string to `render_certificate_pdf`
(other documents: `render_pdf`).

What a certificate costs is kept small (issue 12; measured per step by
`python -m bench.jobs render --breakdown`): the font configuration, the
certificate's parsed stylesheet and the URL fetcher are made once per process and
reused; the QR code is a PNG of one pixel per module with a fixed mask (no search
over the eight masks, no SVG path for WeasyPrint to parse); the tables have fixed
layouts. Signing reuses the loaded key (`signing.load_signer`).
"""

from __future__ import annotations

import base64
import functools
import io
import re
import subprocess
import threading
from pathlib import Path

import qrcode
from qrcode.image.pil import PilImage
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Reused across renders: font discovery is the slow part of a cold render.
FONT_CONFIG = FontConfiguration()

CERTIFICATE_CSS = Path(__file__).resolve().parent.parent / "templates" / "pdf" / "certificate.css"

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


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: list[CSS] | None = None) -> bytes:
    """Render an HTML string to PDF bytes with WeasyPrint.

    `<title>` and `<meta name="author|description|keywords">` in the HTML become
    the PDF's Title, Author, Subject and Keywords.
    """
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).write_pdf(
        font_config=FONT_CONFIG, stylesheets=stylesheets
    )


CERTIFICATE_FONTS = (
    # (family, style, weight, fontconfig pattern of the system font it is cut from)
    ("Certificate Serif", "normal", "normal", "DejaVu Serif:style=Book"),
    ("Certificate Serif", "italic", "normal", "DejaVu Serif:style=Italic"),
    ("Certificate Serif", "normal", "bold", "DejaVu Serif:style=Bold"),
    ("Certificate Mono", "normal", "normal", "DejaVu Sans Mono:style=Book"),
)
"""The four faces the certificate uses. Each is cut down, once per process, to the
Latin characters (Basic Latin, Latin-1, Latin Extended-A, general punctuation):
WeasyPrint subsets every embedded font for every PDF, and subsetting a font of
400 glyphs instead of 3,000 was a fifth of the PDF step. Other scripts (a name in
Chinese, Japanese, Korean, Greek, Cyrillic) fall back to the system's fonts, as the
stylesheet's font-family lists say."""

_LATIN = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2030, 0x20AC, 0x2122]


def _font_file(pattern: str) -> Path | None:
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}", pattern], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(found) if found else None
    return path if path and path.suffix.lower() in (".ttf", ".otf") and path.is_file() else None


def _latin_subset(path: Path) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.hinting = False
    options.drop_tables += ["FFTM"]
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=_LATIN)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _font_faces() -> str:
    """`@font-face` rules of CERTIFICATE_FONTS (data: URIs); a face whose system
    font is missing is left out, and the family lists fall back to system fonts."""
    rules = []
    for family, style, weight, pattern in CERTIFICATE_FONTS:
        path = _font_file(pattern)
        if path is None:
            continue
        data = base64.b64encode(_latin_subset(path)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-style: {style}; font-weight: {weight}; '
            f"src: url(data:font/ttf;base64,{data}); }}"
        )
    return "\n".join(rules)


@functools.cache
def certificate_stylesheet() -> CSS:
    """`templates/pdf/certificate.css` with its fonts, parsed once per process. A
    parsed stylesheet is only read by each render, so every render can share it."""
    css = _font_faces() + "\n" + CERTIFICATE_CSS.read_text(encoding="utf-8")
    return CSS(string=css, font_config=FONT_CONFIG, url_fetcher=_url_fetcher())


def render_certificate_pdf(html: str) -> bytes:
    """A certificate (`templates/pdf/certificate.html` rendered) to PDF bytes."""
    return render_pdf(html, stylesheets=[certificate_stylesheet()])


QR_MASK = 0
"""Any of the eight masks gives a valid code; choosing the best (the library's
default) renders the code eight times and was most of the QR step's time."""


def qr_png(data: str) -> str:
    """A QR code for `data` (the verification URL) as a `data:image/png` URI, one
    pixel per module with a two-module quiet zone. The template sizes it and asks
    for `image-rendering: pixelated`, so it prints with sharp edges."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1, mask_pattern=QR_MASK)
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


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
