"""Access rules for board governance and the related-party register (BOARD-1,
BOARD-2, RPT-1).

| role | governance cases, board history | related-party register |
|---|---|---|
| compliance officer | sees; records the letter date, enters annual meetings | sees; enters transactions |
| board liaison | the same | the same, and records the Board's or the committee's decisions |
| audit committee member | sees (read-only) | sees (read-only) |
| anyone else | nothing: 404 | nothing: 404 |
"""

from governance.models import AnnualMeeting, GovernanceCase, RelatedPartyTransaction
from innovo_compliance.permissions.common import is_audit_member, is_board_liaison, is_compliance_officer


def governs(user) -> bool:
    """The compliance officer and the board liaison: they work governance."""
    return is_compliance_officer(user) or is_board_liaison(user)


def may_view(user) -> bool:
    return governs(user) or is_audit_member(user)


ACTIONS = {
    "governance.view": lambda user, obj: may_view(user),
    "governance.edit": lambda user, obj: governs(user),
    "governance.banner": lambda user, obj: governs(user),
    "rpt.view": lambda user, obj: may_view(user),
    "rpt.edit": lambda user, obj: governs(user),
    "rpt.approve": lambda user, obj: is_board_liaison(user),
}


def _viewers_only(model):
    return lambda user: model.objects.all() if may_view(user) else model.objects.none()


VISIBLE = {
    GovernanceCase: _viewers_only(GovernanceCase),
    AnnualMeeting: _viewers_only(AnnualMeeting),
    RelatedPartyTransaction: _viewers_only(RelatedPartyTransaction),
}
