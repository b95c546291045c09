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
    assert got["crawling_tingling"] is True
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
        "language", "answers", "findings", "evidence", "to_check", "set_aside", "unplaced",
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
