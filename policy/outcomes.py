"""What a rule check says: findings, each with a rule id, and one verdict.

APP-1: every decision is documented, so an `Outcome` can be stored as JSON
(`to_dict`/`from_dict`) next to the filing it judged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from policy.routing import Decider


class Verdict(StrEnum):
    ALLOWED = "allowed"  # allowed and recorded: nothing to decide
    NEEDS_APPROVAL = "needs_approval"
    PROHIBITED = "prohibited"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]

    @property
    def severity(self) -> int:
        """APP-1: the order used by `combine`."""
        return _SEVERITY[self]


_VERDICT_LABELS = {
    Verdict.ALLOWED: "Allowed and recorded",
    Verdict.NEEDS_APPROVAL: "Needs approval",
    Verdict.PROHIBITED: "Prohibited",
}
_SEVERITY = {Verdict.ALLOWED: 0, Verdict.NEEDS_APPROVAL: 1, Verdict.PROHIBITED: 2}


@dataclass(frozen=True)
class Finding:
    """One rule's say about the facts, in plain English for the filer."""

    rule_id: str
    verdict: Verdict
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        if not self.rule_id:
            raise ValueError("A finding needs a rule id.")

    def to_dict(self) -> dict[str, str]:
        """APP-1: the finding as stored JSON."""
        return {
            "rule_id": self.rule_id,
            "verdict": self.verdict.value,
            "reason": self.reason,
        }


def combine(findings: Iterable[Finding]) -> Verdict:
    """APP-1: the worst verdict among the findings (PROHIBITED >
    NEEDS_APPROVAL > ALLOWED); no findings at all means ALLOWED."""
    worst = Verdict.ALLOWED
    for finding in findings:
        if finding.verdict.severity > worst.severity:
            worst = finding.verdict
    return worst


@dataclass(frozen=True)
class Outcome:
    """The verdict on a filing, the findings behind it and who must approve.

    `approver` is left None by the rule checks and filled by routing
    (`with_approver`), because who decides depends on the filer's role on
    the day of filing, not on the facts.
    """

    verdict: Verdict
    findings: tuple[Finding, ...] = ()
    approver: Decider | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        object.__setattr__(self, "findings", tuple(self.findings))
        if self.approver is not None:
            object.__setattr__(self, "approver", Decider(self.approver))

    @classmethod
    def of(cls, findings: Iterable[Finding], *, approver: Decider | None = None) -> "Outcome":
        """APP-1: an outcome whose verdict is the worst of its findings."""
        findings = tuple(findings)
        return cls(verdict=combine(findings), findings=findings, approver=approver)

    def with_approver(self, approver: Decider | None) -> "Outcome":
        """APP-1: the same outcome with the decider chosen by routing."""
        return replace(self, approver=approver)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """APP-1: every rule id in the findings, in order, without repeats."""
        return tuple(dict.fromkeys(f.rule_id for f in self.findings))

    @property
    def reasons(self) -> tuple[str, ...]:
        """APP-1: the plain-English reasons, in the findings' order."""
        return tuple(f.reason for f in self.findings)

    @property
    def deciding_rule_ids(self) -> tuple[str, ...]:
        """APP-1: the rule ids whose findings set the verdict (all of them if none do)."""
        ids = tuple(dict.fromkeys(f.rule_id for f in self.findings if f.verdict == self.verdict))
        return ids or self.rule_ids

    @property
    def summary(self) -> str:
        """For example "Needs approval (GIFT-3)"."""
        ids = self.deciding_rule_ids
        return f"{self.verdict.label} ({', '.join(ids)})" if ids else self.verdict.label

    def to_dict(self) -> dict[str, Any]:
        """APP-1: the outcome as JSON, stored with the filing."""
        return {
            "verdict": self.verdict.value,
            "findings": [f.to_dict() for f in self.findings],
            "approver": self.approver.value if self.approver is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Outcome":
        """APP-1: the inverse of `to_dict`."""
        approver = data.get("approver")
        return cls(
            verdict=Verdict(data["verdict"]),
            findings=tuple(
                Finding(
                    rule_id=f["rule_id"],
                    verdict=Verdict(f["verdict"]),
                    reason=f["reason"],
                )
                for f in data.get("findings", ())
            ),
            approver=Decider(approver) if approver is not None else None,
        )
