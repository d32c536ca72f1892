from django.db.models import Q
from django.utils import timezone

from people.models import Committee, CommitteeMembership, Designation, Person, RoleDesignation


def assignable_people():
    """Who can be given a case today: investigators, the compliance officer, the HR
    director, the board liaison and audit committee members (one query)."""
    today = timezone.localdate()
    roles = RoleDesignation.objects.on(today).filter(
        role__in=[
            Designation.INVESTIGATOR,
            Designation.COMPLIANCE_OFFICER,
            Designation.HR_DIRECTOR,
            Designation.BOARD_LIAISON,
        ]
    )
    audit = CommitteeMembership.objects.on(today).filter(committee__slug=Committee.AUDIT)
    return Person.objects.filter(Q(id__in=roles.values("person_id")) | Q(id__in=audit.values("person_id"))).order_by(
        "name"
    )
