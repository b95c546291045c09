"""``legpain interview`` driven by scripted keystrokes on a real process's stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from legpain import assess, load_cases

DONT_KNOW_REST = "d\n" * 40  # whatever else is asked; the interview ends within the cap


def _interview(keys: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-m", "legpain", "interview", *args],
        input=keys,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_keystrokes_reach_a_result_and_the_saved_case_reassesses_the_same(tmp_path: Path) -> None:
    saved = tmp_path / "mine.yaml"
    keys = (
        "?\n"  # why we ask (shown, then the same question again)
        "0\n"  # emergency screen (asked first): none
        "58\n"  # age
        "2\n"  # sex: male
        "1 2 3\n"  # leg signs: one leg swollen, calf tender, warm
        "0\n"  # general screen: none
    ) + DONT_KNOW_REST
    run = _interview(keys, "--save", str(saved))
    assert run.returncode == 0, run.stderr
    assert "a blocked artery" in run.stdout  # the "why" of the first screen
    assert "URGENT" in run.stdout
    assert "Deep vein thrombosis" in run.stdout or "deep vein" in run.stdout.lower()
    case = load_cases(saved)[0]
    assert case.answers["swelling_one_leg"] is True and case.answers["chest_pain"] is False
    doc = yaml.safe_load(saved.read_text())
    assert doc["result"]["triage"] == "urgent" == assess(case.answers).level


def test_back_undoes_and_bad_keys_are_explained(tmp_path: Path) -> None:
    saved = tmp_path / "mine.json"
    keys = (
        "0\n"  # emergency screen: none
        "forty\n"  # not a number: explained, asked again
        "40\n"
        "b\n"  # back to the age question
        "41\n"
        "7\n"  # not a choice for sex
        "1\n"  # female
    ) + DONT_KNOW_REST
    run = _interview(keys, "--save", str(saved))
    assert run.returncode == 0, run.stderr
    assert "did not understand 'forty'" in run.stdout
    assert "did not understand '7'" in run.stdout
    answers = load_cases(saved)[0].answers
    assert answers["age"] == 41 and answers["sex"] == "female"


def test_answers_prefill_and_end_of_input_stops_cleanly(tmp_path: Path) -> None:
    case = tmp_path / "start.yaml"
    case.write_text(yaml.safe_dump({"answers": {"age": 70, "sex": "female"}}))
    run = _interview("", "--answers", str(case))
    assert run.returncode == 0, run.stderr
    assert "How old are you?" not in run.stdout  # pre-filled, so not asked
    assert "Stopped" in run.stdout


def test_a_bad_prefill_file_is_named_and_nothing_is_asked(tmp_path: Path) -> None:
    case = tmp_path / "bad.yaml"
    case.write_text(yaml.safe_dump({"answers": {"age": "very"}}))
    run = _interview("", "--answers", str(case))
    assert run.returncode == 2
    assert "bad.yaml" in run.stderr and "age" in run.stderr


def test_text_prefills_the_interview_and_shows_what_was_understood() -> None:
    text = "I'm 67 and a man. My left calf is swollen and hot. No chest pain."
    run = _interview("0\n" + DONT_KNOW_REST, "--text", text)
    assert run.returncode == 0, run.stderr
    assert "What I understood" in run.stdout
    assert "How old are you?" not in run.stdout  # read from the text
    assert "URGENT" in run.stdout
