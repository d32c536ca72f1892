from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certifications.codetext import sections
from certifications.models import CodeVersion


@login_required
@require_GET
def read_code(request):
    """The current Code in full, with a table of contents and an anchor per section."""
    code = CodeVersion.current()
    if code is None:
        raise Http404("No Code has been published yet.")
    parts = sections(code.text)
    return render(request, "certifications/code.html", {"code": code, "sections": parts})
