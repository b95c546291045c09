"""The interview over random answer streams: bounded, no repeats, screen first, exact undo."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from legpain.engine import default_engine
from legpain.interview import MAX_QUESTIONS, Interview, Question

from strategies import value_for

ENGINE = default_engine()
KB = ENGINE.kb
SCREEN_ITEMS = {f for s in KB.interview.screens for f in s.items}
EMERGENCY_SCREEN_ITEMS = {f for s in KB.interview.screens if s.emergency for f in s.items}


def _reply(q: Question, data: st.DataObject) -> Any:
    if q.items:
        if data.draw(st.booleans(), label="unknown group"):
            return "unknown"
        return data.draw(st.lists(st.sampled_from(q.items), unique=True, max_size=2), label=q.id)
    if data.draw(st.integers(0, 4), label="dont know") == 0:
        return "unknown"
    return data.draw(value_for(q.id), label=q.id)


def _run(
    data: st.DataObject, prefill: dict[str, Any] | None = None
) -> tuple[Interview, list[Question]]:
    iv = Interview(answers=prefill or {}, engine=ENGINE)
    asked: list[Question] = []
    while (q := iv.next_question()) is not None:
        asked.append(q)
        iv.answer(q.id, _reply(q, data))
        assert len(asked) <= MAX_QUESTIONS
    return iv, asked


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_interview_ends_within_the_cap_and_never_repeats_a_finding(data: st.DataObject) -> None:
    iv, asked = _run(data)
    findings = [f for q in asked for f in (q.items or (q.id,))]
    repeated = {f for f in findings if findings.count(f) > 1}
    # Only an emergency sign answered "don't know" is asked again, and only once.
    assert repeated <= EMERGENCY_SCREEN_ITEMS, f"asked twice: {repeated - EMERGENCY_SCREEN_ITEMS}"
    assert all(findings.count(f) == 2 for f in repeated)
    assert iv.questions_asked == len(asked) <= MAX_QUESTIONS


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_warning_sign_is_asked_before_any_other_question(data: st.DataObject) -> None:
    iv, asked = _run(data)
    kinds = [q.kind for q in asked]
    last_screen = max(i for i, k in enumerate(kinds) if k == "screen")
    assert all(k in ("about_you", "screen") for k in kinds[: last_screen + 1])
    screened = {f for q in asked if q.kind == "screen" for f in q.items}
    if not iv.emergency:  # an emergency ends the interview before the other screens
        assert screened == SCREEN_ITEMS


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_result_equals_assess_on_the_same_answers(data: st.DataObject) -> None:
    iv, _ = _run(data)
    assert iv.result().to_dict() == ENGINE.assess(iv.known, unsure=iv.unsure).to_dict()


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_undo_restores_the_previous_state_exactly(data: st.DataObject) -> None:
    iv = Interview(engine=ENGINE)
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        q = iv.next_question()
        if q is None:
            break
        before_answers, before_next = iv.known, iv.next_question()
        iv.answer(q.id, _reply(q, data))
        assert iv.undo()
        assert iv.known == before_answers
        assert iv.next_question() == before_next
        iv.answer(q.id, _reply(q, data))


def test_prefilled_answers_are_not_asked_and_pregnancy_skipped_for_men() -> None:
    iv = Interview(answers={"age": 40, "sex": "male", "chest_pain": False}, engine=ENGINE)
    q = iv.next_question()
    assert q is not None and q.kind == "screen"
    assert "chest_pain" not in q.items
    asked: list[str] = []
    while (q := iv.next_question()) is not None:
        asked.extend(q.items or (q.id,))
        iv.answer(q.id, [] if q.items else "unknown")
    assert "pregnant" not in asked and "age" not in asked


def test_a_grouped_answer_sets_the_other_items_to_no() -> None:
    iv = Interview(answers={"age": 70, "sex": "female"}, engine=ENGINE)
    q = iv.next_question()
    assert q is not None and q.items
    iv.answer(q.id, [q.items[0]])
    assert iv.known[q.items[0]] is True
    assert all(iv.known[f] is False for f in q.items[1:])


def test_an_emergency_answer_in_the_screen_is_an_emergency_result() -> None:
    iv = Interview(answers={"age": 60, "sex": "male"}, engine=ENGINE)
    q = iv.next_question()
    assert q is not None and "chest_pain" in q.items
    iv.answer(q.id, ["chest_pain"])
    assert iv.result().level == "emergency"


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_the_fast_rule_level_equals_evaluating_every_rule(data: st.DataObject) -> None:
    """The interview re-evaluates only the rules that read a question's findings;
    that must equal evaluating every rule (the reference) for every answer."""
    from legpain.engine.scores import compute_scores
    from legpain.engine.triage import RANK, fired_rules
    from legpain.interview._value import _rule_level, _rule_level_after, _rules_reading, _typed

    iv, _ = _run(data)
    known = iv.known
    fired = fired_rules(KB, known, compute_scores(KB, known))
    reading = _rules_reading(ENGINE)
    for fid, f in KB.findings.items():
        if fid in known or f.base is None:
            continue
        rules = tuple({r.id: r for r in reading.get(fid, ())}.values())
        ids = {r.id for r in rules}
        floor = max((RANK[r.level] for r in fired if r.id not in ids), default=0)
        for v in f.values():
            answered = {**known, fid: _typed(ENGINE, fid, v)}
            assert _rule_level_after(ENGINE, answered, rules, floor) == _rule_level(
                ENGINE, answered
            ), (fid, v)
