"""Load the knowledge base from the package's YAML files and check it whole.

Validation has two layers: the pydantic schema (shape, types, unknown keys) per
file, and cross-references across files (ids, sources, distributions). Both
report every problem found, each naming the file and the field, so that
``legpain kb check`` can print a complete list rather than the first error.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from legpain.knowledge._schema import (
    Advice,
    Condition,
    EmergencyStep,
    Expr,
    Finding,
    InterviewConfig,
    Policy,
    RespondentWording,
    Score,
    Source,
    TriageRule,
)

# libyaml's C parser, where PyYAML was built with it, reads the knowledge base about
# ten times faster than the pure-Python one (0.26 s against 2.9 s of CPU for the 61
# knowledge and lexicon files on the development machine) and builds the same
# objects: both end in PyYAML's safe constructor.
try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

DISTRIBUTION_TOLERANCE = 1e-6


class KnowledgeError(Exception):
    """The knowledge base is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the knowledge base:\n" + "\n".join(problems)
        )


@dataclass(frozen=True)
class KnowledgeBase:
    findings: dict[str, Finding]
    conditions: dict[str, Condition]
    triage_rules: list[TriageRule]
    scores: dict[str, Score]
    advice: list[Advice]
    policy: Policy
    sources: dict[str, Source]
    interview: InterviewConfig
    warning_findings: frozenset[str] = field(default_factory=frozenset)
    respondents: RespondentWording = field(default_factory=RespondentWording)
    # What to do while waiting for emergency help (emergency.yaml), in file order.
    emergency: list[EmergencyStep] = field(default_factory=list)

    def finding(self, finding_id: str) -> Finding:
        return self.findings[finding_id]


def _data_root() -> Traversable:
    return resources.files("legpain.knowledge").joinpath("data")


def read_yaml(node: Traversable, name: str, problems: list[str]) -> Any:
    """A YAML file's content, or None with the problem recorded (shared with the text lexicon)."""
    try:
        text = node.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{name}: file is missing")
        return None
    return _parse_yaml(text, name, problems)


def _parse_yaml(text: str, name: str, problems: list[str]) -> Any:
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        problems.append(f"{name}: not valid YAML: {exc}")
    return None


Reader = Callable[[Traversable, str, list[str]], Any]

# --- the parsed-YAML cache ---------------------------------------------------------
#
# Even with libyaml, parsing the knowledge base's 540 kB of YAML is most of the cost
# of loading it (about 0.2 s of a cold `legpain assess`), while validating what was
# parsed takes 30 ms. So the packaged knowledge base keeps what PyYAML made of each
# file, as JSON, in the user's cache directory, keyed by the SHA-256 of the file's
# text (and by the versions of legpain and PyYAML). Only the parse is cached: every
# load still validates every model and runs every cross-check on the data, and
# `legpain kb check` reads the YAML itself. A file whose data is not plain JSON
# (dates, non-string keys, shared anchors) is simply not cached. The cache is an
# optimisation only: if it cannot be read or written, the YAML is parsed as before.

CACHE_DIR_ENV = "LEGPAIN_CACHE_DIR"  # "" turns the cache off
_CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    """Where legpain may keep caches: $LEGPAIN_CACHE_DIR, else $XDG_CACHE_HOME/legpain,
    else ~/.cache/legpain; None when $LEGPAIN_CACHE_DIR is set but empty."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder: no cache
            return None
    return Path(base) / "legpain"


def written_only_by_this_user(path: Path) -> bool:
    """True if no one but this user (or root) could have written ``path``: it and its
    folder belong to this user and neither is writable by group or others, as ssh asks
    of its keys. A cache that someone else sharing the machine could have written is not
    read: the cached knowledge base is used without re-validation, so whoever can write
    it could change the clinical rules. (The checksum inside only catches damage.)"""
    if not hasattr(os, "geteuid"):  # not POSIX: no owners and modes to check
        return True
    me = os.geteuid()
    try:
        for part in (path, path.parent):
            st = part.stat()
            if st.st_uid not in (me, 0) or st.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def _plain(value: Any, seen: set[int]) -> bool:
    """True if ``value`` survives a JSON round trip unchanged: dicts with string keys,
    lists, strings, numbers, booleans and None, with no container reached twice."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return True
    if kind is not dict and kind is not list:
        return False
    if id(value) in seen:  # a YAML alias: JSON would copy it
        return False
    seen.add(id(value))
    if kind is dict:
        return all(type(k) is str and _plain(v, seen) for k, v in value.items())
    return all(_plain(v, seen) for v in value)


class ParsedYamlCache:
    """The parse of each packaged YAML file, as it was the last time, by file name."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._header = {
            "format": _CACHE_FORMAT,
            "legpain": _legpain_version(),
            "pyyaml": yaml.__version__,
            "loader": SafeLoader.__name__,
        }
        self._new: dict[str, str] = {}  # name -> JSON of [digest, data], parsed this time
        self._entries = self._stored()  # name -> [digest, data]

    def _stored(self) -> dict[str, Any]:
        if self.path is None or not written_only_by_this_user(self.path):
            return {}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if (
            isinstance(stored, dict)
            and stored.get("header") == self._header
            and isinstance(stored.get("entries"), dict)
        ):
            entries: dict[str, Any] = stored["entries"]
            return entries
        return {}

    def read(self, node: Traversable, name: str, problems: list[str]) -> Any:
        """Like read_yaml; the stored parse when the file's text is unchanged."""
        try:
            text = node.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{name}: file is missing")
            return None
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        hit = self._entries.pop(name, None)  # each stored parse is handed out once
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == digest:
            return hit[1]
        data = _parse_yaml(text, name, problems)
        if data is not None and _plain(data, set()):
            # Serialised now, before validation sees (and could change) the data.
            self._new[name] = json.dumps([digest, data], ensure_ascii=False)
        return data

    def save(self) -> None:
        """Store the files parsed this time; any failure is ignored (the cache is optional)."""
        if self.path is None or not self._new:
            return
        # The other files' entries as stored (what was handed out may have been changed).
        kept = {k: json.dumps(v, ensure_ascii=False) for k, v in self._stored().items()}
        entries = ", ".join(
            f"{json.dumps(k)}: {v}" for k, v in sorted({**kept, **self._new}.items())
        )
        body = f'{{"header": {json.dumps(self._header)}, "entries": {{{entries}}}}}\n'
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(body)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass


# --- the validated knowledge base, cached -----------------------------------------
#
# Even from the parse cache, a load validates some 3,000 models and cross-checks them
# (about 40 ms), and building the validators of the schema's classes costs as much
# again (they are built lazily, see _schema.Strict). A knowledge base that passed
# every check is therefore also kept, as JSON data (never code: each model is a JSON
# object naming its class, rebuilt as pydantic's model_construct would, only for the
# schema's own classes). It is used only when its key matches: the SHA-256 of every
# packaged YAML file (name and bytes), of the schema's and the loader's source, and
# the legpain, pydantic and Python versions; so any change to the YAML, the schema or
# the checks rebuilds it from the YAML. A SHA-256 of the stored data is checked
# before use: a cache damaged on disk is ignored (and rebuilt), never half-used.

_VALIDATED_FORMAT = 1
_MODEL_KEY = "$model"  # a model: {"$model": class name, "$set": fields set, fields...}
_SET_KEY = "$set"
_FROZENSET_KEY = "$frozenset"


class _Uncacheable(Exception):
    """A value the JSON form would not give back exactly."""


def _schema_models() -> dict[str, type[BaseModel]]:
    from legpain.knowledge import _schema

    return {
        name: obj
        for name, obj in vars(_schema).items()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == _schema.__name__
    }


def _encode(value: Any, models: dict[str, type[BaseModel]]) -> Any:
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is list:
        return [_encode(v, models) for v in value]
    if kind is dict:
        if not all(type(k) is str for k in value) or _MODEL_KEY in value:
            raise _Uncacheable("a mapping with a non-string key or the reserved key")
        return {k: _encode(v, models) for k, v in value.items()}
    if kind is frozenset:
        return {_FROZENSET_KEY: sorted(_encode(v, models) for v in value)}
    if isinstance(value, BaseModel) and models.get(kind.__name__) is kind:
        if value.__pydantic_extra__ or value.__pydantic_private__:
            raise _Uncacheable(f"{kind.__name__} with extra or private values")
        out = {k: _encode(v, models) for k, v in value.__dict__.items()}
        out[_MODEL_KEY] = kind.__name__
        out[_SET_KEY] = sorted(value.__pydantic_fields_set__)
        return out
    raise _Uncacheable(f"a {kind.__name__}")


def _decoder(models: dict[str, type[BaseModel]]) -> Callable[[dict[str, Any]], Any]:
    """The json object_hook that rebuilds models (and frozensets); ValueError, KeyError
    or TypeError on anything that is not exactly what _encode wrote."""
    fields = {name: set(cls.__pydantic_fields__) for name, cls in models.items()}
    new = object.__new__
    set_attr = object.__setattr__

    def hook(d: dict[str, Any]) -> Any:
        if _FROZENSET_KEY in d:
            if len(d) != 1:
                raise ValueError("not a frozenset")
            return frozenset(d[_FROZENSET_KEY])
        name = d.pop(_MODEL_KEY, None)
        if name is None:
            return d
        cls = models[name]
        fields_set = set(d.pop(_SET_KEY))
        if d.keys() != fields[name] or not fields_set <= fields[name]:
            raise ValueError(f"not the fields of {name}")
        # What BaseModel.model_construct does for a model without extra, private
        # attributes or post-init (the schema has none): the values are already valid.
        m = new(cls)
        set_attr(m, "__dict__", d)
        set_attr(m, "__pydantic_fields_set__", fields_set)
        set_attr(m, "__pydantic_extra__", None)
        set_attr(m, "__pydantic_private__", None)
        return m

    return hook


def _yaml_files(node: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda n: n.name):
        if child.is_dir():
            yield from _yaml_files(child, f"{prefix}{child.name}/")
        elif child.name.endswith(".yaml"):
            yield f"{prefix}{child.name}", child


class ValidatedCache:
    """The knowledge base under ``root`` as it was validated the last time, if nothing it
    was made from has changed since."""

    def __init__(self, path: Path | None, root: Traversable) -> None:
        self.path = path
        self.root = root
        self._key: str | None = None

    def key(self) -> str:
        """What the stored knowledge base was made from (OSError if a file is unreadable)."""
        if self._key is None:
            import platform

            import pydantic

            from legpain.knowledge import _schema

            h = hashlib.sha256()
            for part in (
                f"format {_VALIDATED_FORMAT}",
                f"legpain {_legpain_version()}",
                f"pydantic {pydantic.VERSION}",
                f"python {platform.python_version()}",
            ):
                h.update(part.encode() + b"\0")
            for module_file in (_schema.__file__, __file__):
                h.update(Path(str(module_file)).read_bytes() + b"\0")
            for name, node in _yaml_files(self.root):
                h.update(name.encode() + b"\0" + node.read_bytes() + b"\0")
            self._key = h.hexdigest()
        return self._key

    def load(self) -> KnowledgeBase | None:
        """The stored knowledge base; None if there is none, it is stale or damaged."""
        if self.path is None or not written_only_by_this_user(self.path):
            return None
        try:
            data = self.path.read_bytes()
            end = data.index(b"\n")
            header = json.loads(data[:end])
            body = data[end + 1 :]
            if (
                not isinstance(header, dict)
                or header.get("key") != self.key()
                or header.get("sha256") != hashlib.sha256(body).hexdigest()
            ):
                return None
            # The decoded data has no reference cycles, so a garbage collection run
            # while it is decoded (some 20,000 new objects) would find nothing to free.
            enabled = gc.isenabled()
            gc.disable()
            try:
                fields = json.loads(body, object_hook=_decoder(_schema_models()))
            finally:
                if enabled:
                    gc.enable()
            kb = KnowledgeBase(**fields)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return kb

    def save(self, kb: KnowledgeBase) -> None:
        """Store a knowledge base that passed every check; any failure is ignored."""
        if self.path is None:
            return
        import dataclasses
        import tempfile

        try:
            models = _schema_models()
            fields = {f.name: _encode(getattr(kb, f.name), models) for f in dataclasses.fields(kb)}
            body = json.dumps(fields, ensure_ascii=False).encode("utf-8")
            header = {"key": self.key(), "sha256": hashlib.sha256(body).hexdigest()}
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".validated-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(json.dumps(header).encode("utf-8") + b"\n" + body)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, _Uncacheable):
            pass


def _legpain_version() -> str:
    import legpain

    return legpain.__version__


def describe_errors(exc: ValidationError, where: str) -> Iterator[str]:
    """One line per schema error, naming the file and the field."""
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        got = err.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        yield f"{where}: field '{loc}': {err['msg']} (got {shown})"


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], raw: Any, where: str, problems: list[str]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(describe_errors(exc, where))
        return None


def _items(raw: Any, key: str, name: str, problems: list[str]) -> list[Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(f"{name}: expected a mapping with a list under '{key}'")
        return []
    extra = set(raw) - {key}
    if extra:
        problems.append(f"{name}: unknown top-level key(s) {sorted(extra)}; expected only '{key}'")
    return list(raw[key])


def load_knowledge_from(root: Traversable, read: Reader = read_yaml) -> KnowledgeBase:
    """Load and validate the knowledge base under ``root``; raise KnowledgeError.
    ``read`` parses one YAML file (read_yaml, or a ParsedYamlCache's read)."""
    problems: list[str] = []

    sources: dict[str, Source] = {}
    sources_dir = root.joinpath("sources")
    for node in sorted(sources_dir.iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".yaml"):
            continue
        where = f"sources/{node.name}"
        raw = read(node, where, problems)
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected a mapping of source keys")
            continue
        for key, value in raw.items():
            src = _parse(Source, value, f"{where}: source '{key}'", problems)
            if src is None:
                continue
            if key in sources and sources[key] != src:
                problems.append(f"{where}: source '{key}' is already defined differently")
            sources[key] = src

    findings: dict[str, Finding] = {}
    raw = read(root.joinpath("findings.yaml"), "findings.yaml", problems)
    for i, item in enumerate(_items(raw, "findings", "findings.yaml", problems)):
        f = _parse(Finding, item, f"findings.yaml: findings[{i}]", problems)
        if f is not None:
            if f.id in findings:
                problems.append(f"findings.yaml: duplicate finding id '{f.id}'")
            findings[f.id] = f

    conditions: dict[str, Condition] = {}
    cond_dir = root.joinpath("conditions")
    for node in sorted(cond_dir.iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".yaml"):
            continue
        where = f"conditions/{node.name}"
        c = _parse(Condition, read(node, where, problems), where, problems)
        if c is None:
            continue
        if node.name != f"{c.id}.yaml":
            problems.append(f"{where}: field 'id': '{c.id}' does not match the file name")
        conditions[c.id] = c

    rules_raw = read(root.joinpath("triage.yaml"), "triage.yaml", problems)
    rules = [
        r
        for i, item in enumerate(_items(rules_raw, "rules", "triage.yaml", problems))
        if (r := _parse(TriageRule, item, f"triage.yaml: rules[{i}]", problems)) is not None
    ]
    scores_raw = read(root.joinpath("scores.yaml"), "scores.yaml", problems)
    scores = {
        s.id: s
        for i, item in enumerate(_items(scores_raw, "scores", "scores.yaml", problems))
        if (s := _parse(Score, item, f"scores.yaml: scores[{i}]", problems)) is not None
    }
    # Advice is one file per group of conditions, so each group's author owns a file.
    advice: list[Advice] = []
    for node in sorted(root.joinpath("advice").iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".yaml"):
            continue
        where = f"advice/{node.name}"
        advice_raw = read(node, where, problems)
        advice += [
            a
            for i, item in enumerate(_items(advice_raw, "advice", where, problems))
            if (a := _parse(Advice, item, f"{where}: advice[{i}]", problems)) is not None
        ]
    policy = _parse(
        Policy,
        read(root.joinpath("policy.yaml"), "policy.yaml", problems),
        "policy.yaml",
        problems,
    )

    interview = _parse(
        InterviewConfig,
        read(root.joinpath("interview.yaml"), "interview.yaml", problems),
        "interview.yaml",
        problems,
    )
    if policy is None or interview is None:
        raise KnowledgeError(problems or ["policy.yaml or interview.yaml: could not be read"])
    respondents = RespondentWording()
    if root.joinpath("respondent.yaml").is_file():
        respondents = (
            _parse(
                RespondentWording,
                read(root.joinpath("respondent.yaml"), "respondent.yaml", problems),
                "respondent.yaml",
                problems,
            )
            or respondents
        )
    emergency: list[EmergencyStep] = []
    if root.joinpath("emergency.yaml").is_file():
        em_raw = read(root.joinpath("emergency.yaml"), "emergency.yaml", problems)
        emergency = [
            e
            for i, item in enumerate(_items(em_raw, "while_waiting", "emergency.yaml", problems))
            if (e := _parse(EmergencyStep, item, f"emergency.yaml: while_waiting[{i}]", problems))
            is not None
        ]
    kb = KnowledgeBase(
        findings=findings,
        conditions=conditions,
        triage_rules=rules,
        scores=scores,
        advice=advice,
        policy=policy,
        sources=sources,
        interview=interview,
        warning_findings=frozenset(f.id for f in findings.values() if f.warning),
        respondents=respondents,
        emergency=emergency,
    )
    problems.extend(_cross_check(kb))
    if problems:
        raise KnowledgeError(problems)
    return kb


@cache
def load_knowledge() -> KnowledgeBase:
    """The packaged knowledge base, once per process: from the validated cache when the
    YAML, the schema and the loader are those it was made from (see ValidatedCache), else
    read, validated and cross-checked in full (the YAML parse from ParsedYamlCache)."""
    directory = cache_dir()
    root = _data_root()
    validated = ValidatedCache(
        None if directory is None else directory / "validated-knowledge.json", root
    )
    kb = validated.load()
    if kb is not None:
        return kb
    parsed = ParsedYamlCache(None if directory is None else directory / "parsed-knowledge.json")
    kb = load_knowledge_from(root, parsed.read)
    parsed.save()
    validated.save(kb)
    return kb


def load_knowledge_uncached() -> KnowledgeBase:
    """The packaged knowledge base read from its YAML alone, for `legpain kb check`."""
    return load_knowledge_from(_data_root())


# --- cross-file checks -------------------------------------------------------------


def _rule_findings(exprs: Iterable[Expr]) -> set[str]:
    out: set[str] = set()
    for e in exprs:
        out |= e.findings()
    return out


def _check_sourced(
    obj: Any, where: str, kb: KnowledgeBase, *, number: bool = False
) -> Iterator[str]:
    """Provenance. A *number* (prior, factor, likelihood, threshold) is either read
    from its source (``evidence`` and ``where`` say what and where) or judged
    (``source: judgement`` with ``judged``): a cited number its source does not
    give is worse than an honest judgement, so the two forms never mix."""
    source = getattr(obj, "source", None)
    see = getattr(obj, "see", None)
    if see is not None and see not in kb.sources:
        yield f"{where}: field 'see': unknown source '{see}' (add it to data/sources/)"
    if source not in kb.sources:
        yield f"{where}: field 'source': unknown source '{source}' (add it to data/sources/)"
        return
    judged_kind = kb.sources[source].kind == "judgement"
    if judged_kind and not getattr(obj, "judged", None):
        yield f"{where}: field 'judged': a number sourced to judgement needs its one-line reasoning"
    if not number:
        return
    if judged_kind:
        if getattr(obj, "evidence", None) or getattr(obj, "where", None):
            yield f"{where}: fields 'evidence'/'where' describe a source's figure; a judged number has 'see'"
        return
    for field_name in ("evidence", "where"):
        if not getattr(obj, field_name, None):
            yield (
                f"{where}: field '{field_name}': a number sourced to '{source}' needs "
                "'evidence' (what the source reports, with the figure and population) and "
                "'where' (table, section or page); if the source does not give it, use "
                "source: judgement with 'judged' and 'see'"
            )
    if getattr(obj, "judged", None):
        yield (
            f"{where}: field 'judged': a number read from '{source}' is not judged; "
            "if it is the authors' judgement, use source: judgement with 'see'"
        )


def _check_values(
    finding: Finding, values: Iterable[str], where: str, *, complete: bool
) -> Iterator[str]:
    allowed = finding.values()
    given = list(values)
    for v in given:
        if v not in allowed:
            yield f"{where}: value '{v}' is not one of {allowed} for finding '{finding.id}'"
    if complete and set(given) != set(allowed):
        yield f"{where}: must give every value of '{finding.id}': {allowed}"


def _check_dist(dist: dict[str, float], finding: Finding, where: str) -> Iterator[str]:
    yield from _check_values(finding, dist, where, complete=True)
    total = math.fsum(dist.values())
    if abs(total - 1.0) > DISTRIBUTION_TOLERANCE:
        yield f"{where}: field 'dist': sums to {total:.4f}, expected 1"


def _check_expr(e: Expr, where: str, kb: KnowledgeBase, *, rule: bool) -> Iterator[str]:
    if e.finding is not None:
        f = kb.findings.get(e.finding)
        if f is None:
            yield f"{where}: unknown finding '{e.finding}'"
            return
        if f.type == "boolean" and e.is_not is not None and not e.in_:
            # "Not answered no": yes or unknown. Only [false] keeps the test
            # monotone; is_not [true] would be a 'not' (a yes switching it off).
            if e.is_not != ["false"]:
                yield (
                    f"{where}: on a yes/no finding only 'is_not: [false]' is allowed "
                    f"(not answered no); got {e.is_not} for '{f.id}'"
                )
        elif e.in_ or e.is_not:
            if f.type != "choice":
                yield f"{where}: 'in'/'is_not' need a choice finding; '{f.id}' is {f.type}"
            else:
                yield from _check_values(f, (e.in_ or []) + (e.is_not or []), where, complete=False)
        elif e.at_least is not None or e.below is not None:
            if f.type != "number":
                yield f"{where}: 'at_least'/'below' need a number finding; '{f.id}' is {f.type}"
        elif f.type != "boolean":
            yield f"{where}: finding '{f.id}' is {f.type}; say 'in', 'at_least' or 'below'"
    if e.score is not None and e.score not in kb.scores:
        yield f"{where}: unknown score '{e.score}'"
    if rule and e.not_ is not None:
        # A negated test would let a new warning sign switch a rule off, which
        # would break the promise that warning signs never lower the level.
        yield (
            f"{where}: triage rules may not use 'not' (use 'is_not' on a choice "
            "finding, or 'is_not: [false]' on a yes/no one)"
        )
    for sub in (e.all or []) + (e.any or []) + ([e.not_] if e.not_ else []):
        yield from _check_expr(sub, where, kb, rule=rule)


def _check_respondents(kb: KnowledgeBase) -> Iterator[str]:
    rw = kb.respondents
    ids = {r.id for r in rw.respondents}
    groups = {s.id for s in kb.interview.screens} | {c.id for c in kb.interview.checklists}
    for r in rw.respondents:
        if r.adult_as is not None and r.adult_as not in ids:
            yield f"respondent.yaml: respondent '{r.id}': unknown adult_as '{r.adult_as}'"
        if r.id != "self" and not (r.who and r.whose):
            yield f"respondent.yaml: respondent '{r.id}': needs 'who' and 'whose'"
    for qid, by in rw.questions.items():
        if qid not in kb.findings and qid not in groups:
            yield f"respondent.yaml: questions: unknown question '{qid}'"
        for rid in by:
            if rid not in ids:
                yield f"respondent.yaml: questions '{qid}': unknown respondent '{rid}'"
    for fid in rw.young_questions:
        if fid not in kb.findings:
            yield f"respondent.yaml: young_questions: unknown finding '{fid}'"


def _cross_check(kb: KnowledgeBase) -> Iterator[str]:
    yield from _check_respondents(kb)
    for fid, f in kb.findings.items():
        if f.base is not None:
            where = f"findings.yaml: finding '{fid}': field 'base'"
            yield from _check_sourced(f.base, where, kb, number=True)
            if f.type == "boolean" and f.base.p is None:
                yield f"{where}: a boolean finding's base is 'p'"
            if f.type != "boolean":
                if f.base.dist is None:
                    yield f"{where}: a {f.type} finding's base is 'dist'"
                else:
                    yield from _check_dist(f.base.dist, f, where)

    for cid, c in kb.conditions.items():
        where = f"conditions/{cid}.yaml"
        yield from _check_sourced(c.care, f"{where}: field 'care'", kb, number=True)
        yield from _check_sourced(c.prior, f"{where}: field 'prior'", kb, number=True)
        seen: set[str] = set()
        for i, m in enumerate(c.modifiers):
            w = f"{where}: modifiers[{i}]"
            yield from _check_sourced(m, w, kb, number=True)
            mf = kb.findings.get(m.finding)
            if mf is None:
                yield f"{w}: field 'finding': unknown finding '{m.finding}'"
                continue
            if mf.base is not None:
                yield f"{w}: '{m.finding}' has a base rate, so it belongs in 'likelihoods'"
            if m.finding in seen:
                yield f"{w}: '{m.finding}' is listed twice"
            seen.add(m.finding)
            yield from _check_values(mf, m.factors, w, complete=False)
        for i, lk in enumerate(c.likelihoods):
            w = f"{where}: likelihoods[{i}] ({lk.finding})"
            yield from _check_sourced(lk, w, kb, number=True)
            lf = kb.findings.get(lk.finding)
            if lf is None:
                yield f"{w}: field 'finding': unknown finding '{lk.finding}'"
                continue
            if lf.base is None:
                yield f"{w}: '{lk.finding}' has no base rate, so it belongs in 'modifiers'"
            if lk.finding in seen:
                yield f"{w}: '{lk.finding}' is listed twice"
            seen.add(lk.finding)
            if lf.type == "boolean":
                if lk.p is None:
                    yield f"{w}: a boolean finding takes 'p'"
            elif lk.dist is None:
                yield f"{w}: a {lf.type} finding takes 'dist'"
            else:
                yield from _check_dist(lk.dist, lf, w)
        for i, ct in enumerate(c.contributors):
            w = f"{where}: contributors[{i}]"
            yield from _check_sourced(ct, w, kb)
            if ct.finding not in kb.findings:
                yield f"{w}: unknown finding '{ct.finding}'"

    yield from _check_sourced(
        kb.policy.leak_prior, "policy.yaml: field 'leak_prior'", kb, number=True
    )
    yield from _check_sourced(
        kb.policy.possible_threshold_source, "policy.yaml: possible_threshold", kb
    )
    yield from _check_sourced(
        kb.policy.contributor_threshold_source, "policy.yaml: contributor_threshold", kb
    )
    for i, lk in enumerate(kb.policy.leak_likelihoods):
        w = f"policy.yaml: leak_likelihoods[{i}] ({lk.finding})"
        yield from _check_sourced(lk, w, kb, number=True)
        lf = kb.findings.get(lk.finding)
        if lf is None or lf.base is None or lf.type != "boolean" or lk.p is None:
            yield f"{w}: field 'finding': expected a yes/no finding with a base rate, and 'p'"
    for nv in kb.policy.never_advise:
        yield from _check_sourced(nv, f"policy.yaml: never_advise '{nv.tag}'", kb)
    for ci in kb.policy.contraindications:
        yield from _check_sourced(ci, f"policy.yaml: contraindications '{ci.tag}'", kb)
        for cid in ci.avoid_if_possible:
            if cid not in kb.conditions:
                yield f"policy.yaml: contraindications '{ci.tag}': unknown condition '{cid}'"

    in_rules = _rule_findings(r.when for r in kb.triage_rules if r.kind == "red_flag")
    for fid in sorted(kb.warning_findings):
        if kb.findings[fid].type != "boolean":
            yield f"findings.yaml: finding '{fid}': field 'warning': only yes/no findings are warning signs"
        if fid not in in_rules:
            yield f"findings.yaml: finding '{fid}': field 'warning': no red-flag rule uses it"

    screened: set[str] = set()
    for screen in kb.interview.screens:
        for fid in screen.items:
            if fid not in kb.warning_findings:
                yield f"interview.yaml: screen '{screen.id}': '{fid}' is not a warning finding"
            screened.add(fid)
    for fid in sorted(kb.warning_findings - screened):
        yield f"interview.yaml: warning finding '{fid}' is in no screen"
    in_checklist: dict[str, str] = {}
    question_ids = {s.id for s in kb.interview.screens}
    for cl in kb.interview.checklists:
        where = f"interview.yaml: checklist '{cl.id}'"
        if cl.id in question_ids or cl.id in kb.findings:
            yield f"{where}: id is already used by a screen, checklist or finding"
        question_ids.add(cl.id)
        for fid in cl.items:
            member = kb.findings.get(fid)
            if member is None:
                yield f"{where}: field 'items': unknown finding '{fid}'"
            elif member.type != "boolean" or member.base is None:
                yield f"{where}: field 'items': '{fid}' is not a yes/no finding with likelihoods"
            elif fid in kb.warning_findings:
                yield f"{where}: field 'items': '{fid}' is a warning sign (it belongs in a screen)"
            elif fid in in_checklist:
                yield f"{where}: field 'items': '{fid}' is already in checklist '{in_checklist[fid]}'"
            else:
                in_checklist[fid] = cl.id
    groups = {f.group for f in kb.findings.values()}
    for g in sorted(groups - set(kb.interview.why_by_group)):
        yield f"interview.yaml: field 'why_by_group': no reason given for group '{g}'"

    rule_ids: set[str] = set()
    for r in kb.triage_rules:
        where = f"triage.yaml: rule '{r.id}'"
        if r.id in rule_ids:
            yield f"{where}: duplicate rule id"
        rule_ids.add(r.id)
        yield from _check_sourced(r, where, kb)
        yield from _check_expr(r.when, where, kb, rule=True)
        if r.suspect is not None and r.suspect not in kb.conditions:
            yield f"{where}: field 'suspect': unknown condition '{r.suspect}'"

    for sid, s in kb.scores.items():
        where = f"scores.yaml: score '{sid}'"
        yield from _check_sourced(s, where, kb)
        if s.supports is not None and s.supports not in kb.conditions:
            yield f"{where}: field 'supports': unknown condition '{s.supports}'"
        for item in s.items:
            if item.when is not None:
                yield from _check_expr(item.when, f"{where}: item '{item.id}'", kb, rule=False)
                if sid in item.when.scores():
                    yield f"{where}: item '{item.id}' refers to its own score"

    never = {nv.tag for nv in kb.policy.never_advise}
    advice_ids: set[str] = set()
    for a in kb.advice:
        where = f"advice: advice '{a.id}'"
        if a.id in advice_ids:
            yield f"{where}: duplicate advice id"
        advice_ids.add(a.id)
        yield from _check_sourced(a, where, kb)
        for cid in [*a.conditions, *a.avoid_if_possible]:
            if cid != "any" and cid not in kb.conditions:
                yield f"{where}: unknown condition '{cid}'"
        if a.shown_if is not None:
            yield from _check_expr(a.shown_if, f"{where}: field 'shown_if'", kb, rule=False)
        for fid in a.warns_of:
            if fid not in kb.findings:
                yield f"{where}: field 'warns_of': unknown finding '{fid}'"
        for tag in a.tags:
            if tag in never:
                yield f"{where}: field 'tags': '{tag}' is never advised ({never})"

    step_ids: set[str] = set()
    for e in kb.emergency:
        where = f"emergency.yaml: step '{e.id}'"
        if e.id in step_ids:
            yield f"{where}: duplicate id"
        step_ids.add(e.id)
        yield from _check_sourced(e, where, kb)
        for cid in e.suspects:
            if cid != "any" and cid not in kb.conditions:
                yield f"{where}: field 'suspects': unknown condition '{cid}'"
