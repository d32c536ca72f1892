from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from certifications import views as cert_views
from innovo_compliance import admin_fixes, mailbox_views, views
from people import views as people_views
from people.auth_forms import (
    ThrottledAdminAuthenticationForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordResetForm,
    UnlockingSetPasswordForm,
)

# Wrong passwords lock the account for a while, on the admin's login page too (people/throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm
admin_fixes.install()

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.get_help, name="help"),
    path("healthz", views.healthz, name="healthz"),
    path("code/", cert_views.read_code, name="read_code"),
    path("roster/import/", people_views.roster_import, name="roster_import"),
    path("roster/search/", people_views.roster_search, name="roster_search"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=UnlockingSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("certifications/", include("certifications.urls")),
    path("approvals/", include("approvals.urls")),
    path("insiders/", include("insiders.urls")),
    path("governance/", include("governance.urls")),
    path("", include("cases.urls")),
    path("admin/", admin.site.urls),
    path("dev/mailbox/", mailbox_views.dev_mailbox, name="dev_mailbox"),  # DEBUG only: 404 otherwise
]

# Bad requests answer in the app's shell (innovo_compliance/middleware.py).
handler400 = "innovo_compliance.middleware.handler400"
# 403, 404 and 500 in the shell too; the 500 page is static (it renders with the database down).
handler403 = "innovo_compliance.views.permission_denied"
handler404 = "innovo_compliance.views.page_not_found"
handler500 = "innovo_compliance.views.server_error"
