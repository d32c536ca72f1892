"""The certificate renderer reads nothing but inline `data:` URIs (no network, no disk)."""

import pytest

from certifications import pdf


@pytest.mark.parametrize("url", ["http://example.com/logo.png", "https://example.com/a.css", "file:///etc/passwd"])
def test_the_renderer_fetches_nothing_from_the_network_or_the_disk(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf._url_fetcher()(url)


def test_an_external_image_in_the_html_is_left_out_not_fetched():
    data = pdf.render_pdf('<p>Certificate</p><img src="file:///etc/hostname">')
    assert data.startswith(b"%PDF-")
