"""Access rules for certifications (see the package docstring).

- Anyone on the roster sees their own obligations and certificates; may read the Code
  for, and sign, their own pending obligation and download their own certificate.
- The director of human resources sees every obligation, certificate, campaign and
  export; may open and close campaigns, download anyone's certificate, export.
- Anybody else sees nothing of anyone else's (404) and opens no HR page (403).
- Anonymous visitors see the public verification page only.

Superusers manage Code versions in the Django admin; they are not HR and see no one's
certificates here.
"""

from certifications.models import Campaign, Certification, ExportJob, Obligation
from innovo_compliance.permissions.common import is_hr


def _own(user, obligation) -> bool:
    return obligation is not None and obligation.person.user_id == user.pk


def _signable(user, obligation) -> bool:
    return _own(user, obligation) and obligation.is_pending and obligation.campaign.is_open


def _downloadable(user, obligation) -> bool:
    return (
        obligation is not None
        and obligation.status == Obligation.Status.SIGNED
        and (_own(user, obligation) or is_hr(user))
    )


ACTIONS = {
    "certifications.manage": lambda user, obj: is_hr(user),
    "certifications.sign": _signable,
    "certifications.download": _downloadable,
    "certifications.export": lambda user, campaign: is_hr(user),
    "certifications.close": lambda user, campaign: is_hr(user) and campaign is not None and campaign.is_open,
}


def _obligations(user):
    if is_hr(user):
        return Obligation.objects.all()
    return Obligation.objects.filter(person__user=user)


def _certifications(user):
    if is_hr(user):
        return Certification.objects.all()
    return Certification.objects.filter(obligation__person__user=user)


def _hr_only(model):
    return lambda user: model.objects.all() if is_hr(user) else model.objects.none()


VISIBLE = {
    Obligation: _obligations,
    Certification: _certifications,
    Campaign: _hr_only(Campaign),
    ExportJob: _hr_only(ExportJob),
}
