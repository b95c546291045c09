"""Safety rule 3: an emergency ends the interview; an unanswerable emergency sign is
asked once more and then keeps the result at least urgent.

Each property is a function that returns the first violation it finds, so the
same check runs on the real interview and on a deliberately broken one (which
it must catch): a property that cannot fail proves nothing.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from legpain.engine import Engine, default_engine
from legpain.engine.triage import RANK
from legpain.interview import Interview, Question

from strategies import value_for

ENGINE = default_engine()
KB = ENGINE.kb
EMERGENCY_SCREEN_ITEMS = sorted(f for s in KB.interview.screens if s.emergency for f in s.items)


class NeverStops(Interview):
    """Broken on purpose: ignores emergencies and asks on."""

    @property
    def emergency(self) -> bool:
        return False


class ForgetsUnsure(Interview):
    """Broken on purpose: treats "asked, don't know" as never asked."""

    @property
    def unsure(self) -> frozenset[str]:
        return frozenset()


def _reply(q: Question, data: st.DataObject) -> Any:
    if q.items:
        choice = data.draw(st.integers(0, 3), label=f"{q.id} kind")
        if choice == 0:
            return "unknown"
        return data.draw(st.lists(st.sampled_from(q.items), unique=True, max_size=2), label=q.id)
    if data.draw(st.integers(0, 4), label="dont know") == 0:
        return "unknown"
    return data.draw(value_for(q.id), label=q.id)


def stop_violation(iv: Interview, data: st.DataObject) -> str | None:
    """Play random answers; return a violation of "after an emergency, nothing more"."""
    while (q := iv.next_question()) is not None:
        said_yes = [f for f in KB.warning_findings if iv.known.get(f) is True]
        if said_yes and iv.result().level == "emergency":
            return f"asked {q.id} after the emergency sign(s) {said_yes}"
        iv.answer(q.id, _reply(q, data))
    return None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_no_question_follows_an_emergency(data: st.DataObject) -> None:
    assert stop_violation(Interview(engine=ENGINE), data) is None


@settings(max_examples=30, deadline=None)
@given(sign=st.sampled_from(EMERGENCY_SCREEN_ITEMS), data=st.data())
def test_saying_yes_on_the_first_screen_ends_it_at_once(sign: str, data: st.DataObject) -> None:
    iv = Interview(engine=ENGINE)
    first = iv.next_question()
    assert first is not None and first.kind == "screen" and sign in first.items
    iv.answer(first.id, [sign])
    if iv.result().level == "emergency":
        assert iv.next_question() is None


def test_the_stop_check_catches_an_interview_that_asks_on() -> None:
    @settings(max_examples=30, deadline=None)
    @given(data=st.data())
    def broken(data: st.DataObject) -> None:
        iv = NeverStops(answers={"chest_pain": True}, engine=ENGINE)
        assert stop_violation(iv, data) is None

    try:
        broken()
    except AssertionError:
        return
    raise AssertionError("the stop property did not fail on an interview that never stops")


def unsure_violation(iv: Interview) -> str | None:
    """Answer "don't know" to every question; an emergency sign still unknown after
    being asked twice must leave the result at least urgent."""
    asked: dict[str, int] = {}
    while (q := iv.next_question()) is not None:
        for f in q.items or (q.id,):
            asked[f] = asked.get(f, 0) + 1
        iv.answer(q.id, "unknown")
    for f in EMERGENCY_SCREEN_ITEMS:
        if asked.get(f, 0) != 2:
            return f"{f} was asked {asked.get(f, 0)} time(s), expected twice"
    level = iv.result().level
    if RANK[level] < RANK["urgent"]:
        return f"every emergency sign unknown, yet the level is {level}"
    return None


@settings(max_examples=20, deadline=None)
@given(age=st.integers(0, 100), sex=st.sampled_from(["female", "male"]))
def test_dont_know_to_emergency_signs_is_at_least_urgent(age: int, sex: str) -> None:
    assert unsure_violation(Interview(answers={"age": age, "sex": sex}, engine=ENGINE)) is None


def test_the_unsure_check_catches_an_interview_that_forgets() -> None:
    assert unsure_violation(ForgetsUnsure(answers={"age": 30, "sex": "male"}, engine=ENGINE))


@settings(max_examples=60, deadline=None)
@given(sign=st.sampled_from(EMERGENCY_SCREEN_ITEMS), data=st.data())
def test_an_unsure_sign_that_turns_out_present_never_lowers_the_level(
    sign: str, data: st.DataObject
) -> None:
    engine: Engine = ENGINE
    fids = data.draw(
        st.lists(st.sampled_from(sorted(KB.findings)), unique=True, max_size=12), label="ids"
    )
    answers = {f: data.draw(value_for(f), label=f) for f in fids if f != sign}
    unsure_level = engine.assess(answers, unsure={sign}).level
    present_level = engine.assess({**answers, sign: True}).level
    assert RANK[present_level] >= RANK[unsure_level]
