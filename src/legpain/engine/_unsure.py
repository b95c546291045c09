"""Warning signs the person was asked about and could not answer.

"Not mentioned" and "asked, and not sure" differ: a case file that never speaks
of chest pain says nothing, but a person asked twice whether they have chest pain
who still cannot say might have it. Such a sign keeps the level at least where it
would be if the sign were there, capped at urgent: they are told to get seen
within a day, and what to do at once if the sign is there.

Monotone by construction: if an unsure sign turns out present, its own level
(which this floor never exceeds) applies directly; any other unsure sign's floor
is computed with more signs present, so it can only rise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from legpain.engine._answers import Value
from legpain.engine.triage import RANK, FiredRule, TriageDecision
from legpain.knowledge import KnowledgeBase, TriageLevel

UNSURE_CAP: TriageLevel = "urgent"
UNSURE_RULE_PREFIX = "unsure:"


def unsure_rules(
    kb: KnowledgeBase,
    answers: Mapping[str, Value],
    unsure: Iterable[str],
    decide: Callable[[Mapping[str, Value]], TriageDecision],
) -> list[FiredRule]:
    """One rule per unsure warning sign whose presence would raise the level above routine."""
    out: list[FiredRule] = []
    for fid in sorted(set(unsure)):
        if fid not in kb.warning_findings or answers.get(fid) is not None:
            continue
        if_present = decide({**answers, fid: True})
        if RANK[if_present.level] < RANK[UNSURE_CAP]:
            continue
        top = next((r for r in if_present.rules if r.level == if_present.level), None)
        label = kb.findings[fid].label
        action = top.action if top is not None else "Get medical help now."
        out.append(
            FiredRule(
                id=f"{UNSURE_RULE_PREFIX}{fid}",
                kind="red_flag",
                level=UNSURE_CAP,
                message=f"You were not sure whether you have {label}. If you do: {action}",
                action="If you are still not sure, see a doctor today.",
                suspect=top.suspect if top is not None else None,
                source="judgement",
            )
        )
    return out
