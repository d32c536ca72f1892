"""403, 404 and 500 in the app's shell, each with a way back (issue 10, item 4).
The 500 page is static: it renders with no database and no context processor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from innovo_compliance import urls
from innovo_compliance.views import permission_denied, server_error


def _in_the_shell(page: str) -> None:
    assert 'class="navbar navbar-expand-xl navbar-dark bg-brand"' in page
    assert 'href="/"' in page and "Go to the home page" in page and f'href="{reverse("help")}"' in page
    assert "(866) 803-1540" in page


@pytest.mark.django_db
def test_a_missing_page_is_a_404_in_the_shell(client, employee):
    client.force_login(employee)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "Page not found" in page
    _in_the_shell(page)
    assert "Avery Alvarez" in page  # the user's own menu


@pytest.mark.django_db
def test_a_visitor_gets_the_404_in_the_shell_too(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _in_the_shell(response.content.decode())


@pytest.mark.django_db
def test_employee_opening_the_queue_gets_a_styled_403(client, employee):
    client.force_login(employee)
    response = client.get(reverse("queue"))
    page = response.content.decode()
    assert response.status_code == 403 and "You may not do this" in page
    _in_the_shell(page)


@pytest.mark.django_db
def test_investigator_opening_legal_holds_gets_a_styled_403(client, investigator):
    client.force_login(investigator)
    response = client.get(reverse("holds"))
    assert response.status_code == 403 and "You may not do this" in response.content.decode()


@pytest.mark.django_db
def test_a_403_never_shows_the_action_code(rf, employee):
    request = rf.get("/cases/1/assign/")
    request.user = employee
    response = permission_denied(request, PermissionDenied("You may not do that (case.assign)."))
    page = response.content.decode()
    assert response.status_code == 403 and "case.assign" not in page and "You may not do this" in page


def test_the_500_page_renders_without_a_database():
    """No django_db mark: pytest-django makes any query here an error."""
    request = RequestFactory().get("/anything/")
    request.user = AnonymousUser()
    response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in page
    _in_the_shell(page)
    assert "Log out" not in page and "Work" not in page  # no user menu: nothing from a session or the roster


def test_the_handlers_are_the_shell_ones():
    assert urls.handler403 == "innovo_compliance.views.permission_denied"
    assert urls.handler404 == "innovo_compliance.views.page_not_found"
    assert urls.handler500 == "innovo_compliance.views.server_error"
