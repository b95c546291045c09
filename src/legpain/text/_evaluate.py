"""Scoring the parser on annotated narratives: per-finding precision and recall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legpain.engine import Value, parse_answers
from legpain.knowledge import load_knowledge
from legpain.text._parse import parse

# citation, misled, expected: the held-out v2 set records the case report it was written from.
ITEM_KEYS = {"id", "text", "answers", "mentions", "citation", "misled", "expected"}


class NarrativeFileError(ValueError):
    """An annotated narrative file is unreadable; the message names the file and the item."""


@dataclass(frozen=True)
class Narrative:
    id: str
    text: str
    answers: dict[str, Value]
    path: str


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass
class ParserReport:
    n: int = 0
    overall: Counts = field(default_factory=Counts)
    per_finding: dict[str, Counts] = field(default_factory=dict)
    negation: dict[str, Counts] = field(default_factory=dict)  # expected or predicted false
    negation_overall: Counts = field(default_factory=Counts)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "precision": self.overall.precision,
            "recall": self.overall.recall,
            "overall": self.overall.to_dict(),
            "per_finding": {k: v.to_dict() for k, v in sorted(self.per_finding.items())},
            "negation": {k: v.to_dict() for k, v in sorted(self.negation.items())},
            "negation_overall": self.negation_overall.to_dict(),
            "errors": self.errors,
        }


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out


def load_narratives(paths: Iterable[Path]) -> list[Narrative]:
    """Every annotated narrative in the files or folders; ``NarrativeFileError`` names problems."""
    kb = load_knowledge()
    out: list[Narrative] = []
    problems: list[str] = []
    for path in _files(paths):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: cannot read: {exc}")
            continue
        items = raw.get("narratives") if isinstance(raw, dict) else None
        if not isinstance(items, list):
            problems.append(f"{path}: expected a mapping with a list under 'narratives'")
            continue
        for i, item in enumerate(items):
            where = f"{path}: narratives[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: expected a mapping")
                continue
            extra = set(item) - ITEM_KEYS
            if extra:
                problems.append(f"{where}: unknown key(s) {sorted(extra)}")
            text, nid = item.get("text"), item.get("id")
            if not isinstance(text, str) or not isinstance(nid, str):
                problems.append(f"{where}: 'id' and 'text' must be text")
                continue
            try:
                answers = parse_answers(item.get("answers") or {}, kb, f"{where} ({nid})")
            except ValueError as exc:
                problems.append(str(exc))
                continue
            out.append(Narrative(nid, " ".join(text.split()), answers, str(path)))
    if problems:
        raise NarrativeFileError("\n".join(problems))
    return out


def evaluate_parser(narratives: Iterable[Narrative]) -> ParserReport:
    """Compare parsed answers with the annotation: a wrong value counts as FP and FN."""
    report = ParserReport()
    for item in narratives:
        report.n += 1
        got = parse(item.text).answers
        expected = item.answers
        for fid in sorted(set(got) | set(expected)):
            counts = report.per_finding.setdefault(fid, Counts())
            neg = (fid in expected and expected[fid] is False) or got.get(fid) is False
            buckets = [counts, report.overall]
            if neg:
                buckets += [report.negation.setdefault(fid, Counts()), report.negation_overall]
            e, g = expected.get(fid), got.get(fid)
            if e is not None and g is not None and _same(e, g):
                for b in buckets:
                    b.tp += 1
                continue
            if g is not None:
                for b in buckets:
                    b.fp += 1
            if e is not None:
                for b in buckets:
                    b.fn += 1
            report.errors.append({"id": item.id, "finding": fid, "expected": e, "got": g})
    return report


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-9
    return a == b
