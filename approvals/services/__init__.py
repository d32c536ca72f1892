"""Every change to a filing goes through these services (STYLE.md): lock, check
permission and transition, save, append an event, queue e-mail on commit."""

from approvals.services.decisions import (  # noqa: F401
    DecisionInput,
    disclosure_mark,
    filing_answer,
    filing_decide,
    filing_request_info,
)
from approvals.services.filings import (  # noqa: F401
    filing_create,
    filing_file,
    filing_reconfirm,
    filing_renew,
    filing_submit,
    filing_update,
    filing_withdraw,
)
