"""Case and vignette files (YAML or JSON): one case, or a list of cases.

Reading never stops silently half-way: every problem of every case in a file
is collected and raised as one ``CaseFileError`` naming the file, the case id
and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legpain.engine import CaseError, Value, parse_answers
from legpain.knowledge import TRIAGE_ORDER, KnowledgeBase, load_knowledge

CASE_KEYS = {
    "id",
    "narrative",
    "answers",
    "expected",
    "difficulty",
    "rationale",
    "citation",
    "result",
}
EXPECTED_KEYS = {"condition", "also_acceptable", "triage", "contributors"}


class CaseFileError(ValueError):
    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))


@dataclass(frozen=True)
class Expected:
    condition: str
    also_acceptable: tuple[str, ...]
    triage: str
    contributors: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    id: str | None
    answers: dict[str, Value]
    narrative: str | None = None
    expected: Expected | None = None
    difficulty: str | None = None
    path: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.id or (Path(self.path).name if self.path else "case")


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def _id_list(raw: dict[str, Any], key: str, problems: list[str], where: str) -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        problems.append(f"{where}: expected.{key}: expected a list of ids, got {value!r}")
        return []
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        problems.append(f"{where}: expected.{key}: expected ids (text), got {bad!r}")
    return [v for v in value if isinstance(v, str)]


def _expected(raw: Any, kb: KnowledgeBase, problems: list[str], where: str) -> Expected | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'expected' must be a mapping")
        return None
    for k in set(raw) - EXPECTED_KEYS:
        problems.append(f"{where}: unknown key 'expected.{k}' (expected {sorted(EXPECTED_KEYS)})")
    cond = raw.get("condition")
    if not (isinstance(cond, str) and cond in kb.conditions):
        problems.append(f"{where}: expected.condition: unknown condition {cond!r}")
    also = _id_list(raw, "also_acceptable", problems, where)
    for c in also:
        if c not in kb.conditions:
            problems.append(f"{where}: expected.also_acceptable: unknown condition {c!r}")
    tri = raw.get("triage")
    if not (isinstance(tri, str) and tri in TRIAGE_ORDER):
        problems.append(f"{where}: expected.triage: {tri!r} is not one of {list(TRIAGE_ORDER)}")
    contributors = _id_list(raw, "contributors", problems, where)
    for f in contributors:
        if f not in kb.findings:
            problems.append(f"{where}: expected.contributors: unknown finding {f!r}")
    return Expected(str(cond), tuple(also), str(tri), tuple(contributors))


def parse_case(raw: Any, kb: KnowledgeBase, where: str, path: str | None = None) -> Case:
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise CaseFileError(
            where, [f"a case must be a mapping with 'answers', got {type(raw).__name__}"]
        )
    cid = raw.get("id")
    label = f"case {cid}" if cid is not None else where
    for k in set(raw) - CASE_KEYS:
        problems.append(f"{label}: unknown key {k!r} (expected some of {sorted(CASE_KEYS)})")
    if "answers" not in raw:
        problems.append(f"{label}: missing 'answers'")
    answers: dict[str, Value] = {}
    try:
        answers = parse_answers(raw.get("answers"), kb)
    except CaseError as exc:
        problems.extend(f"{label}: {p}" for p in exc.problems)
    expected = _expected(raw.get("expected"), kb, problems, label)
    if problems:
        raise CaseFileError(where, problems)
    narrative = raw.get("narrative")
    return Case(
        id=None if cid is None else str(cid),
        answers=answers,
        narrative=narrative if isinstance(narrative, str) else None,
        expected=expected,
        difficulty=raw.get("difficulty"),
        path=path,
    )


def load_cases(path: str | Path, kb: KnowledgeBase | None = None) -> list[Case]:
    """Every case in a file, or in the *.yaml/*.yml/*.json files of a folder (sorted)."""
    kb = kb or load_knowledge()
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.suffix.lower() in {".yaml", ".yml", ".json"})
        out: list[Case] = []
        problems: list[str] = []
        for f in files:
            try:
                out.extend(load_cases(f, kb))
            except CaseFileError as exc:
                problems.extend(f"{exc.path}: {problem}" for problem in exc.problems)
        if problems:
            raise CaseFileError(str(p), problems)
        if not files:
            raise CaseFileError(str(p), ["the folder holds no .yaml, .yml or .json case files"])
        return out
    try:
        doc = _read(p)
    except FileNotFoundError:
        raise CaseFileError(str(p), ["no such file"]) from None
    except IsADirectoryError:
        raise CaseFileError(str(p), ["is a directory"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(str(p), [f"cannot be read: {exc}"]) from None
    except (
        yaml.YAMLError,
        ValueError,
    ) as exc:  # JSONDecodeError and bad YAML dates are ValueErrors
        raise CaseFileError(str(p), [f"not valid YAML/JSON: {exc}"]) from None
    except RecursionError:
        raise CaseFileError(str(p), ["not valid YAML/JSON: nested too deeply"]) from None
    if doc is None:
        raise CaseFileError(str(p), ["the file is empty; expected a case or a list of cases"])
    docs = doc if isinstance(doc, list) else [doc]
    cases: list[Case] = []
    problems = []
    for i, raw in enumerate(docs):
        try:
            cases.append(parse_case(raw, kb, f"case #{i + 1}", str(p)))
        except CaseFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CaseFileError(str(p), problems)
    return cases


def write_case(
    path: str | Path, answers: dict[str, Value], result: dict[str, Any] | None = None
) -> None:
    """Write a case file (YAML, or JSON by suffix) that ``load_cases`` reads back.

    Written to a temporary file first and then renamed, so an earlier saved
    file is never left half-overwritten.
    """
    p = Path(path)
    doc: dict[str, Any] = {"answers": dict(answers)}
    if result is not None:
        doc["result"] = result
    if p.suffix.lower() == ".json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(p)
