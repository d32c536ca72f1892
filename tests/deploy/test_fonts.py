"""Certificates print Chinese and Japanese names with real glyphs (Noto CJK), not as
empty boxes: the name comes back out of the PDF as text, set in an embedded CJK font."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from certifications.services.certify import certificate_issue_pdf
from people.models import Person
from tests.certifications.helpers import new_hire_obligation, sign

pytestmark = pytest.mark.django_db


def _fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont", "")))
            for descendant in font.get("/DescendantFonts", []):
                names.add(str(descendant.get_object().get("/BaseFont", "")))
    return names


@pytest.mark.services  # needs fonts-noto-cjk (the image and CI install it)
@pytest.mark.parametrize("name", ["山田 花子", "王小明"])
def test_certificate_with_a_cjk_name_has_its_glyphs(name, demo, signing_keys):
    if not shutil.which("fc-list") or "CJK" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("no Noto CJK font installed: apt-get install fonts-noto-cjk")
    obligation = new_hire_obligation()
    Person.objects.filter(pk=obligation.person_id).update(name=name)
    obligation.person.refresh_from_db()
    certification = certificate_issue_pdf(certification_id=sign(obligation).pk)
    with certification.pdf.open("rb") as handle:
        data = handle.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert name.replace(" ", "") in text.replace(" ", "")  # real characters, not .notdef boxes
    fonts = _fonts(data)
    assert any("CJK" in font for font in fonts), fonts
