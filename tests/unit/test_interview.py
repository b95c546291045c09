"""The interview's questions, examples beside the property tests."""

from __future__ import annotations

import pytest

from legpain.engine import CaseError, Engine
from legpain.interview import Interview, Question

NO_WARNINGS = {
    "age": 40,
    "sex": "male",
    "chest_pain": False,
    "short_of_breath": False,
    "coughing_blood": False,
    "leg_cold_pale": False,
    "saddle_numbness": False,
    "bladder_bowel_change": False,
    "weakness_worsening": False,
    "swelling_one_leg": False,
    "calf_tenderness": False,
    "leg_warm": False,
    "leg_red": False,
    "redness_spreading": False,
    "wound_not_healing": False,
    "swelling_both_legs": False,
    "fever": False,
    "weight_loss_unexplained": False,
    "night_sweats": False,
    "recent_injury": False,
}


def test_the_emergency_screen_then_age_and_sex_come_first(engine: Engine) -> None:
    iv = Interview(engine=engine)
    first = iv.next_question()
    assert first is not None and first.kind == "screen" and "chest_pain" in first.items
    iv.answer(first.id, [])
    q = iv.next_question()
    assert q is not None and q.id == "age" and q.kind == "about_you"
    iv.answer("age", 30)
    q = iv.next_question()
    assert q is not None and q.id == "sex"


def test_an_emergency_sign_ends_the_interview(engine: Engine) -> None:
    iv = Interview(engine=engine)
    first = iv.next_question()
    assert first is not None
    iv.answer(first.id, ["chest_pain"])
    assert iv.next_question() is None
    assert iv.result().level == "emergency"


def test_an_unknown_emergency_sign_is_asked_once_more_then_counts(engine: Engine) -> None:
    iv = Interview(answers={"age": 40, "sex": "female"}, engine=engine)
    first = iv.next_question()
    assert first is not None
    iv.answer(first.id, "unknown")
    again = iv.next_question()
    assert again is not None and again.id == first.id and again.text != first.text
    iv.answer(again.id, "unknown")
    nxt = iv.next_question()
    assert nxt is not None and nxt.id != first.id
    assert "chest_pain" in iv.unsure
    result = iv.result()
    assert result.level in ("urgent", "emergency")
    assert any(r.id == "unsure:chest_pain" for r in result.triage.rules)


def test_pregnancy_is_not_asked_of_a_man_or_a_child(engine: Engine) -> None:
    for answers in ({"age": 30, "sex": "male"}, {"age": 8, "sex": "female"}):
        iv = Interview(answers=answers, engine=engine)
        q = iv.next_question()
        assert q is not None and q.id != "pregnant"


def _first_checklist(iv: Interview) -> Question:
    while (q := iv.next_question()) is not None:
        if q.kind == "checklist":
            return q
        iv.answer(q.id, "unknown")
    raise AssertionError("no checklist was asked")


def test_a_checklist_answer_sets_the_other_items_to_no(engine: Engine) -> None:
    iv = Interview(answers=NO_WARNINGS, engine=engine)
    q = _first_checklist(iv)
    before = iv.questions_asked
    chosen = q.items[0]
    iv.answer(q.id, [chosen])
    assert iv.known[chosen] is True
    assert all(iv.known[i] is False for i in q.items[1:])
    assert iv.questions_asked == before + 1  # a grouped question counts as one


def test_dont_know_to_a_checklist_leaves_its_items_unknown(engine: Engine) -> None:
    iv = Interview(answers=NO_WARNINGS, engine=engine)
    q = _first_checklist(iv)
    iv.answer(q.id, "unknown")
    assert not set(q.items) & set(iv.known)
    nxt = iv.next_question()
    assert nxt is None or not set(nxt.items or (nxt.id,)) & set(q.items), "asked again"


def test_bad_answers_name_the_question_and_what_is_expected(engine: Engine) -> None:
    iv = Interview(engine=engine)
    with pytest.raises(CaseError, match="age"):
        iv.answer("age", "old")
    with pytest.raises(CaseError, match="not items of this question"):
        iv.answer("screen_emergency", ["burning"])
    with pytest.raises(CaseError, match="unknown question"):
        iv.answer("no_such_question", True)
    assert iv.questions_asked == 0  # nothing half-recorded


def test_a_clear_restless_legs_story_is_settled_in_few_questions(engine: Engine) -> None:
    iv = Interview(answers=NO_WARNINGS, engine=engine)
    story = {"urge_to_move": True, "crawling_tingling": True, "relieved_by_movement": True}
    story |= {"worse_evening_night": True, "also_when_sitting": True}
    while (q := iv.next_question()) is not None:
        if q.items:
            iv.answer(q.id, [i for i in q.items if story.get(i)])
        else:
            iv.answer(q.id, "unknown")
    assert iv.result().conditions[0].id == "restless_legs_syndrome"
    assert iv.questions_asked <= 8


@pytest.mark.parametrize("reply", ["unknown", []])
def test_a_grouped_answer_never_overwrites_what_is_known_from_elsewhere(
    engine: Engine, reply: object
) -> None:
    """Pre-filled answers (from a case or from free text) survive the screens."""
    prefill = {"age": 50, "sex": "male", "weakness_worsening": True, "side": "left"}
    iv = Interview(answers=prefill, engine=engine)
    q = iv.next_question()
    assert q is not None and q.id == "screen_emergency" and "weakness_worsening" not in q.items
    iv.answer(q.id, reply)
    assert iv.known["weakness_worsening"] is True


def test_a_prefilled_emergency_sign_asks_nothing(engine: Engine) -> None:
    iv = Interview(answers={"age": 50, "sex": "male", "saddle_numbness": True}, engine=engine)
    assert iv.next_question() is None
    assert iv.result().level == "emergency"


def test_a_grouped_answer_can_be_changed(engine: Engine) -> None:
    iv = Interview(answers={"age": 50, "sex": "male"}, engine=engine)
    iv.answer("screen_emergency", ["chest_pain"])
    iv.answer("screen_emergency", [])  # changed my mind
    assert iv.known["chest_pain"] is False
    assert "chest_pain" in iv.question("screen_emergency").items


# --- who the answers are about ---------------------------------------------------------


def test_questions_are_worded_for_a_child(engine: Engine) -> None:
    iv = Interview(engine=engine, respondent="child")
    first = iv.next_question()
    assert first is not None and first.text == "Do any of these apply to your child now?"
    assert "Does your child have chest pain?" in first.item_texts
    iv.answer(first.id, [])
    age = iv.next_question()
    assert age is not None and age.text == "How old is your child?"
    assert iv.result_dict()["respondent"] == "child"


def test_someone_else_is_the_person(engine: Engine) -> None:
    iv = Interview(engine=engine, respondent="other")
    assert iv.question("age").text == "How old is the person?"
    assert iv.question("pain_calf").text == "Is the pain in the person's calf?"
    assert Interview(engine=engine).question("age").text == "How old are you?"


def test_an_adult_child_is_asked_about_as_someone_else(engine: Engine) -> None:
    iv = Interview(answers={"age": 17}, engine=engine, respondent="child")
    assert iv.question("back_pain").text == "Does your child also have lower back pain?"
    iv = Interview(answers={"age": 30}, engine=engine, respondent="child")
    assert iv.question("back_pain").text == "Does the person also have lower back pain?"


def test_no_you_is_left_in_a_question_about_someone_else(engine: Engine) -> None:
    import re

    kb = engine.kb
    ids = [*kb.findings, *(s.id for s in kb.interview.screens)]
    ids += [c.id for c in kb.interview.checklists]
    for who in ("child", "other"):
        iv = Interview(engine=engine, respondent=who)
        for qid in ids:
            text = iv.question(qid).text if qid in kb.findings else iv._worded(qid, _text(kb, qid))
            left = re.sub(r"\bCan you or\b|\bdo you notice\b|\bHave you noticed\b", "", text)
            assert not re.search(r"\byou\b|\byour\b(?! child)", left, re.I), (who, qid, text)


def _text(kb: object, gid: str) -> str:
    groups = [*kb.interview.screens, *kb.interview.checklists]  # type: ignore[attr-defined]
    return str(next(g.text for g in groups if g.id == gid))


def test_a_seven_year_old_is_not_asked_about_statins_but_about_chemotherapy(
    engine: Engine,
) -> None:
    iv = Interview(answers={"age": 7, "sex": "male"}, engine=engine, respondent="child")
    medicines = iv.question("medicines")
    assert "chemotherapy" in medicines.items
    for adult_only in ("takes_statin", "statin_started_recently", "takes_calcium_channel_blocker"):
        assert adult_only not in medicines.items
    assert "heavy_alcohol" not in iv.question("daily_habits").items
    assert "hormonal_contraception_or_hrt" not in iv.question("clot_risks").items
    asked: list[str] = []
    while (q := iv.next_question()) is not None:
        asked += [q.id, *q.items]
        iv.answer(q.id, "unknown")
    for fid, f in engine.kb.findings.items():
        if f.min_age is not None and f.min_age > 7:
            assert fid not in asked, fid
    assert "statin" not in " ".join(asked)


def test_a_teenager_is_asked_about_the_pill_not_hrt(engine: Engine) -> None:
    iv = Interview(answers={"age": 15, "sex": "female"}, engine=engine, respondent="child")
    q = iv.question("hormonal_contraception_or_hrt")
    assert "contraceptive pill" in q.text and "hormone replacement" not in q.text
    assert q.text.startswith("Does your child")
    assert "hormonal_contraception_or_hrt" in iv.question("clot_risks").items
    adult = Interview(answers={"age": 40, "sex": "female"}, engine=engine)
    assert "hormone replacement" in adult.question("hormonal_contraception_or_hrt").text


def test_an_unknown_respondent_is_refused(engine: Engine) -> None:
    with pytest.raises(CaseError, match="respondent"):
        Interview(engine=engine, respondent="dog")
