"""The lay lexicon: what people write, per language, as data validated by a strict schema.

A language is a folder ``lexicon/<code>/`` holding ``language.yaml`` (words and patterns for
ages, sex, sides, durations and the ConText modifiers) and any number of other ``*.yaml``
files with ``entries`` (finding id -> phrases and patterns). Every problem is collected,
naming the file and the field, so ``legpain kb check`` can list them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from legpain.knowledge import KnowledgeBase, load_knowledge
from legpain.knowledge._loader import describe_errors, read_yaml

DEFAULT_LANGUAGE = "en"
MIN_MEDICINE_NAMES = 3
MEDICINES_BY_PATTERN = frozenset({"statin_started_recently"})  # a change, not a name
LANGUAGE_FILE = "language.yaml"


class LexiconError(Exception):
    """The lexicon is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the lexicon:\n" + "\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(patterns: list[str]) -> list[str]:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression {p!r}: {exc}") from None
    return patterns


class Entry(_Strict):
    """Phrases and patterns that, said of the person, give one finding a value."""

    finding: str | None = None
    value: bool | str = True
    by_extent: dict[Literal["one", "both", "joint"], str] | None = Field(
        default=None,
        description="instead of `finding`: one finding if one leg is meant, another if both"
        " (and optionally a third when only a joint is named: a swollen knee)",
    )
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list, description="regular expressions")
    needs_symptom: bool = Field(
        default=False, description="a place: counts only beside a symptom word in its clause"
    )
    needs_limb: bool = Field(
        default=False, description="counts only in a sentence that names a leg or part of one"
    )
    absorbs: bool = Field(
        default=False, description="words inside its phrase give no other finding ('back ache')"
    )
    keeps_places: bool = Field(
        default=False, description="a place inside its phrase still counts ('tender calf')"
    )
    experiencer: Literal["self", "family"] = "self"
    historical: Literal["keep", "drop"] | None = Field(
        default=None, description="past mentions; default: keep for history, drop otherwise"
    )
    unless_before: list[str] = Field(
        default_factory=list,
        description="regexes ending at the words ($): the words just before make it another"
        " sense ('hay fever', 'a blue inhaler' read the other way round: see unless_after)",
    )
    unless_after: list[str] = Field(
        default_factory=list,
        description="regexes matched from the end of the words: what follows makes it another"
        " sense ('temperature 37.6', 'lost ten pounds on purpose')",
    )
    guards: list[str] = Field(
        default_factory=list,
        description="names of shared unless_before / unless_after lists (language.yaml,"
        " guards:), added to this entry's own",
    )
    confidence: float = Field(default=0.9, gt=0, le=1)
    why: str | None = None

    _check_patterns = field_validator("patterns", "unless_before", "unless_after")(_check_regex)

    @model_validator(mode="after")
    def _one_target(self) -> Entry:
        if (self.finding is None) == (self.by_extent is None):
            raise ValueError("give exactly one of 'finding' or 'by_extent'")
        if not self.phrases and not self.patterns:
            raise ValueError("give at least one phrase or pattern")
        if self.by_extent is not None and not {"one", "both"} <= set(self.by_extent):
            raise ValueError("'by_extent' needs both 'one' and 'both'")
        return self

    def targets(self) -> list[str]:
        if self.finding is not None:
            return [self.finding]
        return list((self.by_extent or {}).values())


class DurationMore(_Strict):
    """More duration data, kept in an entry file of its own so that rounds merge cleanly."""

    patterns: list[str] = Field(default_factory=list, description="as Duration.patterns")
    phrases: dict[Literal["hours", "days", "weeks", "months"], list[str]] = Field(
        default_factory=dict
    )
    blockers: list[str] = Field(default_factory=list, description="as duration_blockers")

    _check_patterns = field_validator("patterns", "blockers")(_check_regex)


class AccountRule(_Strict):
    """A true reading of ``finding`` (whose words match ``when``, if given) stands, in an
    account naming a part of the leg, only if the account matches one of ``needs``."""

    finding: str
    when: str | None = Field(default=None, description="regex on the reading's own words")
    needs: list[str] = Field(min_length=1, description="regexes: one must match the account")
    why: str | None = None

    @field_validator("when")
    @classmethod
    def _check_when(cls, when: str | None) -> str | None:
        return None if when is None else _check_regex([when])[0]

    _check_needs = field_validator("needs")(_check_regex)


class EntryFile(_Strict):
    entries: list[Entry] = Field(default_factory=list)
    duration: DurationMore | None = None
    needs_in_account: list[AccountRule] = Field(
        default_factory=list,
        description="readings that stand only where the account names something (a hip or"
        " knee for weight-bearing pain)",
    )


class Guard(_Strict):
    """``unless_before`` / ``unless_after`` lists that several entries share (one finding
    said in many files, each file's entry skipped in the same other senses)."""

    unless_before: list[str] = Field(default_factory=list)
    unless_after: list[str] = Field(default_factory=list)
    why: str | None = None

    _check_patterns = field_validator("unless_before", "unless_after")(_check_regex)


ModifierCategory = Literal[
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HYPOTHETICAL",
    "HISTORICAL",
    "FAMILY",
    "OTHER_EXPERIENCER",
    "TERMINATE",
]


class ModifierRule(_Strict):
    """A ConText modifier: a trigger and how far, and in which direction, it reaches."""

    category: ModifierCategory
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"] = "FORWARD"
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(
        default_factory=list, description="token sequences: space-separated regexes, one a token"
    )
    max_scope: int | None = Field(default=None, gt=0)
    terminated_by: list[ModifierCategory] = Field(default_factory=list)
    why: str | None = None

    @field_validator("patterns")
    @classmethod
    def _check_token_patterns(cls, patterns: list[str]) -> list[str]:
        # Each part is checked, but the sequences are kept whole (returning the parts made
        # a two-token pattern such as ", just" two one-token triggers).
        _check_regex([part for p in patterns for part in p.split()])
        return patterns

    @model_validator(mode="after")
    def _has_trigger(self) -> ModifierRule:
        if not self.phrases and not self.patterns:
            raise ValueError("give at least one phrase or pattern")
        return self


class Duration(_Strict):
    units: dict[str, Literal["hours", "days", "weeks", "months", "years"]]
    quantities: dict[str, float] = Field(description="vague amounts: 'a few' -> 3")
    patterns: list[str] = Field(description="regexes with groups 'n' (amount) and 'unit'")
    phrases: dict[Literal["hours", "days", "weeks", "months"], list[str]] = Field(
        description="regexes that give a duration choice directly ('since yesterday')"
    )
    _check_patterns = field_validator("patterns")(_check_regex)


class Language(_Strict):
    """Words for what is not a finding phrase: numbers, ages, sex, sides, durations, context."""

    language: str
    number_words: dict[str, int]
    symptom_words: list[str] = Field(
        description="regexes for any complaint: a side or a duration said beside one is the pain's"
    )
    pain_words: list[str] = Field(
        description="regexes for pain-like words: a place (needs_symptom) counts only beside one"
    )
    limb_words: list[str] = Field(description="regexes for a leg or part of one")
    other_places: list[str] = Field(
        default_factory=list,
        description="regexes for body parts that are not the leg: an entry that needs a limb"
        " does not count in a clause naming one of these and no part of the leg",
    )
    side_words: dict[Literal["left", "right", "both", "alternating"], list[str]]
    side_not_limb: list[str] = Field(description="regexes: 'lie on my left side' is no side")
    age_patterns: list[str] = Field(description="regexes with a group 'n'; NUM = a number")
    subject_child_patterns: list[str] = Field(
        description="regexes with optional groups 'n' (age) and 'who' (a child word)"
    )
    male_words: list[str]
    female_words: list[str]
    sex_patterns: list[str] = Field(description="regexes with a group 'sex' (a sex word)")
    severity_patterns: list[str] = Field(description="regexes with a group 'n' (0-10)")
    duration: Duration
    duration_blockers: list[str] = Field(description="regexes: a duration here is not the pain's")
    warning_cues: list[str] = Field(
        description="regexes: a sentence with one is read first, whatever the time budget"
    )
    context: list[ModifierRule]
    known_words: list[str] = Field(
        default_factory=list,
        description="real words a misspelling check must leave alone ('numbers' is not 'numbness')",
    )
    guards: dict[str, Guard] = Field(
        default_factory=dict, description="shared skip lists, named by the entries' 'guards'"
    )

    _check_patterns = field_validator(
        "symptom_words",
        "pain_words",
        "limb_words",
        "other_places",
        "side_not_limb",
        "subject_child_patterns",
        "severity_patterns",
        "duration_blockers",
        "warning_cues",
    )(_check_regex)


@dataclass(frozen=True)
class Lexicon:
    language: Language
    entries: tuple[Entry, ...]
    needs_in_account: tuple[AccountRule, ...] = ()


def _root() -> Traversable:
    return resources.files("legpain.text").joinpath("lexicon")


def languages() -> list[str]:
    """The language codes that have a lexicon folder."""
    return sorted(n.name for n in _root().iterdir() if n.is_dir() and not n.name.startswith("_"))


def _check_entry(entry: Entry, kb: KnowledgeBase, where: str, problems: list[str]) -> None:
    for fid in entry.targets():
        if fid not in kb.findings:
            problems.append(f"{where}: field 'finding': unknown finding id {fid!r}")
            continue
        f = kb.findings[fid]
        if entry.by_extent is not None and f.type != "boolean":
            problems.append(f"{where}: field 'by_extent': {fid!r} is not a yes/no finding")
        elif entry.finding is not None:
            ok = (
                isinstance(entry.value, bool)
                if f.type == "boolean"
                else entry.value in (f.choices or [])
            )
            if f.type == "number" or not ok:
                expected = "true or false" if f.type == "boolean" else f"one of {f.choices}"
                problems.append(
                    f"{where}: field 'value': {entry.value!r} does not suit {fid!r} "
                    f"(expected {expected}; numbers come from patterns in language.yaml)"
                )


def _guarded(entry: Entry, language: Language | None, where: str, problems: list[str]) -> Entry:
    """The entry with the shared lists it names added to its own."""
    if not entry.guards or language is None:
        return entry
    before, after = list(entry.unless_before), list(entry.unless_after)
    for name in entry.guards:
        guard = language.guards.get(name)
        if guard is None:
            known = ", ".join(sorted(language.guards)) or "none"
            problems.append(
                f"{where}: field 'guards': {name!r} is not in {LANGUAGE_FILE}'s guards"
                f" (there: {known})"
            )
            continue
        before += guard.unless_before
        after += guard.unless_after
    return entry.model_copy(update={"unless_before": before, "unless_after": after})


def load_lexicon_from(root: Traversable, kb: KnowledgeBase, code: str) -> Lexicon:
    """Load and check one language's lexicon folder; raise LexiconError naming every problem."""
    problems: list[str] = []
    folder = root.joinpath(code)
    where = f"lexicon/{code}/{LANGUAGE_FILE}"
    language: Language | None = None
    raw = read_yaml(folder.joinpath(LANGUAGE_FILE), where, problems)
    if raw is not None:
        try:
            language = Language.model_validate(raw)
        except ValidationError as exc:
            problems.extend(describe_errors(exc, where))
    entries: list[Entry] = []
    more_durations: list[DurationMore] = []
    needs_in_account: list[AccountRule] = []
    files = sorted(
        (n for n in folder.iterdir() if n.name.endswith(".yaml") and n.name != LANGUAGE_FILE),
        key=lambda n: n.name,
    )
    for node in files:
        where = f"lexicon/{code}/{node.name}"
        raw = read_yaml(node, where, problems)
        if raw is None:
            continue
        try:
            parsed = EntryFile.model_validate(raw)
        except ValidationError as exc:
            problems.extend(describe_errors(exc, where))
            continue
        for i, entry in enumerate(parsed.entries):
            _check_entry(entry, kb, f"{where}: entries[{i}]", problems)
            entries.append(_guarded(entry, language, f"{where}: entries[{i}]", problems))
        if parsed.duration is not None:
            more_durations.append(parsed.duration)
        for rule in parsed.needs_in_account:
            if rule.finding not in kb.findings:
                problems.append(
                    f"{where}: field 'needs_in_account': unknown finding id {rule.finding!r}"
                )
            needs_in_account.append(rule)
    if not entries:
        problems.append(f"lexicon/{code}: no entries")
    # Medicines are read by name: each medicine finding needs its names in the lexicon.
    for fid, f in kb.findings.items():
        if f.group != "medicines" or fid in MEDICINES_BY_PATTERN:
            continue
        names = sum(len(e.phrases) for e in entries if e.finding == fid and e.value is True)
        if names < MIN_MEDICINE_NAMES:
            problems.append(
                f"lexicon/{code}: medicine {fid!r} has {names} name(s); "
                f"give at least {MIN_MEDICINE_NAMES} (generic and brand names)"
            )
    if problems or language is None:
        raise LexiconError(problems)
    for more in more_durations:
        phrases = {k: [*v, *more.phrases.get(k, [])] for k, v in language.duration.phrases.items()}
        for k, v in more.phrases.items():
            phrases.setdefault(k, list(v))
        duration = language.duration.model_copy(
            update={"patterns": [*language.duration.patterns, *more.patterns], "phrases": phrases}
        )
        language = language.model_copy(
            update={
                "duration": duration,
                "duration_blockers": [*language.duration_blockers, *more.blockers],
            }
        )
    return Lexicon(
        language=language, entries=tuple(entries), needs_in_account=tuple(needs_in_account)
    )


@cache
def load_lexicon(code: str = DEFAULT_LANGUAGE) -> Lexicon:
    """The packaged lexicon for a language (cached)."""
    if code not in languages():
        raise LexiconError([f"no lexicon for language {code!r} (have: {', '.join(languages())})"])
    return load_lexicon_from(_root(), load_knowledge(), code)


def check_lexicons(kb: KnowledgeBase | None = None) -> list[str]:
    """Every problem in every packaged lexicon (empty when all are valid)."""
    kb = kb or load_knowledge()
    problems: list[str] = []
    for code in languages():
        try:
            load_lexicon_from(_root(), kb, code)
        except LexiconError as exc:
            problems.extend(exc.problems)
    return problems
