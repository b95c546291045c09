"""What the result page shows, taken from the engine's result JSON.

Presentation only: wording of headings and the order of sections. Every clinical
statement (level, actions, causes, reasons, advice) comes from the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from legpain.engine import Engine

BANNER_TITLE = {
    "emergency": "Emergency: get help now",
    "urgent": "Urgent: see a doctor within 24 hours",
    "routine": "See a doctor within about two weeks",
    "self_care": "You can look after this at home",
}
SHOWN_CAUSES = 5
MIN_EXPLAINED = 0.05  # reasons for a cause below this would be noise


@dataclass
class CauseView:
    id: str
    name: str
    percent: int
    summary: str = ""
    reasons_for: list[dict[str, Any]] = field(default_factory=list)
    reasons_against: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ResultView:
    level: str
    title: str
    action: str
    red_flags: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    causes: list[CauseView]
    contributors: list[str]
    scores: list[dict[str, Any]]
    advice: dict[str, list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    answers: list[tuple[str, str]]
    disclaimer: str


def _display(value: Any, unit: str | None = None) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        text = f"{value:g}"
        return f"{text} {unit}" if unit else text
    return str(value).replace("_", " ")


def choice_label(value: str) -> str:
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def result_view(engine: Engine, result: dict[str, Any], known: dict[str, Any]) -> ResultView:
    kb = engine.kb
    causes: list[CauseView] = []
    for i, c in enumerate(result["conditions"][:SHOWN_CAUSES]):
        view = CauseView(c["id"], c["name"], round(100 * c["probability"]))
        if "summary" in c and (i == 0 or c["probability"] >= MIN_EXPLAINED):
            view.summary = c["summary"]
            view.reasons_for = c["reasons_for"]
            view.reasons_against = c["reasons_against"]
        causes.append(view)

    cited: list[str] = []

    def cite(source: str | None) -> None:
        if source and source not in cited:
            cited.append(source)

    for r in result["red_flags"] + result["reasons_to_see_a_doctor"]:
        cite(r.get("source"))
    for cv in causes:
        for reason in cv.reasons_for + cv.reasons_against:
            cite(reason.get("source"))
    for items in result["advice"].values():
        for a in items:
            cite(a.get("source"))
    sources = [
        {
            "id": s,
            "title": kb.sources[s].title if s in kb.sources else s,
            "url": kb.sources[s].url if s in kb.sources else None,
        }
        for s in cited
    ]
    scores = [
        s
        for s in result["scores"]
        if s.get("band") and (s.get("points", 0) > 0 or s.get("all_criteria_met"))
    ]
    answers = [
        (kb.findings[f].label, _display(v, kb.findings[f].unit))
        for f, v in known.items()
        if f in kb.findings
    ]
    return ResultView(
        level=result["triage"],
        title=BANNER_TITLE[result["triage"]],
        action=result["triage_action"],
        red_flags=result["red_flags"],
        reviews=result["reasons_to_see_a_doctor"],
        causes=causes,
        contributors=[d["label"] for d in result["contributor_details"]],
        scores=scores,
        advice=result["advice"],
        sources=sources,
        answers=answers,
        disclaimer=result["disclaimer"],
    )
