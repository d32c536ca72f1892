"""Only what serving django-helpdesk needs: helpdesk, and the admin its ticket page links to."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("helpdesk/", include("helpdesk.urls")),
    path("admin/", admin.site.urls),
]
