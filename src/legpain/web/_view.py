"""What the result page shows, taken from the engine's result JSON.

Presentation only: wording of headings and the order of sections. Every clinical
statement (level, actions, causes, reasons, advice) comes from the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from legpain.engine import Engine
from legpain.engine._unsure import UNSURE_RULE_PREFIX
from legpain.engine.advice import while_waiting
from legpain.engine.explain import format_probability
from legpain.engine.triage import RANK
from legpain.text import ParseResult

BANNER_TITLE = {
    "emergency": "Emergency: get help now",
    "urgent": "Urgent: see a doctor within 24 hours",
    "routine": "See a doctor within about two weeks",
    "self_care": "You can look after this at home",
}
FIRST_STEP_LABEL = {
    "emergency": "While you wait",
    "urgent": "Until then",
    "routine": "Tonight",
    "self_care": "Tonight",
}
SHOWN_CAUSES = 3
HIDDEN_BELOW = 0.02  # causes under 2% are left out (they round to "under 1%"-ish noise)
SOMETHING_ELSE_FROM = 0.05  # "Something else" is shown with its share from 5%


@dataclass
class CauseView:
    id: str
    name: str
    percent: float  # 0-100, for bars drawn to scale
    shown: str  # "23%", "under 1%", "over 99%"
    summary: str = ""
    reasons_for: list[dict[str, Any]] = field(default_factory=list)
    reasons_against: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ResultView:
    level: str
    emergency: bool
    title: str
    action: str
    unsure: list[str]  # "not sure" warning signs: what to do if the sign is there
    red_flags: list[dict[str, Any]]  # the warning signs that set the level shown
    other_flags: list[str]  # warning signs of a lower level: their messages only
    first_step_label: str
    first_step: str | None
    steps: list[dict[str, Any]]  # after the first: tonight, or while waiting
    reviews: list[dict[str, Any]]
    causes: list[CauseView]
    something_else: CauseView | None
    other_cause_note: str | None
    contributors: list[str]
    scores: list[dict[str, Any]]
    advice: dict[str, list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    answers: list[tuple[str, str]]
    denied_signs: list[str]
    positive: list[str]
    disclaimer: str
    kb_version: str = ""


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


@cache
def kb_version() -> str:
    """The knowledge base's version: vocabulary version, package version and a
    digest of the data files (so two PDFs can be compared)."""
    import hashlib
    from importlib import resources

    import legpain

    root = resources.files("legpain.knowledge").joinpath("data")
    digest = hashlib.sha256()
    vocab_version = "?"

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda n: n.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".yaml"):
                digest.update(f"{prefix}{child.name}".encode())
                digest.update(child.read_bytes())

    walk(root, "")
    for line in root.joinpath("vocabulary.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("version:"):
            vocab_version = line.split(":", 1)[1].split("#", 1)[0].strip()
            break
    return f"vocabulary v{vocab_version}, legpain {legpain.__version__}, data {digest.hexdigest()[:12]}"


def _cause(c: dict[str, Any]) -> CauseView:
    p = float(c["probability"])
    return CauseView(c["id"], c["name"], 100 * p, format_probability(p))


def result_view(engine: Engine, result: dict[str, Any], known: dict[str, Any]) -> ResultView:
    """The result, one level, one message: every part speaks of the level shown.

    The clinical choices are the engine's (advice filtered by level and by the
    person in ``engine.advice``; the steps while waiting from the knowledge base);
    this only orders them for a phone screen."""
    kb = engine.kb
    level = result["triage"]
    emergency = level == "emergency"
    rank = RANK

    shown = [c for c in result["conditions"] if c["probability"] >= HIDDEN_BELOW][:SHOWN_CAUSES]
    if not shown:
        shown = result["conditions"][:1]
    causes: list[CauseView] = []
    for c in shown:
        view = _cause(c)
        if "summary" in c:
            view.summary = c["summary"]
            view.reasons_for = c["reasons_for"]
            view.reasons_against = c["reasons_against"]
        causes.append(view)
    rest = max(0.0, 1.0 - sum(float(c["probability"]) for c in shown))
    something_else = (
        CauseView("something_else", "Something else", 100 * rest, format_probability(rest))
        if rest >= SOMETHING_ELSE_FROM
        else None
    )

    flags = result["red_flags"]
    unsure = [f["message"] for f in flags if f["id"].startswith(UNSURE_RULE_PREFIX)]
    at_level = [
        f for f in flags if f["level"] == level and not f["id"].startswith(UNSURE_RULE_PREFIX)
    ]
    other_flags = [
        f["message"] for f in flags if rank[f["level"]] < rank[level] and f not in at_level
    ]
    other_flags = [m for m in other_flags if m not in unsure]
    reviews = [r for r in result["reasons_to_see_a_doctor"] if r["level"] == level]

    advice = result["advice"]
    if emergency:
        suspects = [f["suspect"] for f in flags if f["level"] == level and f.get("suspect")]
        steps = [{"text": e.text, "source": e.source} for e in while_waiting(kb, suspects)]
    else:
        steps = list(advice["tonight"])
    first_step = steps[0]["text"] if steps else None

    cited: list[str] = []

    def cite(source: str | None) -> None:
        if source and source not in cited:
            cited.append(source)

    for r in at_level + reviews:
        cite(r.get("source"))
    for step in steps:
        cite(step.get("source"))
    for cv in causes:
        for reason in cv.reasons_for + cv.reasons_against:
            cite(reason.get("source"))
    for kind in ("watch_for", "tests", "ask_doctor"):
        for a in advice[kind]:
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
    denied = [
        kb.findings[f].label for f, v in known.items() if f in kb.warning_findings and v is False
    ]
    positive = [kb.findings[f].label for f, v in known.items() if f in kb.findings and v is True]
    return ResultView(
        level=level,
        emergency=emergency,
        title=BANNER_TITLE[level],
        action=result["triage_action"],
        unsure=unsure,
        red_flags=at_level,
        other_flags=other_flags,
        first_step_label=FIRST_STEP_LABEL[level],
        first_step=first_step,
        steps=steps[1:],
        reviews=reviews,
        causes=causes,
        something_else=something_else,
        other_cause_note=None
        if emergency or result.get("fit") == "good"
        else result.get("other_cause_note"),
        contributors=[d["label"] for d in result["contributor_details"]],
        scores=scores,
        advice={
            "watch_for": [] if emergency else advice["watch_for"],
            "tests": [] if emergency else advice["tests"],
            "ask_doctor": [] if emergency else advice["ask_doctor"],
        },
        sources=sources,
        answers=answers,
        denied_signs=denied,
        positive=positive,
        disclaimer=result["disclaimer"],
        kb_version=kb_version(),
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
    # An unsure reading whose answer could raise the level: posted as a suggestion, so
    # the interview still asks it, showing the reading as the likely answer.
    check: bool = False


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
    suggested = parsed.suggested(kb)
    for fid, value in suggested.items():
        f = kb.findings[fid]
        label = f.label[:1].upper() + f.label[1:]
        text = label if value is True else f"{label}: {_display(value, f.unit)}"
        chips.append(Chip(f"{fid}={json.dumps(value)}", f"{text} (please check)", check=True))
    asked_again = [
        kb.findings[f].label for f in parsed.answers if f not in keep and f not in suggested
    ]
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
