"""The development mailbox page (innovo_compliance/devmail.py): only with DEBUG."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from innovo_compliance.devmail import mailbox, mailbox_directory


@require_GET
def dev_mailbox(request):
    """Every e-mail the app sent in development, newest first, for any logged-in
    user. Without DEBUG the page does not exist (404), whoever asks."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only with DEBUG.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    directory = mailbox_directory()
    mails, total = mailbox(directory) if directory else ([], 0)
    return render(
        request,
        "devmail/mailbox.html",
        {"mails": mails, "total": total, "directory": directory, "backend": settings.MAILERS["default"]},
    )
