"""Every change to a case goes through these services (STYLE.md)."""

from cases.services.common import CaseError, CaseNotFound, record_event  # noqa: F401
from cases.services.holds import (  # noqa: F401
    LegalHoldError,
    hold_create,
    hold_release,
    is_held,
    purge_expired,
)
from cases.services.intake import (  # noqa: F401
    ReportInput,
    Upload,
    report_submit,
)
from cases.services.parties import Party, party_add, party_clear, party_confirm  # noqa: F401
from cases.services.receipts import case_for_receipt_key  # noqa: F401
from cases.services.work import (  # noqa: F401
    case_assign,
    case_merge,
    case_transition,
    case_withdraw,
    cases_bulk_assign,
    finding_record,
    link_add,
    message_from_reporter,
    message_to_reporter,
    note_add,
    task_add,
    task_done,
)
