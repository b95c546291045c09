"""The real ``legpain`` command: in-process with Typer's CliRunner, and as a subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from legpain.cli.app import app
from legpain.knowledge import TRIAGE_ORDER, load_knowledge

KB = load_knowledge()
SHARED = Path(__file__).resolve().parents[3] / "shared"
RESULT_KEYS = {"case", "conditions", "triage", "red_flags", "contributors"}
METRIC_KEYS = {
    "n",
    "top1",
    "top3",
    "triage_exact",
    "under_triage",
    "over_triage",
    "serious_under_triaged",
    "contributor_recall",
    "brier",
    "confusion",
    "misses",
}

PAD = {
    "id": "pad-1",
    "answers": {
        "age": 67,
        "sex": "male",
        "side": "left",
        "smoker": True,
        "burning": True,
        "pain_foot_toes": True,
        "relieved_by_dangling_leg": True,
        "swelling_one_leg": False,
        "urge_to_move": False,
    },
}
CAUDA = {
    "id": "cauda-1",
    "answers": {
        "age": 45,
        "back_pain": True,
        "pain_radiates_from_back": True,
        "saddle_numbness": True,
        "bladder_bowel_change": True,
    },
}
RLS = {
    "id": "rls-1",
    "answers": {
        "age": 50,
        "urge_to_move": True,
        "crawling_tingling": True,
        "relieved_by_movement": True,
        "worse_evening_night": True,
        "also_when_sitting": True,
    },
}


def vocabulary_conditions() -> set[str]:
    """The spec's conditions (the shared copy if present, else the packaged one)."""
    spec = SHARED / "spec" / "vocabulary.yaml"
    if not spec.exists():
        import legpain.knowledge

        spec = Path(legpain.knowledge.__file__).parent / "data" / "vocabulary.yaml"
    return {c["id"] for c in yaml.safe_load(spec.read_text(encoding="utf-8"))["conditions"]}


def flat(text: str) -> str:
    """Rich wraps long lines to the console width; compare text without whitespace."""
    return "".join(text.split())


def write(path: Path, doc: Any) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def json_lines(stdout: str) -> list[dict[str, Any]]:
    lines = stdout.splitlines()
    assert all(line.strip() for line in lines), f"blank line in JSON Lines output: {stdout!r}"
    return [json.loads(line) for line in lines]


def check_result(result: dict[str, Any]) -> None:
    assert set(result) >= RESULT_KEYS
    ids = [c["id"] for c in result["conditions"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(KB.conditions)
    assert vocabulary_conditions() <= set(ids)
    probs = [c["probability"] for c in result["conditions"]]
    assert all(isinstance(p, int | float) and 0.0 <= p <= 1.0 for p in probs)
    assert probs == sorted(probs, reverse=True)
    assert result["triage"] in {"emergency", "urgent", "routine", "self_care"}
    assert isinstance(result["red_flags"], list)
    for flag in result["red_flags"]:
        assert isinstance(flag["id"], str) and flag["id"]
        assert isinstance(flag["message"], str) and flag["message"]
    assert isinstance(result["contributors"], list)
    assert set(result["contributors"]) <= set(KB.findings)


# --------------------------------------------------------------------------- assess --json


def test_assess_json_one_case(runner: CliRunner, tmp_path: Path) -> None:
    case = write(tmp_path / "pad.yaml", PAD)
    res = runner.invoke(app, ["assess", "--json", str(case)])
    assert res.exit_code == 0, res.output
    [result] = json_lines(res.stdout)
    check_result(result)
    assert result["case"] == "pad-1"
    # the spec's worked example: ischaemic rest pain in a smoker
    assert result["conditions"][0]["id"] == "peripheral_artery_disease"
    assert result["triage"] == "urgent"
    assert "smoker" in result["contributors"]
    assert res.stderr == ""


def test_assess_json_red_flags_raise_triage(runner: CliRunner, tmp_path: Path) -> None:
    case = write(tmp_path / "cauda.yaml", CAUDA)
    res = runner.invoke(app, ["assess", "--json", str(case)])
    assert res.exit_code == 0, res.output
    [result] = json_lines(res.stdout)
    check_result(result)
    assert result["triage"] == "emergency"
    assert result["red_flags"], "an emergency triage must name the red flags that set it"


def test_assess_json_several_files_in_order(runner: CliRunner, tmp_path: Path) -> None:
    a = write(tmp_path / "z_first.yaml", RLS)
    b = tmp_path / "a_second.json"
    b.write_text(json.dumps([PAD, {**CAUDA, "id": "cauda-2"}]), encoding="utf-8")
    c = write(
        tmp_path / "m_third.yaml", {"answers": {"sudden_tight_muscle": True}, "id": "cramp-1"}
    )
    res = runner.invoke(app, ["assess", "--json", str(a), str(b), str(c)])
    assert res.exit_code == 0, res.output
    results = json_lines(res.stdout)
    # the order given on the command line, not sorted by name
    assert [r["case"] for r in results] == ["rls-1", "pad-1", "cauda-2", "cramp-1"]
    for r in results:
        check_result(r)
    assert results[0]["conditions"][0]["id"] == "restless_legs_syndrome"


def test_assess_json_bad_file_among_good(runner: CliRunner, tmp_path: Path) -> None:
    good1 = write(tmp_path / "good1.yaml", PAD)
    bad = write(
        tmp_path / "bad.yaml", {"id": "oops", "answers": {"smoker": True, "knee_creaks": True}}
    )
    good2 = write(tmp_path / "good2.yaml", RLS)
    res = runner.invoke(app, ["assess", "--json", str(good1), str(bad), str(good2)])
    assert res.exit_code == 2
    assert [r["case"] for r in json_lines(res.stdout)] == ["pad-1", "rls-1"]
    err = flat(res.stderr)
    assert flat(str(bad)) in err
    assert "knee_creaks" in err
    assert "good1" not in err and "good2" not in err
    assert "Traceback" not in res.output


def test_assess_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "not_there.yaml"
    res = runner.invoke(app, ["assess", "--json", str(missing)])
    assert res.exit_code == 2
    assert res.stdout == ""
    assert "no such file" in " ".join(res.stderr.split())
    assert flat(str(missing)) in flat(res.stderr)
    assert "Traceback" not in res.output
    assert isinstance(res.exception, SystemExit)  # a clean exit, not a crash


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("broken.yaml", "answers: {smoker: true\n", "not valid YAML/JSON"),
        ("empty.yaml", "", "empty"),
        ("wrongtype.yaml", "id: w\nanswers:\n  age: 200\n", "from 0 to 120"),
    ],
)
def test_assess_bad_input_exits_2_without_traceback(
    runner: CliRunner, tmp_path: Path, name: str, text: str, message: str
) -> None:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["assess", str(p)])
    assert res.exit_code == 2
    assert message in " ".join(res.stderr.split())
    assert name in flat(res.stderr)
    assert "Traceback" not in res.output


def test_assess_error_text_is_not_markup(runner: CliRunner, tmp_path: Path) -> None:
    bad = write(tmp_path / "markup.yaml", {"answers": {"[/x]": True}})
    res = runner.invoke(app, ["assess", str(bad)])
    assert res.exit_code == 2
    assert "[/x]" in res.stderr


# --------------------------------------------------------------------------- human output


def test_assess_human_output(runner: CliRunner, tmp_path: Path) -> None:
    case = write(tmp_path / "pad.yaml", PAD)
    res = runner.invoke(app, ["assess", str(case)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split()).lower()
    assert "urgent" in text
    assert "not a diagnosis" in text
    assert "peripheral artery disease" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(res.stdout.splitlines()[0])


def test_assess_human_output_emergency(runner: CliRunner, tmp_path: Path) -> None:
    case = write(tmp_path / "cauda.yaml", CAUDA)
    res = runner.invoke(app, ["assess", str(case)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split()).lower()
    assert "emergency" in text
    assert "not a diagnosis" in text


# --------------------------------------------------------------------------- kb check, evaluate


def test_kb_check(runner: CliRunner) -> None:
    res = runner.invoke(app, ["kb", "check"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "Knowledge base OK" in text
    assert f"{len(KB.conditions)} conditions" in text
    assert f"{len(KB.findings)} findings" in text


def check_metrics(report: dict[str, Any]) -> None:
    assert set(report) >= METRIC_KEYS
    for key in (
        "top1",
        "top3",
        "triage_exact",
        "under_triage",
        "over_triage",
        "contributor_recall",
        "brier",
    ):
        assert 0.0 <= report[key] <= 1.0, key
    assert report["top1"] <= report["top3"]
    assert report["triage_exact"] + report["under_triage"] + report["over_triage"] == pytest.approx(
        1
    )
    assert isinstance(report["serious_under_triaged"], list)
    assert isinstance(report["confusion"], dict)
    assert isinstance(report["misses"], list)


def test_evaluate_json_on_shared_vignettes(runner: CliRunner) -> None:
    vignettes = SHARED / "vignettes"
    if not vignettes.is_dir():
        pytest.skip(f"the shared vignettes folder is not beside the repository: {vignettes}")
    res = runner.invoke(app, ["evaluate", "--json", str(vignettes)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    check_metrics(report)
    n_files = sum(
        len(doc) if isinstance(doc, list) else 1
        for f in sorted(vignettes.glob("*.y*ml"))
        if (doc := yaml.safe_load(f.read_text(encoding="utf-8"))) is not None
    )
    assert report["n"] == n_files > 0
    assert sum(sum(row.values()) for row in report["confusion"].values()) == report["n"]
    assert set(report["confusion"]) <= set(KB.conditions)


def test_evaluate_json_on_own_vignettes(runner: CliRunner, tmp_path: Path) -> None:
    v1 = {
        **PAD,
        "expected": {
            "condition": "peripheral_artery_disease",
            "triage": "urgent",
            "contributors": ["smoker"],
        },
    }
    # deliberately wrong answer key: must show up as a miss
    v2 = {**RLS, "expected": {"condition": "cellulitis", "triage": "emergency"}}
    path = write(tmp_path / "v.yaml", [v1, v2])
    res = runner.invoke(app, ["evaluate", "--json", str(path)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    check_metrics(report)
    assert report["n"] == 2
    assert report["top1"] == pytest.approx(0.5)
    assert report["under_triage"] == pytest.approx(0.5)
    assert "rls-1" in report["serious_under_triaged"]
    assert [m["id"] for m in report["misses"]] == ["rls-1"]


def test_evaluate_with_a_bad_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    good = write(
        tmp_path / "good.yaml", {**PAD, "expected": {"condition": "sciatica", "triage": "urgent"}}
    )
    bad = write(
        tmp_path / "bad.yaml", {**RLS, "expected": {"condition": "lupus", "triage": "soon"}}
    )
    res = runner.invoke(app, ["evaluate", "--json", str(good), str(bad)])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["n"] == 1
    err = " ".join(res.stderr.split())
    assert "lupus" in err and "soon" in err
    assert "bad.yaml" in flat(res.stderr)


# --------------------------------------------------------------------------- subprocess


def legpain_command() -> list[str]:
    if importlib.util.find_spec("legpain.__main__") is not None:
        return [sys.executable, "-m", "legpain"]
    script = shutil.which("legpain")
    if script is None:
        pytest.skip("neither `python -m legpain` (no legpain/__main__.py) nor a `legpain` script")
    return [script]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [*legpain_command(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_subprocess_assess_json_with_bad_and_missing_files(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", PAD)
    bad = write(tmp_path / "bad.yaml", {"id": "oops", "answers": {"pain_severity": 11}})
    missing = tmp_path / "missing.yaml"
    good2 = write(tmp_path / "good2.yaml", CAUDA)
    proc = run("assess", "--json", str(good), str(bad), str(missing), str(good2))
    assert proc.returncode == 2, proc.stderr
    results = json_lines(proc.stdout)
    assert [r["case"] for r in results] == ["pad-1", "cauda-1"]
    for r in results:
        check_result(r)
    err = flat(proc.stderr)
    assert flat(str(bad)) in err and "pain_severity" in err
    assert flat(str(missing)) in err and "nosuchfile" in err
    assert "Traceback" not in proc.stderr + proc.stdout


def test_subprocess_kb_check() -> None:
    proc = run("kb", "check")
    assert proc.returncode == 0, proc.stderr
    assert "Knowledge base OK" in proc.stdout


def test_subprocess_no_arguments_shows_help() -> None:
    proc = run()
    assert "assess" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_triage_levels_are_the_spec_levels() -> None:
    assert set(TRIAGE_ORDER) == {"emergency", "urgent", "routine", "self_care"}


def test_serve_on_a_database_it_cannot_open_says_so_in_words(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legpain.web._settings import (
        DATABASE_URL_ENV,
        LIMIT_SALT_ENV,
        RATE_LIMIT_ENV,
        RETENTION_DAYS_ENV,
        SQLITE_PATH_ENV,
    )

    # serve hands its settings to its workers in the environment: undone after this test
    # (setenv records what was there, so the value serve sets is taken away too).
    for name in (
        DATABASE_URL_ENV,
        LIMIT_SALT_ENV,
        RATE_LIMIT_ENV,
        RETENTION_DAYS_ENV,
        SQLITE_PATH_ENV,
    ):
        monkeypatch.setenv(name, os.environ.get(name, ""))
        monkeypatch.delenv(name)
    (tmp_path / "plain").write_text("")
    r = runner.invoke(app, ["serve", "--sqlite-path", str(tmp_path / "plain" / "x.sqlite3")])
    assert r.exit_code == 2
    assert flat("is a file, not a folder") in flat(r.output)
    assert "Traceback" not in r.output
