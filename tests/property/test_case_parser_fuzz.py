"""Fuzzing the case parser: whatever it is given, it answers or raises its own error.

``parse_answers`` returns only vocabulary ids (and drops nothing but unknowns) or
raises ``CaseError``; ``load_cases`` returns cases or raises ``CaseFileError``.
Never any other exception.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legpain.cases import CASE_KEYS, EXPECTED_KEYS, Case, CaseFileError, load_cases
from legpain.engine import UNKNOWN, CaseError, parse_answers
from legpain.knowledge import TRIAGE_ORDER, load_knowledge

KB = load_knowledge()
FINDING_IDS = sorted(KB.findings)
CONDITION_IDS = sorted(KB.conditions)
CHOICES = sorted({c for f in KB.findings.values() for c in (f.choices or [])})

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Integers beyond ~1.8e308 cannot become floats; they must still give a clean error.
BIG = 10**400

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-BIG, max_value=BIG)
    | st.integers(min_value=-5, max_value=200)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1, max_value=130)
    | st.text(max_size=20)
    | st.sampled_from([UNKNOWN, "true", "false", "yes", "", *CHOICES])
)
json_like = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
keys = (
    st.sampled_from(FINDING_IDS)
    | st.text(max_size=15)
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.booleans()
    | st.none()
)
raw_answers = st.dictionaries(keys, json_like, max_size=12)


def is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == UNKNOWN)


@FUZZ
@given(raw=raw_answers | json_like)
def test_parse_answers_returns_vocabulary_ids_or_raises_case_error(raw: Any) -> None:
    try:
        out = parse_answers(raw, KB)
    except CaseError as exc:
        assert exc.problems, "a CaseError must list its problems"
        assert all(isinstance(p, str) and p for p in exc.problems)
        if isinstance(raw, dict):
            bad_keys = [k for k in raw if not isinstance(k, str) or k not in KB.findings]
            for k in bad_keys:  # every unknown id is named
                assert any(repr(k) in p for p in exc.problems)
        return
    assert isinstance(out, dict)
    assert set(out) <= set(FINDING_IDS)
    if raw is None:
        assert out == {}
        return
    assert isinstance(raw, dict)
    # nothing is silently dropped: only unknown / null answers disappear
    assert set(out) == {k for k, v in raw.items() if not is_unknown(v)}
    for fid, value in out.items():
        f = KB.findings[fid]
        if f.type == "boolean":
            assert isinstance(value, bool)
        elif f.type == "choice":
            assert value in (f.choices or [])
        else:
            assert isinstance(value, float) and math.isfinite(value)
            assert f.minimum is None or value >= f.minimum
            assert f.maximum is None or value <= f.maximum


@FUZZ
@given(raw=st.dictionaries(st.sampled_from(FINDING_IDS), json_like, min_size=1, max_size=6))
def test_every_bad_value_is_named(raw: dict[str, Any]) -> None:
    try:
        out = parse_answers(raw, KB)
    except CaseError as exc:
        named = {p.split(":", 1)[0] for p in exc.problems}
        assert named <= set(raw)
        assert len(exc.problems) == len(named)  # one problem per bad finding
        return
    assert set(out) == {k for k, v in raw.items() if not is_unknown(v)}


def check_load(path: Path) -> None:
    try:
        cases = load_cases(path, KB)
    except CaseFileError as exc:
        assert exc.path == str(path)
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)
        return
    assert isinstance(cases, list)
    for case in cases:
        assert isinstance(case, Case)
        assert set(case.answers) <= set(FINDING_IDS)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".yml", ".json"]))
def test_load_cases_random_bytes(fuzz_dir: Path, data: bytes, suffix: str) -> None:
    path = fuzz_dir / f"case{suffix}"
    path.write_bytes(data)
    check_load(path)


yamlish_text = st.lists(
    st.sampled_from([*"abz019 -:_{}[],'\"#!&*?|>\n\t.~", "answers", "id", "age", "true", "  "]),
    max_size=60,
).map("".join)


@FUZZ
@given(text=st.text(max_size=200) | yamlish_text, suffix=st.sampled_from([".yaml", ".json"]))
def test_load_cases_random_text(fuzz_dir: Path, text: str, suffix: str) -> None:
    path = fuzz_dir / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    check_load(path)


# Structured documents: shaped like cases, with random contents, ``expected`` included.
text_or_id = st.none() | st.text(max_size=12) | json_like
EXPECTED_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "condition": text_or_id | st.sampled_from(CONDITION_IDS),
    "also_acceptable": json_like
    | st.lists(st.text(max_size=8) | st.sampled_from(CONDITION_IDS), max_size=3),
    "triage": text_or_id | st.sampled_from(list(TRIAGE_ORDER)),
    "contributors": json_like
    | st.lists(st.text(max_size=8) | st.sampled_from(FINDING_IDS), max_size=3),
}
expected = st.fixed_dictionaries({}, optional=EXPECTED_FIELDS)
CASE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "id": st.none() | st.text(max_size=10) | st.integers(-100, 100),
    "narrative": json_like,
    "answers": raw_answers | json_like,
    "expected": expected | st.none() | st.text(max_size=5),
    "difficulty": json_like,
    "rationale": json_like,
    "citation": json_like,
    "result": json_like,
}
case_doc = st.fixed_dictionaries({}, optional={**CASE_FIELDS, "not_a_case_key": json_like})
document = case_doc | st.lists(case_doc | json_like, max_size=4) | json_like


def _stringify_keys(doc: Any) -> Any:
    """JSON and safe YAML want plain keys; keep the random ones but as text."""
    if isinstance(doc, dict):
        return {k if isinstance(k, str) else str(k): _stringify_keys(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_stringify_keys(v) for v in doc]
    return doc


@FUZZ
@given(doc=document, as_json=st.booleans())
def test_load_cases_random_documents(fuzz_dir: Path, doc: Any, as_json: bool) -> None:
    if as_json:
        path = fuzz_dir / "doc.json"
        path.write_text(json.dumps(_stringify_keys(doc)), encoding="utf-8")
    else:
        path = fuzz_dir / "doc.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    check_load(path)


def test_the_fuzzed_keys_cover_the_case_format() -> None:
    """Keep the strategies in step with the parser's own idea of the format."""
    assert set(CASE_FIELDS) == CASE_KEYS
    assert set(EXPECTED_FIELDS) == EXPECTED_KEYS
