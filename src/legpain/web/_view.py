"""What the result page shows, taken from the engine's result JSON.

Presentation only: wording of headings and the order of sections. Every clinical
statement (level, actions, causes, reasons, advice) comes from the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from legpain.engine import Engine
from legpain.text import ParseResult

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


SET_ASIDE_WHY = {
    "uncertain": "you were not sure",
    "hypothetical": "a worry or a question, not something that happened",
    "family": "about someone in your family",
    "other_person": "about someone else",
    "past": "in the past",
    "conflicting": "said both ways",
}


@dataclass
class Chip:
    """One finding read from free text, shown so the person can keep or drop it."""

    field: str  # "<finding id>=<JSON value>", posted back when kept
    text: str


@dataclass
class UnderstoodView:
    chips: list[Chip]
    asked_again: list[str]  # denied warning signs: the screen asks them anyway
    set_aside: list[str]
    unplaced: list[str]


def understood_view(engine: Engine, parsed: ParseResult) -> UnderstoodView:
    kb = engine.kb
    keep = parsed.prefill(kb)
    chips = []
    for fid, value in keep.items():
        f = kb.findings[fid]
        label = f.label[:1].upper() + f.label[1:]
        text = label if value is True else f"{label}: {_display(value, f.unit)}"
        chips.append(Chip(f"{fid}={json.dumps(value)}", text))
    asked_again = [kb.findings[f].label for f in parsed.answers if f not in keep]
    set_aside = [f"“{s.text}” ({SET_ASIDE_WHY.get(s.reason, s.reason)})" for s in parsed.set_aside]
    return UnderstoodView(chips, asked_again, set_aside, list(parsed.unplaced))


def chip_answers(fields: list[str]) -> dict[str, Any]:
    """The answers of the chips a person kept; ValueError naming a malformed one."""
    answers: dict[str, Any] = {}
    for raw in fields:
        fid, sep, value = raw.partition("=")
        try:
            if not sep:
                raise ValueError
            answers[fid] = json.loads(value)
        except ValueError:
            raise ValueError(f"answer {raw[:60]!r}: expected finding=value") from None
    return answers
