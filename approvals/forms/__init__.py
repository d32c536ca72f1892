"""Forms parse and validate; they never save (the services do)."""

from approvals.forms.base import FilingForm  # noqa: F401
from approvals.forms.conflict import ConflictForm
from approvals.forms.gift import GiftForm, PreApprovalForm
from approvals.forms.waiver import WaiverForm
from approvals.forms.work import (  # noqa: F401
    AnswerForm,
    DecisionForm,
    DisclosureForm,
    InboxFilterForm,
    RequestInfoForm,
)

FORMS = {
    "conflict": ConflictForm,
    "gift": GiftForm,
    "preapproval": PreApprovalForm,
    "waiver": WaiverForm,
}
