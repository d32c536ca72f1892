"""The certificate renderer reads nothing but inline `data:` URIs (no network, no disk)."""

import base64
import io

import pypdf
import pytest
from PIL import Image

from certifications import pdf
from tests.certifications.test_signing import VERIFY_URL, _render_certificate_html


@pytest.mark.parametrize("url", ["http://example.com/logo.png", "https://example.com/a.css", "file:///etc/passwd"])
def test_the_renderer_fetches_nothing_from_the_network_or_the_disk(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf._url_fetcher()(url)


def test_an_external_image_in_the_html_is_left_out_not_fetched():
    data = pdf.render_pdf('<p>Certificate</p><img src="file:///etc/hostname">')
    assert data.startswith(b"%PDF-")


# --- the lighter certificate (issue 12): its fonts, its QR code, what it embeds -------------


def _fonts(data: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF (without the subset prefix)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def _text(data: bytes) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_a_certificate_embeds_only_the_cut_down_latin_fonts():
    """CERT-1, CERT-2: a Latin name needs no system font beyond the certificate's own
    faces (DejaVu cut down to Latin once per process), each subsetted again to the
    glyphs the page uses; the file stays small."""
    data = pdf.render_certificate_pdf(_render_certificate_html(person_name="Dana Example", typed_name="Dana Example"))
    faces = {"Certificate-Serif", "Certificate-Serif-Italic", "Certificate-Serif-Bold", "Certificate-Mono"}
    assert _fonts(data) == faces
    assert "Dana Example" in _text(data)
    assert len(data) < 40_000


@pytest.mark.parametrize("name", ["王小明", "山田 花子", "김민준"])
def test_a_name_in_chinese_japanese_or_korean_still_renders(name):
    """CERT-1: the Latin-only faces fall back to Noto Serif CJK for the name, which
    is printed (and extractable), not replaced by empty boxes."""
    data = pdf.render_certificate_pdf(_render_certificate_html(person_name=name, typed_name=name))
    assert any(font.startswith("Noto-Serif-CJK") for font in _fonts(data)), _fonts(data)
    assert name in _text(data)


def test_the_qr_code_is_a_sharp_png_of_one_pixel_per_module():
    """The QR code of the verification address: a PNG data URI, square, one pixel per
    module with a two-module quiet zone, with the three finder patterns where a
    reader looks for them; the template prints it pixelated (no blur)."""
    uri = pdf.qr_png(VERIFY_URL)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("1")
    size = image.width
    assert image.height == size and (size - 4 - 21) % 4 == 0  # version v has 17 + 4v modules
    dark = lambda x, y: image.getpixel((x, y)) == 0  # noqa: E731
    for left, top in ((2, 2), (size - 9, 2), (2, size - 9)):  # 7x7 finder: dark ring, light ring, dark core
        assert all(dark(left + i, top) and dark(left + i, top + 6) for i in range(7))
        assert not dark(left + 1, top + 1) and dark(left + 3, top + 3)
    assert not dark(0, 0) and not dark(1, 1)  # the quiet zone
    assert "image-rendering: pixelated" in pdf.CERTIFICATE_CSS.read_text()


def test_the_certificate_stylesheet_is_parsed_once_per_process():
    assert pdf.certificate_stylesheet() is pdf.certificate_stylesheet()
