"""Cold-start costs (issue 12): what loads lazily, and the knowledge base's parse cache.

The timings themselves are in benchmarks/startup.py; these tests pin the behaviour
that makes them: `legpain --help` needs no engine, the server needs no Alembic on an
up-to-date database, the parse cache never changes what is loaded or skips a check,
and the validated cache gives back exactly what passed the checks, or nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import legpain
from legpain.knowledge import KnowledgeBase, KnowledgeError
from legpain.knowledge._loader import (
    CACHE_DIR_ENV,
    ParsedYamlCache,
    ValidatedCache,
    _data_root,
    load_knowledge_from,
    load_knowledge_uncached,
)


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(list(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_command_line_app_loads_without_the_engine_or_the_web_stack() -> None:
    loaded = _loaded_after("import legpain.cli.app")
    heavy = {"numpy", "pydantic", "yaml", "rich", "sqlalchemy", "alembic", "fastapi"}
    assert not heavy & {m.split(".")[0] for m in loaded}
    assert not {m for m in loaded if m.startswith(("legpain.engine", "legpain.knowledge"))}


def test_public_names_load_on_first_use() -> None:
    namespace: dict[str, object] = {}
    exec("from legpain import *", namespace)
    for name in legpain.__all__:
        assert namespace[name] is getattr(legpain, name)
    assert set(legpain.__all__) <= set(dir(legpain))
    with pytest.raises(AttributeError):
        legpain.no_such_name  # noqa: B018


def test_the_schema_head_read_from_the_files_is_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from legpain.storage._store import schema_head

    config = Config()
    config.set_main_option(
        "script_location", str(Path(legpain.__file__).parent / "storage" / "migrations")
    )
    assert schema_head() == ScriptDirectory.from_config(config).get_current_head()


def test_an_up_to_date_database_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    from legpain.storage import Store

    Store(url).close()  # a new database: the migrations run
    loaded = _loaded_after(f"from legpain.storage import Store; Store({url!r}).close()")
    assert "alembic" not in loaded


def test_the_parse_cache_gives_the_same_knowledge_base(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "parsed.json"
    first = ParsedYamlCache(path)
    kb = load_knowledge_from(_data_root(), first.read)
    first.save()
    assert path.is_file()
    again = ParsedYamlCache(path)
    assert load_knowledge_from(_data_root(), again.read) == kb == load_knowledge_uncached()
    again.save()  # nothing was parsed: nothing is written
    assert not list(path.parent.glob(".parsed-*"))


def test_cached_data_is_still_validated(tmp_path: Path) -> None:
    path = tmp_path / "parsed.json"
    cache = ParsedYamlCache(path)
    load_knowledge_from(_data_root(), cache.read)
    cache.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    digest, data = stored["entries"]["findings.yaml"]
    data["findings"][0]["type"] = "colour"  # same digest, data no longer valid
    stored["entries"]["findings.yaml"] = [digest, data]
    path.write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"findings\.yaml"):
        load_knowledge_from(_data_root(), ParsedYamlCache(path).read)


def test_a_stale_or_broken_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "parsed.json"
    cache = ParsedYamlCache(path)
    kb = load_knowledge_from(_data_root(), cache.read)
    cache.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    _, data = stored["entries"]["findings.yaml"]
    data["findings"] = []  # a parse of some other text
    stored["entries"]["findings.yaml"] = ["0" * 64, data]
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert load_knowledge_from(_data_root(), ParsedYamlCache(path).read) == kb
    path.write_text("{not json", encoding="utf-8")
    assert load_knowledge_from(_data_root(), ParsedYamlCache(path).read) == kb


def test_a_cache_that_cannot_be_written_is_harmless(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    cache = ParsedYamlCache(blocker / "parsed.json")  # its folder cannot be made
    kb = load_knowledge_from(_data_root(), cache.read)
    cache.save()
    assert kb == load_knowledge_uncached()


def test_only_plain_json_data_is_cached(tmp_path: Path) -> None:
    (tmp_path / "plain.yaml").write_text("a: [1, 2.5, true, null, x]\n", encoding="utf-8")
    (tmp_path / "dated.yaml").write_text("a: 2024-01-02\n", encoding="utf-8")
    (tmp_path / "keys.yaml").write_text("1: one\n", encoding="utf-8")
    (tmp_path / "alias.yaml").write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    path = tmp_path / "parsed.json"
    cache = ParsedYamlCache(path)
    problems: list[str] = []
    for name in ("plain", "dated", "keys", "alias"):
        cache.read(tmp_path / f"{name}.yaml", name, problems)
    cache.save()
    assert not problems
    assert set(json.loads(path.read_text(encoding="utf-8"))["entries"]) == {"plain"}
    assert ParsedYamlCache(path).read(tmp_path / "plain.yaml", "plain", problems) == {
        "a": [1, 2.5, True, None, "x"]
    }


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from legpain.knowledge._loader import cache_dir

    monkeypatch.setenv(CACHE_DIR_ENV, "")
    assert cache_dir() is None
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "legpain"


# --- the validated knowledge base, cached (ValidatedCache) ---------------------------


def _stored_validated(tmp_path: Path) -> tuple[Path, KnowledgeBase]:
    path = tmp_path / "validated.json"
    kb = load_knowledge_uncached()
    ValidatedCache(path, _data_root()).save(kb)
    return path, kb


def test_the_validated_cache_gives_the_same_knowledge_base(tmp_path: Path) -> None:
    path, kb = _stored_validated(tmp_path)
    assert path.is_file()
    assert not list(tmp_path.glob(".validated-*"))
    again = ValidatedCache(path, _data_root()).load()
    assert again == kb
    assert again is not kb
    # Every model the same class, values and fields set, down to the leaves.
    for cid, c in kb.conditions.items():
        other = again.conditions[cid]
        assert type(other) is type(c)
        assert other.model_fields_set == c.model_fields_set
        assert other.model_dump() == c.model_dump()
        assert [type(m) for m in other.likelihoods] == [type(m) for m in c.likelihoods]
    assert again.warning_findings == kb.warning_findings
    assert isinstance(again.warning_findings, frozenset)
    assert hash(again.policy.leak_prior) == hash(kb.policy.leak_prior)


def test_any_change_to_the_yaml_makes_the_validated_cache_stale(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(Path(str(_data_root())), root)
    path = tmp_path / "validated.json"
    kb = load_knowledge_from(root)
    ValidatedCache(path, root).save(kb)
    assert ValidatedCache(path, root).load() == kb
    condition = root / "conditions" / "baker_cyst.yaml"
    condition.write_text(condition.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ValidatedCache(path, root).load() is None  # one more newline
    (root / "conditions" / "baker_cyst.yaml").rename(root / "conditions" / "x.yaml")
    assert ValidatedCache(path, root).load() is None  # a renamed file
    # Keyed by what the files hold, not where: the packaged files are still those.
    assert ValidatedCache(path, _data_root()).load() == kb


def test_a_damaged_validated_cache_is_ignored(tmp_path: Path) -> None:
    path, _ = _stored_validated(tmp_path)
    data = path.read_bytes()
    middle = len(data) // 2
    for damaged in (
        data[:middle],  # cut short
        data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :],  # one bit flipped
        b"",
        b"not json\n{}",
        b"\n",
    ):
        path.write_bytes(damaged)
        assert ValidatedCache(path, _data_root()).load() is None
    assert ValidatedCache(tmp_path / "none.json", _data_root()).load() is None
    assert ValidatedCache(None, _data_root()).load() is None


def _rewritten(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The stored data changed, with a checksum that matches it (as a tool could write)."""
    import hashlib

    header, body = path.read_bytes().split(b"\n", 1)
    fields = json.loads(body)
    change(fields)
    new_body = json.dumps(fields).encode()
    head = json.loads(header) | {"sha256": hashlib.sha256(new_body).hexdigest()}
    path.write_bytes(json.dumps(head).encode() + b"\n" + new_body)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: next(iter(f["findings"].values())).update({"$model": "Path"}),  # not a model
        lambda f: next(iter(f["findings"].values())).update({"colour": "red"}),  # extra field
        lambda f: next(iter(f["findings"].values())).pop("label"),  # missing field
        lambda f: next(iter(f["findings"].values())).update({"$set": ["colour"]}),
        lambda f: f.update({"unknown": 1}),  # not a KnowledgeBase field
        lambda f: f.update({"warning_findings": {"$frozenset": [], "x": 1}}),
    ],
)
def test_stored_data_not_of_the_schema_is_ignored(
    tmp_path: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    path, _ = _stored_validated(tmp_path)
    _rewritten(path, change)
    assert ValidatedCache(path, _data_root()).load() is None


def test_a_validated_cache_that_cannot_be_written_is_harmless(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    cache = ValidatedCache(blocker / "validated.json", _data_root())
    cache.save(load_knowledge_uncached())
    assert cache.load() is None


def test_load_knowledge_uses_the_validated_cache_and_builds_no_validator(
    tmp_path: Path,
) -> None:
    code = (
        "from legpain.knowledge import load_knowledge\n"
        "from legpain.knowledge._schema import Condition\n"
        "kb = load_knowledge()\n"
        "print(len(kb.conditions), Condition.__pydantic_complete__)"
    )
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path)}

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.split()[-1]

    assert run() == "True"  # validated from the YAML: the validators were built
    assert (tmp_path / "validated-knowledge.json").is_file()
    assert run() == "False"  # from the cache: no validator was needed


def test_a_commands_help_loads_neither_the_engine_nor_numpy() -> None:
    code = (
        "import sys\n"
        "from legpain.cli.app import app\n"
        "try:\n"
        "    app(['assess', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    loaded = _loaded_after(code)
    assert "numpy" not in loaded
    assert not {m for m in loaded if m.startswith("legpain.engine")}


def test_the_command_line_sets_the_blas_threads_as_the_engine_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from legpain.cli.app import BLAS_THREAD_VARIABLES, _before_any_command
    from legpain.engine._threads import THREAD_VARIABLES, limit_blas_threads

    assert BLAS_THREAD_VARIABLES == THREAD_VARIABLES
    for var in THREAD_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own count is kept
    _before_any_command()
    by_cli = {var: os.environ[var] for var in THREAD_VARIABLES}
    for var in THREAD_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    limit_blas_threads()
    assert by_cli == {var: os.environ[var] for var in THREAD_VARIABLES}
    assert by_cli["OPENBLAS_NUM_THREADS"] == "1"


def test_start_up_mode_ends_with_the_collectors_own_thresholds() -> None:
    import gc

    from legpain import _startup

    before = gc.get_threshold()
    try:
        _startup.begin()
        assert gc.get_threshold()[0] == _startup.START_UP_THRESHOLD
        _startup.begin()  # a second begin keeps the thresholds saved by the first
        _startup.done()
        assert gc.get_threshold() == before
        _startup.done()  # idempotent, and harmless without begin()
        assert gc.get_threshold() == before
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize(
    "args", [["vocabulary"], ["assess", "examples/night-foot-pain.yaml", "--json"]]
)
def test_a_command_ends_start_up_mode_once_it_has_loaded(args: list[str]) -> None:
    code = (
        "import atexit, gc, sys\n"
        "default = gc.get_threshold()\n"
        "atexit.register(lambda: print(gc.get_threshold() == default, gc.get_freeze_count() > 0))\n"
        f"sys.argv = ['legpain', *{args!r}]\n"
        "from legpain.cli.app import main\n"
        "main()\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    ).stdout
    assert out.splitlines()[-1] == "True True"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("loose", ["file", "folder"])
def test_a_cache_that_others_could_have_written_is_not_read(tmp_path: Path, loose: str) -> None:
    """The validated cache is used without re-validation: if anyone but this user could
    have written it (it or its folder writable by group or others), it is ignored."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    path, kb = _stored_validated(folder)
    parsed = ParsedYamlCache(folder / "parsed.json")
    load_knowledge_from(_data_root(), parsed.read)
    parsed.save()
    assert ValidatedCache(path, _data_root()).load() == kb
    assert ParsedYamlCache(folder / "parsed.json")._entries
    target = path if loose == "file" else folder
    target.chmod(0o666 if loose == "file" else 0o777)
    (folder / "parsed.json").chmod(0o666 if loose == "file" else 0o600)
    assert ValidatedCache(path, _data_root()).load() is None
    assert ParsedYamlCache(folder / "parsed.json")._entries == {}
    target.chmod(0o600 if loose == "file" else 0o700)
    (folder / "parsed.json").chmod(0o600)
    assert ValidatedCache(path, _data_root()).load() == kb  # private again: used again
