"""Forms parse and validate; they never save (the services do)."""

from approvals.forms.filings import FORMS, ConflictForm, FilingForm, GiftForm, PreApprovalForm, WaiverForm  # noqa: F401
from approvals.forms.work import (  # noqa: F401
    AnswerForm,
    DecisionForm,
    DisclosureForm,
    InboxFilterForm,
    RequestInfoForm,
    WithdrawForm,
)
