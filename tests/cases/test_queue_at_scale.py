"""Issue 4 acceptance: with 100,000 generated cases the queue page makes the same
number of queries as with 10 (and the last page and a search stay at that number)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.scale import Generator, Sizes
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_queue_queries_are_the_same_with_10_and_100000_cases(client, compliance_officer):
    for _ in range(10):
        report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    queries(client, reverse("queue"))  # warm the viewer's cached roles
    small = [
        queries(client, reverse("queue")),
        queries(client, reverse("queue"), q="supplier"),
        queries(client, reverse("queue"), page="9999"),
    ]
    Generator(
        sizes=Sizes(people=300, cases=100_000, events=0, certifications=0, gifts=20_000), seed=1, log=lambda *_: None
    ).run()
    queries(client, reverse("queue"))  # the generator bumped the role cache: warm it again
    large = [
        queries(client, reverse("queue")),
        queries(client, reverse("queue"), q="supplier"),
        queries(client, reverse("queue"), page="9999"),
    ]
    assert large == small
    assert max(large) <= 12
    from cases.models import Case
    from innovo_compliance.permissions import visible

    total = visible(compliance_officer, Case).count()  # drafts of others are not visible
    assert total > 95_000
    assert f"{total} cases" in client.get(reverse("queue")).content.decode()
