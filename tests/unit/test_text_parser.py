"""The free-text parser on small examples: negation, hedging, relatives, the past, sides,
ages, durations, misspellings; the lexicon's schema; the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import legpain
from legpain.cli.app import app
from legpain.engine import parse_answers
from legpain.knowledge import load_knowledge
from legpain.text import LexiconError, check_lexicons, parse
from legpain.text._lexicon import load_lexicon_from

runner = CliRunner()


NARRATIVES = Path(__file__).resolve().parents[1] / "data" / "narratives"


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no swelling", {"swelling_one_leg": False, "swelling_both_legs": False}),
        ("It doesn't burn.", {"burning": False}),
        ("I have no chest pain.", {"chest_pain": False}),
        ("I'm not short of breath", {"short_of_breath": False}),
        ("I've never smoked", {"smoker": False}),
    ],
)
def test_negated_findings_become_false(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    for fid, value in expected.items():
        assert got.get(fid) is value


def test_negation_stops_at_the_next_clause() -> None:
    got = answers("my left calf is swollen and hot, no chest pain, I flew back from Sydney")
    assert got["chest_pain"] is False
    assert got["recent_long_travel"] is True
    assert got["swelling_one_leg"] is True
    assert got["side"] == "left"


def test_a_negation_inside_the_phrase_is_part_of_it() -> None:
    got = answers("I can't keep my legs still. There's a sore on my toe that won't heal.")
    assert got["urge_to_move"] is True
    assert got["wound_not_healing"] is True


def test_hedged_findings_are_not_asserted() -> None:
    result = parse("My calf hurts and maybe it feels a bit warm.")
    assert "leg_warm" not in result.answers
    assert any(s.finding == "leg_warm" and s.reason == "uncertain" for s in result.set_aside)


def test_fears_are_not_findings() -> None:
    assert "previous_dvt" not in answers("I'm worried about a blood clot.")


def test_relatives_are_not_the_person() -> None:
    result = parse("My mother had clots in her legs.")
    assert "previous_dvt" not in result.answers
    assert any(s.reason == "family" for s in result.set_aside)


def test_family_history_of_restless_legs_is_read_from_relatives() -> None:
    got = answers("My legs are restless at night. My mum has restless legs too.")
    assert got["family_history_rls"] is True
    assert got["urge_to_move"] is True


def test_past_smoking_counts_as_smoker() -> None:
    assert answers("I used to smoke 20 a day.")["smoker"] is True
    assert answers("I'm an ex-smoker")["smoker"] is True


def test_past_symptoms_are_not_current() -> None:
    assert "sudden_tight_muscle" not in answers("I used to get cramps as a child.")


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 67 and my legs ache", 67),
        ("67 y/o male, legs ache", 67),
        ("A 67-year-old woman here", 67),
        ("Sixty-seven year old man with sore feet", 67),
        ("aged 81, puffy ankles", 81),
    ],
)
def test_ages(text: str, age: int) -> None:
    assert answers(text)["age"] == age


def test_ages_are_not_weeks_of_pregnancy_or_diagnosis() -> None:
    got = answers("I'm 30 weeks pregnant. I've had diabetes since I was 12.")
    assert "age" not in got
    assert got["pregnant"] is True
    assert got["sex"] == "female"


def test_a_parent_writing_about_a_child() -> None:
    got = answers("My 6 year old son wakes up crying with pain in his shins. My mother had clots.")
    assert got["age"] == 6
    assert got["sex"] == "male"
    assert got["pain_shin"] is True


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("I'm a 45 year old woman", "female"),
        ("52F, sore hips", "female"),
        ("I'm 38 and male", "male"),
    ],
)
def test_sex(text: str, sex: str) -> None:
    assert answers(text)["sex"] == sex


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("pain in my left calf", "left"),
        ("My right foot burns at night", "right"),
        ("both legs ache", "both"),
        ("my feet tingle in bed", "both"),
        ("cramps in one leg or the other", "alternating"),
    ],
)
def test_sides(text: str, side: str) -> None:
    assert answers(text)["side"] == side


def test_lying_on_a_side_is_not_the_side_of_the_pain() -> None:
    assert "side" not in answers("It hurts when I lie on my left side.")


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("My calf has ached for three weeks", "weeks"),
        ("sore legs for 2 days", "days"),
        ("It started about an hour ago, my leg hurts", "hours"),
        ("My legs have been restless for years", "months"),
        ("aching feet for several months", "months"),
        ("Back pain since yesterday", "days"),
    ],
)
def test_durations(text: str, duration: str) -> None:
    assert answers(text)["duration"] == duration


def test_a_duration_of_something_else_is_not_the_pains() -> None:
    assert "duration" not in answers("I've had diabetes for 20 years. My feet burn.")


def test_lay_words_and_misspellings() -> None:
    got = answers("Charley horse in my calfs, tingleing feet, vericose veins, dibetic")
    assert got["sudden_tight_muscle"] is True
    assert got["numbness"] is True
    assert got["varicose_veins"] is True


def test_places_need_a_symptom_and_are_not_taken_from_other_phrases() -> None:
    got = answers("A pillow between my knees helps me sleep.")
    assert got == {"relieved_by_pillow_under_or_between_knees": True}


def test_severity() -> None:
    assert answers("The pain is about 8/10")["pain_severity"] == 8


def test_result_shape_evidence_and_unplaced() -> None:
    text = "I'm 67 and my left foot burns at night. The weather was lovely in Spain."
    result = legpain.parse(text)
    assert isinstance(result, legpain.ParseResult)
    assert parse_answers(result.answers) == result.answers
    ev = result.evidence["burning"]
    assert text[ev.start : ev.end] == ev.text
    assert 0 < ev.confidence <= 1
    assert result.unplaced == ["The weather was lovely in Spain."]
    d = json.loads(json.dumps(result.to_dict()))
    assert d["answers"]["age"] == 67
    assert set(d) == {
        "language",
        "answers",
        "findings",
        "evidence",
        "to_check",
        "set_aside",
        "unplaced",
        "truncated",
    }


def test_parse_refuses_non_text() -> None:
    with pytest.raises(TypeError, match="str"):
        parse(b"bytes")  # type: ignore[arg-type]


def test_packaged_lexicon_is_valid() -> None:
    assert check_lexicons() == []


def _write_lexicon(root: Path, entries: object) -> Path:
    src = Path(legpain.text.__file__).parent / "lexicon" / "en" / "language.yaml"
    folder = root / "en"
    folder.mkdir(parents=True)
    (folder / "language.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad.yaml").write_text(yaml.safe_dump({"entries": entries}), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"finding": "not_a_finding", "phrases": ["x"]}], "unknown finding id 'not_a_finding'"),
        ([{"finding": "burning", "phrases": ["x"], "colour": "red"}], "colour"),
        ([{"finding": "side", "value": "up", "phrases": ["x"]}], "field 'value'"),
        ([{"finding": "burning", "patterns": ["(unclosed"]}], "not a valid regular expression"),
        ([{"finding": "burning"}], "at least one phrase or pattern"),
        ([{"finding": "burning", "phrases": ["x"], "guards": ["no_such"]}], "'no_such' is not in"),
    ],
)
def test_bad_lexicon_entries_are_named(tmp_path: Path, entries: object, message: str) -> None:
    root = _write_lexicon(tmp_path, entries)
    with pytest.raises(LexiconError) as info:
        load_lexicon_from(root, load_knowledge(), "en")  # type: ignore[arg-type]
    assert any("bad.yaml" in p and message in p for p in info.value.problems), info.value.problems


def test_cli_assess_text_json_shows_what_was_understood() -> None:
    result = runner.invoke(app, ["assess", "--json", "--text", "My left calf is swollen and hot"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["parsed"]["answers"]["swelling_one_leg"] is True
    assert payload["triage"] in ("urgent", "emergency")


def test_cli_assess_text_table() -> None:
    result = runner.invoke(app, ["assess", "--text", "I have cramps in my calves at night"])
    assert result.exit_code == 0, result.output
    assert "What I understood" in result.stdout


def test_cli_evaluate_parser_json(tmp_path: Path) -> None:
    data = {
        "narratives": [
            {
                "id": "a",
                "text": "No chest pain. I'm 50.",
                "answers": {"chest_pain": False, "age": 50},
            },
            {"id": "b", "text": "my feet burn", "answers": {"burning": True, "fever": True}},
        ]
    }
    path = tmp_path / "n.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["evaluate-parser", "--json", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 2
    assert report["negation"]["chest_pain"]["tp"] == 1
    assert report["per_finding"]["fever"]["fn"] == 1
    assert report["recall"] < 1.0


def test_cli_evaluate_parser_names_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("narratives:\n- {id: a, text: hi, answers: {nope: true}}\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate-parser", str(path)])
    assert result.exit_code == 2
    assert "nope" in result.stderr


def test_cli_evaluate_text_uses_narratives(tmp_path: Path) -> None:
    vignette = {
        "id": "t-1",
        "narrative": "My left calf is swollen, hot and tender since my flight.",
        "answers": {"age": 40},
        "expected": {"condition": "deep_vein_thrombosis", "triage": "urgent"},
    }
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump([vignette]), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--text", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == 1


def test_a_denied_warning_sign_is_asked_again_in_the_interview() -> None:
    """A misread negation must never hide an emergency: the screen asks it again."""
    from legpain import Interview

    parsed = parse("No chest pain. My left calf is swollen and sore.")
    assert parsed.answers.get("chest_pain") is False
    assert "chest_pain" not in parsed.prefill()
    assert parsed.prefill().get("swelling_one_leg") is True  # a sign read as present is kept
    iv = Interview(answers={**parsed.prefill(), "age": 58, "sex": "male"})
    q = iv.next_question()
    assert q is not None and "chest_pain" in q.items


# --- issue 11: time as people say it, medicines by name, lay breadth, please check -------

EMERGENCY_ACCOUNT = (
    "I'm a 65-year-old man and just before I came in I got sudden, terrible pain just below "
    "my right knee. It's agony. I've smoked a pack a day for 40 years. I haven't seen a "
    "doctor in 20 years."
)


def test_the_account_that_hid_an_emergency() -> None:
    """Duration came from "in 20 years" and the sudden onset was missed (issue 11)."""
    parsed = parse(EMERGENCY_ACCOUNT)
    got = parsed.answers
    assert got["age"] == 65
    assert got["sex"] == "male"
    assert got["onset"] == "sudden"
    assert got["side"] == "right"
    assert got["pain_knee"] is True
    assert got["smoker"] is True
    assert got.get("duration") in (None, "hours")  # never months
    assert parsed.prefill().get("duration") in (None, "hours")


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I am 67.5 years old", 67.5),
        ("I'm seventy-two and my calves ache", 72),
        ("my son, 7, has pains in his legs at night", 7),
        ("I'm 7 months old", 0.58),
        ("my 18 month old daughter won't walk on her leg", 1.5),
        ("my daughter is 4 and her legs hurt", 4),
    ],
)
def test_decimal_written_and_infant_ages(text: str, age: float) -> None:
    assert answers(text)["age"] == age


def test_months_pregnant_is_no_age() -> None:
    assert "age" not in answers("I'm 7 months pregnant and my calf hurts")


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("I've had this pain in my calf for three months", "months"),
        ("my leg has hurt since Tuesday", "days"),
        ("the calf pain started two hours ago", "hours"),
        ("it has ached for months", "months"),
    ],
)
def test_the_pains_own_time(text: str, duration: str) -> None:
    assert answers(text)["duration"] == duration


@pytest.mark.parametrize(
    "text",
    [
        "My calf hurts. I haven't seen a doctor in 20 years.",
        "My calf hurts. I've smoked a pack a day for 40 years.",
        "My calf hurts. I have been married for 30 years.",
    ],
)
def test_durations_of_history_are_not_the_pains(text: str) -> None:
    assert "duration" not in answers(text)


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("it came on out of nowhere", "sudden"),
        ("all of a sudden my calf hurt", "sudden"),
        ("my leg has suddenly become swollen", "sudden"),
        ("the ache came on over weeks", "gradual"),
        ("the pain is getting steadily worse", "gradual"),
        ("my legs hurt, worse and worse", "gradual"),
    ],
)
def test_onset_from_words(text: str, onset: str) -> None:
    assert answers(text)["onset"] == onset


def test_a_sudden_chest_pain_is_not_the_legs_onset() -> None:
    assert "onset" not in answers("Sudden pain in my chest, my leg has been swollen for a week.")


@pytest.mark.parametrize(
    ("name", "finding"),
    [
        ("omeprazole", "takes_ppi"),
        ("Nexium", "takes_ppi"),
        ("atorvastatin", "takes_statin"),
        ("Crestor", "takes_statin"),
        ("furosemide", "takes_diuretic"),
        ("amlodipine", "takes_calcium_channel_blocker"),
        ("citalopram", "takes_antidepressant_or_antipsychotic"),
        ("quetiapine", "takes_antidepressant_or_antipsychotic"),
        ("Benadryl", "takes_sedating_antihistamine"),
        ("Ventolin", "takes_beta_agonist"),
        ("apixaban", "takes_anticoagulant"),
        ("Xarelto", "takes_anticoagulant"),
        ("Microgynon", "hormonal_contraception_or_hrt"),
        ("the mini pill", "hormonal_contraception_or_hrt"),
        ("paclitaxel", "chemotherapy"),
    ],
)
def test_medicines_by_name(name: str, finding: str) -> None:
    assert answers(f"I take {name} every day.")[finding] is True


def test_every_medicine_finding_has_names_in_the_lexicon(tmp_path: Path) -> None:
    problems = _bad_medicine_lexicon(tmp_path)
    assert any("takes_ppi" in p and "name" in p for p in problems)


def _bad_medicine_lexicon(tmp_path: Path) -> list[str]:
    root = tmp_path / "lexicon"
    (root / "en").mkdir(parents=True)
    src = Path(legpain.__file__).parent / "text" / "lexicon" / "en"
    (root / "en" / "language.yaml").write_text(
        (src / "language.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / "en" / "x.yaml").write_text(
        yaml.safe_dump({"entries": [{"finding": "burning", "phrases": ["burning"]}]}),
        encoding="utf-8",
    )
    try:
        load_lexicon_from(root, load_knowledge(), "en")
    except LexiconError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my feet seem to flop when I walk", {"leg_weakness": True}),
        ("I can barely move either leg", {"leg_weakness": True}),
        ("I struggle to start peeing", {"bladder_bowel_change": True}),
        ("I can't pass urine", {"bladder_bowel_change": True}),
        ("numbness in my groin area", {"saddle_numbness": True}),
        ("the pain is coming down from my back into my leg", {"pain_radiates_from_back": True}),
        ("my calf is tender and my leg feels warm", {"calf_tenderness": True, "leg_warm": True}),
        ("my toes are blue and ice cold", {"leg_cold_pale": True}),
        ("my son cries at night and won't walk on it", {"cannot_bear_weight": True}),
        ("I'm 38 weeks and my left calf hurts", {"pregnant": True}),
        ("I had a baby three weeks ago and my leg is swollen", {"recently_gave_birth": True}),
        ("ibuprofen takes the pain away", {"relieved_by_anti_inflammatory": True}),
        ("ibuprofen doesn't help at all", {"relieved_by_anti_inflammatory": False}),
        ("he bruises easily and looks very pale", {"unusual_bruising_or_pallor": True}),
        ("my pee is dark like cola and my thighs ache", {"dark_urine": True}),
        ("the weakness is spreading up from my feet", {"weakness_spreading_up": True}),
        ("my hands tingle too", {"tingling_hands": True}),
        ("the pain is constant, day and night", {"pain_constant": True, "pain_in_daytime": True}),
        ("there is a hard lump on my shin", {"lump_or_mass": True}),
        ("one spot on the bone is tender to touch", {"bone_tenderness": True}),
        ("I have pain in my groin", {"pain_groin": True}),
        ("a bruise appeared around my ankle", {"ankle_bruising": True}),
        ("a lump behind my knee", {"lump_behind_knee": True}),
        ("my big toe is red, hot and swollen", {"joint_red_hot": True}),
        ("the burning is worse under the covers", {"worse_with_warmth": True}),
        ("a hard red cord along the vein", {"tender_red_cord": True}),
        ("I've had cellulitis before", {"previous_cellulitis": True}),
        ("I had breast cancer ten years ago", {"previous_cancer": True}),
        ("I have osteoporosis", {"osteoporosis_or_fragility_fracture": True}),
        ("I had a stomach bug last week", {"recent_infection": True}),
    ],
)
def test_lay_phrasing(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    assert {k: got.get(k) for k in expected} == expected


def test_pallor_of_the_toes_is_not_a_persons_pallor() -> None:
    assert "unusual_bruising_or_pallor" not in answers("The toes look pale and feel cold.")


def test_an_unsure_reading_is_to_check_with_its_likely_value() -> None:
    parsed = parse("My left leg suddenly became swollen. It has been like this for three months.")
    assert set(parsed.to_check) >= {"onset", "duration"}  # sudden onset with months
    check = parsed.to_check["duration"]
    assert check.value == "months" and check.reason == "conflict"
    assert check.conflicts_with == "onset"
    assert "duration" not in parsed.findings
    d = parsed.to_dict()
    assert d["to_check"]["duration"]["value"] == "months"
    assert d["to_check"]["duration"]["confidence"] < 1


def test_an_unsure_reading_that_could_raise_the_level_is_asked_not_prefilled() -> None:
    from legpain import Interview

    parsed = parse("My left leg suddenly became swollen. It has been like this for three months.")
    prefill, suggested = parsed.prefill(), parsed.suggested()
    assert "duration" not in prefill  # "hours" would be more urgent: ask
    assert suggested["duration"] == "months"
    assert prefill.get("swelling_one_leg") is True  # confident readings still save questions
    iv = Interview(answers={**prefill, "age": 50, "sex": "female"}, suggested=suggested)
    asked = []
    for _ in range(40):
        q = iv.next_question()
        if q is None:
            break
        asked.append(q.id)
        if q.id == "duration":
            assert q.suggested == "months"
            assert q.to_dict()["suggested"] == "months"
            break
        iv.answer(q.id, [] if q.items else "unknown")
    assert "duration" in asked


def test_interview_refuses_a_bad_suggestion() -> None:
    from legpain import Interview
    from legpain.engine import CaseError

    with pytest.raises(CaseError):
        Interview(suggested={"duration": "forever"})


def test_long_input_is_read_sentence_by_sentence_and_never_loses_a_warning_sign() -> None:
    text = "My calf aches after work. " * 150 + "I have chest pain and no fever."
    parsed = parse(text)
    assert parsed.answers.get("chest_pain") is True or "chest_pain" in parsed.to_check
    budget_cut = legpain.text._parse._reader("en").read(text, budget=0.0)
    assert budget_cut.truncated
    assert budget_cut.answers.get("chest_pain") is True  # a cheap scan still finds it
    assert "chest_pain" in budget_cut.to_check  # ... as "please check"
    assert "fever" not in budget_cut.answers  # a denied sign is left to the interview
    assert budget_cut.unplaced


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("I turned 60 in May and my legs ache at night.", 60, None),
        ("Hi, 34 F here, pain in my left calf.", 34, "female"),
        ("Male, 65. Pain in my right foot at night.", 65, "male"),
        ("I'm a retired teacher, 72, with sore legs.", 72, None),
        ("At 81, I didn't expect this: my hip aches at night.", 81, None),
        ("I'm a 45 year old mum of two with aching legs.", 45, "female"),
        ("As a 70 year old dad, my legs cramp at night.", 70, "male"),
        ("My 12yo son limps.", 12, "male"),
        ("Our 4 year old wakes crying with leg pain. He won't walk on it.", 4, "male"),
        ("My daughter's leg hurts at night. She's nine.", 9, "female"),
    ],
)
def test_ages_and_sex_as_people_write_them(text: str, age: int, sex: str | None) -> None:
    got = answers(text)
    assert got["age"] == age
    assert got.get("sex") == sex


def test_times_and_relatives_are_not_the_writers_age() -> None:
    assert "age" not in answers("At 10 I went to bed and woke with cramp.")
    assert "age" not in answers("I'm a smoker, 20 a day, and my calf hurts.")


def test_a_writer_who_is_a_mum_is_not_a_relative() -> None:
    got = answers("I'm a mum of three and my calves ache.")
    assert got["pain_calf"] is True
    assert got["aching_heavy"] is True
    assert "aching_heavy" not in answers("My mum has aching legs.")


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("My calf has been hurting since last Tuesday.", "days"),
        ("The past month my legs have felt heavy.", "weeks"),
        ("It's been 5 days now and my calf still hurts.", "days"),
        ("Yesterday my leg swelled up.", "days"),
        ("My legs have ached for over a decade.", "months"),
        ("My foot has been burning 3 weeks now.", "weeks"),
    ],
)
def test_more_durations(text: str, duration: str) -> None:
    assert answers(text)["duration"] == duration


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        ("I can barely pee since this morning.", "bladder_bowel_change", True),
        ("Bladder and bowels fine.", "bladder_bowel_change", False),
        ("My son can't stand up at all.", "cannot_bear_weight", True),
        ("I've a temp of 38.2 with chills.", "fever", True),
        ("I had my right knee replaced ten days ago.", "recent_surgery_or_bedrest", True),
        ("I had a clot in my leg years ago.", "previous_dvt", True),
        ("The outside of my left hip hurts at night.", "pain_outer_hip", True),
        (
            "The pain shoots from my lower back down the back of my leg.",
            "pain_radiates_from_back",
            True,
        ),
        ("Both my shins are swollen, tight and agonising to touch.", "pain_shin", True),
        ("I'm a 45 year old mum and my knee's fine, it's my calf that hurts.", "pain_calf", True),
    ],
)
def test_readings_from_real_accounts(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("The doctor said it was a clot.", "previous_dvt"),
        ("I reckon it's sciatica.", "pain_radiates_from_back"),
        ("I had a knee replacement years ago.", "recent_surgery_or_bedrest"),
        ("My right calf and foot were numb.", "pain_calf"),
        ("He is soaking the sheets with sweat at night.", "worse_evening_night"),
        ("Pain in the back of my right calf.", "back_pain"),
        ("I carried a sofa up three flights of stairs.", "recent_long_travel"),
        ("I fell asleep in the chair.", "recent_injury"),
        ("It came on fairly suddenly and has slowly got worse since.", "recent_injury"),
    ],
)
def test_what_real_accounts_do_not_say(text: str, finding: str) -> None:
    assert finding not in answers(text)


def test_a_worsening_is_not_an_onset_but_the_start_is() -> None:
    assert (
        answers("It came on fairly suddenly and has slowly got worse since.")["onset"] == "sudden"
    )
    assert "onset" not in answers("My knee has been getting worse for months.")


def _narrative_texts() -> list[str]:
    """Every annotated narrative's text, as typed."""
    return [
        str(item["text"])
        for path in sorted(NARRATIVES.glob("*.yaml"))
        for item in yaml.safe_load(path.read_text())["narratives"]
    ]


def test_a_patterns_words_are_in_every_match_it_makes() -> None:
    """The lexicon's regexes are skipped in a chunk that holds none of their words
    (`_literals`); that is sound only if every match holds one of them. Checked on every
    annotated narrative."""
    from legpain.text._parse import _literals, _reader

    reader = _reader("en")
    texts = [" ".join(text.split()).lower() for text in _narrative_texts()]
    for pattern, _label, literals in reader.patterns:
        if not literals:
            continue
        for text in texts:
            for m in pattern.finditer(text):
                assert any(w in m.group(0) for w in literals), (pattern.pattern, m.group(0))
    assert _literals(r"\bfalls?\b") == ("fall",)


def test_a_first_character_lookahead_changes_no_match() -> None:
    """Each lexicon regex gets a lookahead for the characters its matches start with
    (`_compiled`, for speed); it must find exactly what the plain regex finds. Checked for
    every pattern on every annotated narrative and on the literal words' edges."""
    import re

    from legpain.text._parse import _compiled, _first_chars, _reader

    reader = _reader("en")
    texts = [" ".join(text.split()).lower() for text in _narrative_texts()]
    sources = {p.pattern for p, _, _ in (*reader.patterns, *reader.warning_patterns)}
    for compiled in sources:
        plain = compiled.split("])(?:", 1)[1][:-1] if compiled.startswith("(?=[") else compiled
        fast, slow = _compiled(plain), re.compile(plain)
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in slow.finditer(text)
            ], plain
    # The language's own patterns run under IGNORECASE on the text as typed.
    typed = _narrative_texts()
    typed += [t.upper() for t in typed[:100]] + ["ſix ſtone, İ ı, 40 YEAR OLD MALE"]
    for name in ("age", "child", "sex", "severity"):
        for compiled_re in getattr(reader, name):
            if not compiled_re.pattern.startswith("(?=["):
                continue
            plain_re = re.compile(compiled_re.pattern.split("])(?:", 1)[1][:-1], compiled_re.flags)
            for text in typed:
                assert [m.span() for m in compiled_re.finditer(text)] == [
                    m.span() for m in plain_re.finditer(text)
                ], plain_re.pattern
    assert _first_chars(r"(?<!\bno\s)\b(?:calf|shin)s?\b") == frozenset("cs")
    assert _first_chars(r"\b(?:my\s+)?calf") is None  # an optional start: unsure
    assert _first_chars(r"(?i)calf") is None  # other cases
    assert _first_chars(r"[^a]bc") is None


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("My left knee swelled up and now the right knee is swollen as well.", "both"),
        ("Cramps sometimes in one leg, sometimes the other.", "alternating"),
        ("It can be either leg, a cramp in the calf at night.", "alternating"),
        ("My left calf hurts; my right leg is fine.", "left"),
        ("No swelling in either leg but my left calf aches.", "left"),
        ("My left leg is more swollen than the right, right up into the thigh.", "left"),
    ],
)
def test_sides_from_real_accounts(text: str, side: str) -> None:
    assert answers(text)["side"] == side


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # real words are not "corrected" into others: "I think" hedges, "showed no" denies
        ("I think my calf is swollen.", "swelling_one_leg", None),
        ("The scan showed no clot and my calf is not swollen.", "swelling_one_leg", False),
        # an inability is a complaint, not a denial; "can't see any" still denies
        ("Since yesterday I cant manage the stairs, legs gone weak.", "leg_weakness", True),
        ("Pain in my leg that won't go away and the foot feels numb.", "numbness", True),
        ("I can't see any swelling.", "swelling_one_leg", False),
        ("I don't think my legs are weak.", "leg_weakness", None),
        ("My legs aren't weak.", "leg_weakness", False),
        ("My heart muscle has been weak for years.", "leg_weakness", None),
        # a swollen knee alone is the joint's swelling, not the leg's
        ("My left knee has puffed up and it is hot.", "swelling_one_leg", None),
        ("My left knee has puffed up and it is hot.", "joint_swelling", True),
        ("His knees aren't swollen.", "joint_swelling", False),
        ("Both legs are swollen up to the knees.", "swelling_both_legs", True),
        # another body part's complaint, or another sense of the word
        ("My lower tummy aches and my legs are stiff.", "aching_heavy", None),
        ("I've ached all over for years, arms and legs.", "aching_heavy", True),
        ("I pulled my calf doing some heavy lifting.", "aching_heavy", None),
        ("Pins and needles in both hands.", "numbness", None),
        ("It feels numb around my backside.", "saddle_numbness", True),
        ("It feels numb around my backside.", "numbness", None),
        ("I get hay fever every June and my calves ache.", "fever", None),
        ("Temperature 37.6 and his knee hurts.", "fever", None),
        ("He had a temp of 37.8 and his knee hurts.", "fever", True),
        ("A five-hour flight in a cramped seat, then my calf hurt.", "sudden_tight_muscle", None),
        ("Pain down my leg like a bad cramp.", "sudden_tight_muscle", None),
        ("My calf goes rock hard in the night.", "sudden_tight_muscle", True),
        ("I lost ten pounds on purpose last year.", "weight_loss_unexplained", False),
        # a clinician's label or the writer's guess is not a finding
        ("A&E said torn calf muscle and gave me crutches.", "recent_injury", None),
        ("Urgent care said probably a UTI.", "recent_infection", None),
        # a place named as how far something reaches
        ("My left leg went numb and tingly from the knee down.", "pain_knee", None),
        ("The ache runs down my thigh as far as the knee.", "pain_knee", None),
        ("A red, hard, sore line runs up the inside of my leg.", "leg_red", None),
        ("I can't sleep on that side, my hip aches.", "wakes_from_sleep", None),
        ("Low back pain, better when I sit or lean forward.", "also_when_sitting", None),
    ],
)
def test_misreadings_found_on_development_accounts(
    text: str, finding: str, value: bool | None
) -> None:
    assert answers(text).get(finding) == value


def test_side_not_from_an_arm_or_the_mouth() -> None:
    assert "side" not in answers("My right arm has gone weak and I feel dizzy.")
    assert "side" not in answers("The left side of my mouth droops a bit.")
    assert answers("Right back of thigh pain for a week.")["side"] == "right"


def test_durations_of_other_things_are_not_the_pains() -> None:
    assert "duration" not in answers("Atrial fibrillation for two years, on amiodarone.")
    assert "duration" not in answers("After a few hours on my feet my legs ache.")
    assert (
        answers("On Sunday I sat on the floor for three hours and my foot flopped.")["duration"]
        == "days"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a parent's words: the child named first, without "my"
        ("son 9 had a sore throat bug a month ago", {"age": 9.0, "sex": "male"}),
        ("Son is in year 2. He woke up limping.", {"sex": "male"}),
        ("Mum of three here, this is about my middle one, he's 7.", {"age": 7.0, "sex": "male"}),
        ("Ahmed is 8. He grazed his shin.", {"age": 8.0, "sex": "male"}),
        ("My little boy just turned 2 and he's limping.", {"age": 2.0, "sex": "male"}),
        # a relative who speaks is not the subject
        ("I'm 88 and my daughter says I've got forgetful.", {"age": 88.0}),
        # ages and sexes said in new ways
        ("48 yrs lady from Ghaziabad.", {"age": 48.0, "sex": "female"}),
        ("58 y/o housewife.", {"age": 58.0, "sex": "female"}),
        ("im 15 (girl) and i fell", {"age": 15.0, "sex": "female"}),
        ("16, boy. My knee hurts.", {"age": 16.0, "sex": "male"}),
        ("F, play soccer and run most days.", {"sex": "female"}),
        ("84 years young.", {"age": 84.0}),
        ("30 and 6 months pregnant.", {"age": 30.0}),
    ],
)
def test_who_it_is_about_round_four(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        ("Ibuprofen doesn't touch it.", "relieved_by_anti_inflammatory", False),
        ("Naproxen, which has barely helped.", "relieved_by_anti_inflammatory", False),
        ("It never hurts when I'm sitting.", "also_when_sitting", False),
        ("Sitting or lying it's fine.", "also_when_sitting", False),
        ("Nights are fine.", "worse_evening_night", False),
        ("It's worse when I put weight on it.", "pain_on_weight_bearing_joint", True),
        (
            "He moans about his thigh whenever he stands or walks on it.",
            "pain_on_weight_bearing_joint",
            True,
        ),
        (
            "Stairs and getting out of a low chair are a battle.",
            "pain_on_weight_bearing_joint",
            True,
        ),
        ("They go tight and painful when I'm running hard.", "pain_during_exercise_tight", True),
        ("Both shins go tight and crampy on ruck marches.", "pain_during_exercise_tight", True),
        ("A red hot swollen left knee.", "joint_red_hot", True),
        ("My knee a bit red n puffy, now massively swollen and hot.", "joint_swelling", True),
        ("My legs keep getting weaker.", "weakness_worsening", True),
        ("Both legs weak, and my arms are weak too.", "weakness_spreading_up", True),
        ("My hands are going clumsy and weak.", "weakness_spreading_up", True),
        ("I'm weak as a kitten.", "leg_weakness", True),
        ("Legs still working.", "leg_weakness", False),
        ("Never been a big drinker.", "heavy_alcohol", False),
        ("No sugar.", "diabetes", False),
        ("Sugar and pressure both I have.", "high_blood_pressure", True),
        ("No flights, no operations.", "recent_surgery_or_bedrest", False),
        ("Back's fine.", "back_pain", False),
        ("Had lumbar surgery years back.", "back_problem_history", True),
        ("I'm being treated for kidney cancer.", "previous_cancer", True),
        ("I've never broken anything.", "osteoporosis_or_fragility_fracture", False),
        ("I'm woken 2-3 nights a week with a cramp.", "wakes_from_sleep", True),
        ("Waterworks fine.", "bladder_bowel_change", False),
        ("I haven't hurt the leg.", "recent_injury", False),
    ],
)
def test_lay_phrasings_round_four(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value, answers(text)


def test_some_nights_fine_is_not_fine_at_night() -> None:
    assert "worse_evening_night" not in answers("Some nights are fine, some nights not.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Since one year my left knee is paining very much.",
            {"duration": "months", "pain_knee": True},
        ),
        ("58 M. last few months both my legs ache.", {"duration": "months", "side": "both"}),
        ("A year of worsening aching in my thighs.", {"duration": "months"}),
        ("My foot went cold out of nowhere this afternoon, it hurts.", {"duration": "hours"}),
        ("This morning my left groin and the whole left leg hurt.", {"duration": "hours"}),
        ("Since last summer both my calves start aching.", {"duration": "months"}),
        ("Tonight my legs suddenly went dead.", {"duration": "hours", "side": "both"}),
        ("Since then my legs have got weaker and weaker.", {"side": "both"}),
        ("It came slowly slowly.", {"onset": "gradual"}),
    ],
)
def test_time_and_side_round_four(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)


def test_since_an_age_is_not_a_duration() -> None:
    assert "duration" not in answers("I'm 20 and have had cramps since 3 years old.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of stated negatives: an earlier "no" does not turn "fine" round
        ("No numbness, no weakness, waterworks fine.", {"bladder_bowel_change": False}),
        ("No chest pain, nights are fine.", {"worse_evening_night": False}),
        # a clause that only lists places after a complaint
        ("I ache all over, thighs and calves the worst.", {"pain_thigh": True, "pain_calf": True}),
        (
            "Aches in both legs at bedtime, front of the thighs and the backs of her knees.",
            {"pain_thigh": True, "pain_knee": True},
        ),
        (
            "Achy legs most evenings, calves n behind the knees.",
            {"pain_calf": True, "pain_knee": True},
        ),
    ],
)
def test_lists_round_four(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)


def test_a_listed_place_with_a_verb_still_needs_its_pain_word() -> None:
    assert "pain_knee" not in answers("My legs ache, and I sleep with a pillow between my knees.")


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("For 3 weeks his foot aches after runs.", "worse_after_exercise"),
        ("Groin pain that gets worse the further I run.", "worse_after_exercise"),
        ("Did my first proper hike in ages last weekend.", "new_or_intense_exercise"),
        ("An intense aerobics class 2 days ago, first time ever.", "new_or_intense_exercise"),
        ("He has upped his cross country to 6 days a week.", "new_or_intense_exercise"),
        ("She banged her right knee on the pool ladder.", "recent_injury"),
        ("Right leg pinned under a pallet at work.", "recent_injury"),
        ("I slid off the edge of the bed onto the carpet.", "recent_injury"),
        ("My calf is visibly fatter than the right one.", "swelling_one_leg"),
        ("The warm weather brings it on.", "worse_with_warmth"),
        ("Walking round the flat is the only thing that helps.", "relieved_by_movement"),
        ("I have to get up and pace.", "urge_to_move"),
        ("Sitting down fixes it in a few minutes.", "walking_pain_relieved_by_sitting_or_bending"),
        ("The pain shoots from her back down her left leg.", "pain_radiates_from_back"),
        ("He has loads of bruises on his legs.", "unusual_bruising_or_pallor"),
        ("I'm sweating through the sheets.", "night_sweats"),
        ("First thing in the morning they're stiff for half an hour.", "joint_stiffness_morning"),
        ("On long drives my calf goes numb and aches.", "also_when_sitting"),
        ("Today he doesn't want to walk at all.", "cannot_bear_weight"),
        ("I drink a fair bit, prob 60+ units a week.", "heavy_alcohol"),
    ],
)
def test_more_phrasings_round_four(text: str, finding: str) -> None:
    assert answers(text).get(finding) is True, answers(text)


def test_iron_checked_normal_is_no_iron_deficiency() -> None:
    assert answers("Iron was checked, not low.").get("iron_deficiency") is False


def test_a_short_question_is_a_guess() -> None:
    got = answers("My calf is sore. Pulled muscle?")
    assert got.get("pain_calf") is True
    assert "recent_injury" not in got


def test_a_red_hot_knee_is_the_joint_and_the_leg_red_and_warm() -> None:
    # Round 7: the audited annotations read a red, hot knee as a red, warm leg too (all 18
    # accounts with joint_red_hot in dev_v2_[a-u] have leg_red and leg_warm), so the joint's
    # phrase no longer swallows them.
    got = answers("Left knee started hurting 5 days ago, last 24 hrs it's swollen up, red, hot.")
    assert got.get("joint_red_hot") is True and got.get("pain_knee") is True
    assert got.get("leg_red") is True and got.get("leg_warm") is True


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a pain's feel, a walking pain, veins: no cramp
        ("Both calves have got really painful and crampy.", "sudden_tight_muscle", None),
        ("My thighs cramp up after a short walk and I have to stop.", "sudden_tight_muscle", None),
        ("My calves cramp up so I have to sit down.", "sudden_tight_muscle", None),
        (
            "When I walk more than 5 minutes both legs ache, cramp and go weak.",
            "sudden_tight_muscle",
            None,
        ),
        ("The veins on my left calf and thigh went hard and sore.", "sudden_tight_muscle", None),
        ("He doesn't want to miss the county champs.", "sudden_tight_muscle", None),
        ("I get cramps in my calves at night.", "sudden_tight_muscle", True),
        # a relief after stopping, an onset, how long I last: no attacks
        ("If I stop and rest for a minute or two it goes.", "episodes_seconds_minutes", None),
        ("Stop running and it's gone within a minute or so.", "episodes_seconds_minutes", None),
        ("The pain came on within a minute or two.", "episodes_seconds_minutes", None),
        (
            "On the treadmill I last 4 mins before my legs go weak.",
            "episodes_seconds_minutes",
            None,
        ),
        ("The cramp lasts a few minutes.", "episodes_seconds_minutes", True),
        # a measurement or a low pressure is no high blood pressure
        ("They did a blood pressure test at my ankles.", "high_blood_pressure", None),
        ("Blood pressure different in each arm.", "high_blood_pressure", None),
        ("My blood pressure runs low.", "high_blood_pressure", None),
        ("I was told my blood pressure was borderline.", "high_blood_pressure", None),
        ("I take tablets for blood pressure.", "high_blood_pressure", True),
        # swollen veins, a smell, what everyone says: no swollen leg
        ("My right leg has swollen twisted veins.", "swelling_one_leg", None),
        ("The sore on my ankle smells.", "swelling_one_leg", None),
        ("Everyone says legs swell in pregnancy.", "swelling_both_legs", None),
    ],
)
def test_misreadings_round_five(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value, answers(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My calf hurts. Leg itself isn't swollen.", {"swelling_one_leg": False}),
        ("Knee pain. No redness, no calf swelling.", {"swelling_one_leg": False}),
        (
            "Calf cramps. No swelling in either leg.",
            {"swelling_one_leg": False, "swelling_both_legs": False},
        ),
        ("My calf hurts. No swelling.", {"swelling_one_leg": False, "swelling_both_legs": False}),
    ],
)
def test_a_denied_swelling_of_one_named_leg(text: str, expected: dict[str, object]) -> None:
    got = answers(text)
    for key in ("swelling_one_leg", "swelling_both_legs"):
        assert got.get(key) == expected.get(key), (key, got)


@pytest.mark.parametrize(
    "text",
    [
        "A sharp pain in my calf. It hurts to walk on my toes.",
        "The shin is sore, and lifting my toes hurts.",
        "I used to be a postman, 30 years on my feet, so I'm used to achey legs.",
        "Nagging pain in my left leg that won't go away and the foot feels numb.",
    ],
)
def test_a_foot_moved_stood_on_or_numb_is_no_foot_pain(text: str) -> None:
    assert "pain_foot_toes" not in answers(text), answers(text)


def test_a_numb_and_tingly_foot_is_still_foot_pain() -> None:
    assert answers("My leg aches and my feet go numb and tingly.").get("pain_foot_toes") is True


@pytest.mark.parametrize(
    "text",
    [
        "Pain on the outside of my hip that makes it hard to lie on that side at night.",
        "My legs ache. I drink a bottle of wine most nights.",
    ],
)
def test_a_side_lain_on_or_a_habit_at_night_is_not_worse_at_night(text: str) -> None:
    assert "worse_evening_night" not in answers(text), answers(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My shins ache. Would ibuprofen before runs help?", "relieved_by_anti_inflammatory"),
        ("They said rest and ibuprofen, should settle in a week.", "relieved_by_anti_inflammatory"),
        (
            "I had a stroke and have been on aspirin since to stop another.",
            "relieved_by_anti_inflammatory",
        ),
        ("My knee is sore. Had the flu jab last week.", "recent_infection"),
        ("His legs ache at night. He did have a growth spurt this year.", "lump_or_mass"),
        ("My foot drags and is numb. Scared its a stroke.", "heart_disease_or_stroke"),
    ],
)
def test_questions_plans_and_lookalikes_round_five(text: str, finding: str) -> None:
    assert finding not in answers(text), answers(text)


def test_words_a_sign_is_not_do_not_block_a_correction() -> None:
    """A word found only in a pattern's negative lookaround ("cramped seats") is no
    lexicon word: "night seats" is still corrected to night sweats."""
    from legpain.text._parse import _without_negative_lookarounds

    assert _without_negative_lookarounds(r"\bcramp(?!y\b)\w*(?!\s+(?:seats?|room))") == (
        r"\bcramp\w*"
    )
    assert _without_negative_lookarounds(r"(?<!\bno\s)\b[(]calf\)") == r"\b[(]calf\)"
    assert answers("I have drenching night seats.").get("night_sweats") is True


def test_a_shared_guard_skips_every_entry_that_names_it() -> None:
    """recent_injury is said in several lexicon files; each names the one skip list in
    language.yaml ('not_an_injury'): a doctor's label is no injury, a fall is."""
    from legpain.text._lexicon import load_lexicon

    lexicon = load_lexicon("en")
    guard = lexicon.language.guards["not_an_injury"]
    named = [e for e in lexicon.entries if e.finding == "recent_injury" and e.unless_before]
    assert len(named) >= 4
    assert all(set(guard.unless_before) <= set(e.unless_before) for e in named)
    assert (
        parse("the GP said I'd pulled a muscle, my calf aches").answers.get("recent_injury") is None
    )
    assert parse("I fell off a ladder and my calf aches").answers.get("recent_injury") is True
