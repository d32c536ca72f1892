"""Pages and who may use them: anonymous → login, someone else's certificate → 404,
HR pages for anyone but HR → 403, GET on a write → 405. Query counts pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.models import Audience, Campaign, CodeVersion, Kind, Obligation
from tests.certifications.helpers import (
    annual_campaign,
    annual_obligation,
    bulk_obligations,
    bulk_people,
    new_hire_obligation,
    person,
    sign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_signed(demo):
    """jbrooks (another new hire) has signed: an obligation and a certificate to hide."""
    obligation = new_hire_obligation("jbrooks")
    sign(obligation)
    return obligation


def _hr_urls(campaign_id, job_id=None):
    urls = [
        reverse("cert_campaigns"),
        reverse("cert_campaign_new"),
        reverse("cert_campaign", args=[campaign_id]),
    ]
    if job_id:
        urls += [
            reverse(name, args=[job_id]) for name in ("cert_export", "cert_export_progress", "cert_export_download")
        ]
    return urls


# --- anonymous --------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_private_pages(client, others_signed, hr_director):
    from certifications.models import ExportJob

    campaign = annual_campaign()
    job = ExportJob.objects.create(campaign=campaign, requested_by=hr_director)
    urls = [
        reverse("cert_mine"),
        reverse("cert_sign", args=[others_signed.pk]),
        reverse("cert_read", args=[others_signed.pk]),
        reverse("cert_download", args=[others_signed.pk]),
        *_hr_urls(campaign.pk, job.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    for url in (
        reverse("cert_campaign_close", args=[campaign.pk]),
        reverse("cert_campaign_export", args=[campaign.pk]),
    ):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    campaign.refresh_from_db()
    assert campaign.is_open


def test_anonymous_can_use_the_verification_page(client, others_signed):
    assert client.get(reverse("cert_verify")).status_code == 200
    number = others_signed.certification.certificate_number
    page = client.get(reverse("cert_verify_number", args=[number])).content.decode()
    assert "Valid certificate" in page and "Jordan Brooks" in page


# --- someone else's ---------------------------------------------------------


def test_employee_cannot_see_another_persons_obligation_or_certificate(client, employee, others_signed):
    client.force_login(employee)
    for name in ("cert_sign", "cert_read", "cert_download"):
        assert client.get(reverse(name, args=[others_signed.pk])).status_code == 404, name
    assert client.post(reverse("cert_sign", args=[others_signed.pk]), {"typed_name": "x"}).status_code == 404
    assert "Jordan Brooks" not in client.get(reverse("cert_mine")).content.decode()


def test_vp_cannot_see_a_new_hires_obligation(client, vp, others_signed):
    client.force_login(vp)
    assert client.get(reverse("cert_sign", args=[others_signed.pk])).status_code == 404


def test_hr_sees_and_downloads_anyones_certificate_but_cannot_sign_for_them(client, hr_director, others_signed):
    client.force_login(hr_director)
    assert client.get(reverse("cert_sign", args=[others_signed.pk])).status_code == 200
    response = client.get(reverse("cert_download", args=[others_signed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    pending = new_hire_obligation("aalvarez")
    assert client.post(reverse("cert_sign", args=[pending.pk]), {"typed_name": "Avery Alvarez"}).status_code == 403


def test_unsigned_certificate_cannot_be_downloaded(client, employee):
    client.force_login(employee)
    assert client.get(reverse("cert_download", args=[new_hire_obligation().pk])).status_code == 404


def test_employee_downloads_their_own_certificate_rendered_on_demand(client, employee):
    obligation = new_hire_obligation()
    certification = sign(obligation)  # no on_commit here: the PDF task has not run
    assert not certification.pdf
    client.force_login(employee)
    response = client.get(reverse("cert_download", args=[obligation.pk]))
    assert response.status_code == 200
    assert f'filename="{certification.certificate_number}.pdf"' in response["Content-Disposition"]
    certification.refresh_from_db()
    assert certification.pdf_sha256


# --- HR pages ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["aalvarez", "dwhitfield", "swhalen", "mcrossman", "rchen"])
def test_only_hr_opens_the_hr_pages(client, demo, username):
    from tests.certifications.helpers import user

    client.force_login(user(username))
    campaign = annual_campaign()
    for url in _hr_urls(campaign.pk):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("cert_campaign_close", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("cert_campaign_export", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_open and not campaign.exports.exists()


def test_get_on_a_write_url_is_refused(client, hr_director):
    client.force_login(hr_director)
    campaign = annual_campaign()
    assert client.get(reverse("cert_campaign_close", args=[campaign.pk])).status_code == 405
    assert client.get(reverse("cert_campaign_export", args=[campaign.pk])).status_code == 405
    assert client.put(reverse("cert_sign", args=[new_hire_obligation().pk])).status_code == 405


def test_hr_opens_a_campaign(client, hr_director):
    client.force_login(hr_director)
    assert client.get(reverse("cert_campaign_new")).status_code == 200
    response = client.post(
        reverse("cert_campaign_new"),
        {
            "kind": Kind.CONFIRMATION,
            "audience": Audience.EVERYONE,
            "year": 2031,
            "title": "Re-acknowledgement 2031",
            "due_date": "2099-01-31",
            "reminder_plan": ["assigned", "due_day"],
        },
    )
    campaign = Campaign.objects.get(title="Re-acknowledgement 2031")
    assert response.status_code == 302 and response["Location"] == reverse("cert_campaign", args=[campaign.pk])
    assert campaign.created_by == hr_director and campaign.reminder_plan == ["assigned", "due_day"]
    assert campaign.obligations.count() > 40


def test_campaign_form_keeps_what_was_typed_on_error(client, hr_director):
    client.force_login(hr_director)
    year = annual_campaign().year
    before = Campaign.objects.count()
    data = {
        "kind": Kind.ANNUAL,
        "audience": Audience.VP_AND_ABOVE,
        "year": year,
        "title": "Second annual round",
        "due_date": "2099-03-15",
    }
    response = client.post(reverse("cert_campaign_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "already open" in page
    assert 'value="Second annual round"' in page and 'value="2099-03-15"' in page
    response = client.post(reverse("cert_campaign_new"), {**data, "year": 2040, "due_date": "2001-01-01"})
    assert "The due date must be after today" in response.content.decode()
    assert Campaign.objects.count() == before


def test_hr_lists_campaigns_with_their_counts(client, hr_director):
    sign(annual_obligation("gkim"))
    client.force_login(hr_director)
    page = client.get(reverse("cert_campaigns")).content.decode()
    assert "Annual certification" in page and "1 / 7" in page and "New-hire confirmation certificates" in page


def test_hr_closes_a_campaign(client, hr_director):
    client.force_login(hr_director)
    campaign = annual_campaign()
    response = client.post(reverse("cert_campaign_close", args=[campaign.pk]), follow=True)
    assert "is closed" in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.is_open
    assert not campaign.obligations.filter(status=Obligation.Status.PENDING).exists()


def test_dashboard_counts_departments_and_chart(client, hr_director):
    campaign = annual_campaign()
    sign(annual_obligation("gkim"))
    client.force_login(hr_director)
    page = client.get(reverse("cert_campaign", args=[campaign.pk])).content.decode()
    assert "signed of 7" in page
    assert "<svg" in page and "<rect" in page and "Design: 1 of 1 signed." in page
    assert "style=" not in page  # the CSP blocks inline styles
    assert "<script>" not in page


def test_dashboard_uses_a_fixed_number_of_queries(client, hr_director, django_assert_max_num_queries):
    code = CodeVersion.current()
    campaign = Campaign.objects.create(
        kind=Kind.ANNUAL,
        audience=Audience.EVERYONE,
        year=2030,
        title="Size test",
        code_version=code,
        opens_on="2030-01-01",
        due_date="2030-02-01",
    )
    client.force_login(hr_director)
    url = reverse("cert_campaign", args=[campaign.pk])
    bulk_obligations(campaign, bulk_people(10))
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_obligations(campaign, bulk_people(190, start=10))
    with django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert "signed of 200" in page


def test_home_lists_my_pending_certificates(client, employee):
    client.force_login(employee)
    page = client.get(reverse("home")).content.decode()
    obligation = new_hire_obligation()
    assert "Read and sign: Confirmation Certificate" in page
    assert reverse("cert_sign", args=[obligation.pk]) in page


def test_hr_home_summarises_open_campaigns(client, hr_director):
    client.force_login(hr_director)
    page = client.get(reverse("home")).content.decode()
    assert "Certification campaigns" in page and "0 of 7 signed" in page


def test_my_pending_certificates_use_a_fixed_number_of_queries(client, employee, django_assert_max_num_queries):
    me = person("aalvarez")
    code = CodeVersion.current()

    def campaigns(start, count):
        made = Campaign.objects.bulk_create(
            Campaign(
                kind=Kind.ANNUAL,
                audience=Audience.EVERYONE,
                year=2000 + n,
                title=f"Round {n}",
                code_version=code,
                opens_on="2020-01-01",
                due_date="2099-01-01",
            )
            for n in range(start, start + count)
        )
        Obligation.objects.bulk_create(
            Obligation(campaign=c, person=me, code_version=code, assigned_on="2020-01-01", due_date="2099-01-01")
            for c in made
        )

    client.force_login(employee)
    campaigns(0, 9)  # with the new-hire obligation: 10
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
        client.get(reverse("cert_mine"))
    campaigns(9, 190)
    with django_assert_max_num_queries(len(small)):
        home = client.get(reverse("home")).content.decode()
        mine = client.get(reverse("cert_mine")).content.decode()
    assert home.count("Read and sign:") == 200 and mine.count("Read and sign</a>") == 200


def test_read_the_code_still_works_without_an_obligation(client, employee):
    client.force_login(employee)
    page = client.get(reverse("read_code")).content.decode()
    assert "Conflicts of Interest" in page and "Continue to sign" not in page


def _people_on(html: str) -> list[str]:
    import re

    return re.findall(r'<td><a href="/certifications/\d+/">([^<]+)</a></td>', html)


def _link(html: str, rel: str) -> str | None:
    import re

    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("status", ["all", "pending"])
def test_dashboard_pages_walk_every_person_once_by_keyset(client, hr_director, status, monkeypatch):
    """Issue 12: the people list pages by the row it starts from (department, name, id),
    names shared across departments included; Next to the end and Previous back give
    every person once, in order, with no OFFSET, a deep page costing what the first does."""
    from certifications import hr_views, selectors

    monkeypatch.setattr(hr_views, "PEOPLE_PER_PAGE", 7)
    campaign = annual_campaign()
    people = bulk_people(40)
    Person = type(people[0])
    Person.objects.filter(pk__in=[p.pk for p in people[:6]]).update(name="Same Name")  # ties on the name
    bulk_obligations(campaign, people)
    from django.utils import timezone

    expected = [o.person.name for o in selectors.campaign_people(campaign, timezone.localdate(), status)]
    client.force_login(hr_director)
    url = reverse("cert_campaign", args=[campaign.pk])
    html = client.get(url, {"status": status}).content.decode()
    pages = [_people_on(html)]
    assert _link(html, "prev") is None
    while (link := _link(html, "next")) is not None:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url + "?" + link).content.decode()
        assert not any("OFFSET" in q["sql"] for q in queries.captured_queries)
        pages.append(_people_on(html))
    assert [name for page in pages for name in page] == expected and len(pages) > 3
    assert all(len(page) == 7 for page in pages[:-1])
    back = [_people_on(html)]
    while (link := _link(html, "prev")) is not None:
        html = client.get(url + "?" + link).content.decode()
        back.append(_people_on(html))
    assert back[::-1] == pages


@pytest.mark.parametrize("raw", ["x", "e30", "WzEsMl0", "W3RydWUsIDEsIDJd", "%%%", "a" * 3000])
def test_dashboard_cursor_that_is_not_one_shows_the_first_page(client, hr_director, raw):
    campaign = annual_campaign()
    client.force_login(hr_director)
    url = reverse("cert_campaign", args=[campaign.pk])
    first = _people_on(client.get(url).content.decode())
    for name in ("after", "before"):
        response = client.get(url, {name: raw})
        assert response.status_code == 200 and _people_on(response.content.decode()) == first
