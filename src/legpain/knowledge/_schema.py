"""The one schema for every knowledge-base file.

Every model forbids unknown keys, so a typo in a YAML file is an error that names
the field instead of a value silently ignored. Cross-file checks (every id used
exists, every source is registered, distributions sum to 1) live in
``KnowledgeBase`` so that a single ``validate`` names every problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TriageLevel = Literal["emergency", "urgent", "routine", "self_care"]
TRIAGE_ORDER: tuple[TriageLevel, ...] = ("self_care", "routine", "urgent", "emergency")
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFactor = Annotated[float, Field(gt=0.0)]


class Strict(BaseModel):
    # defer_build: a class's validator is built when it first validates, not when the
    # module is imported; a knowledge base from the validated cache (see _loader) never
    # validates, so a command that uses it never builds one (about 0.1 s of start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sourced(Strict):
    """A number or rule with its provenance.

    ``source`` is a key of the source registry. A number read from a paper,
    guideline or seed carries ``evidence`` (what the source reports, in our words,
    with the figure and the population) and ``where`` (table, section or page). A
    number the source does not give is ``source: judgement`` with ``judged`` (one
    line of reasoning, so a reviewer can disagree) and optionally ``see`` (the
    source that informed the judgement).
    """

    source: str
    judged: str | None = None
    evidence: str | None = None  # what the source reports, with the figure and population
    where: str | None = None  # the table, section or page of the source
    see: str | None = None  # a judged number: the source that informed the judgement


# --- sources -----------------------------------------------------------------


class Source(Strict):
    kind: Literal["seed", "guideline", "paper", "judgement", "reference"]
    title: str
    url: str | None = None
    note: str | None = None


# --- findings ----------------------------------------------------------------


class NumberBin(Strict):
    label: str
    at_least: float
    below: float


class BaseRate(Sourced):
    """How findings look in people whose night leg pain has some *other* cause.

    This is the leak: a condition that does not list a finding uses this rate.
    """

    p: Probability | None = None
    dist: dict[str, Probability] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> BaseRate:
        if (self.p is None) == (self.dist is None):
            raise ValueError("give exactly one of 'p' (boolean) or 'dist' (choice or number bins)")
        return self


class Finding(Strict):
    id: str
    type: Literal["boolean", "choice", "number"]
    group: str
    question: str
    label: str
    why: str | None = None
    choices: list[str] | None = None
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    bins: list[NumberBin] | None = None
    warning: bool = False
    applies_to_sex: Literal["female", "male"] | None = None
    # Not asked of anyone younger (years): statins, the job, alcohol and the like.
    # A judgement about what fits a child's life, not a clinical number.
    min_age: float | None = None
    base: BaseRate | None = None

    @model_validator(mode="after")
    def _shape(self) -> Finding:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice finding needs 'choices'")
        if self.type != "choice" and self.choices:
            raise ValueError("'choices' is only for choice findings")
        if self.type == "number" and not self.bins:
            raise ValueError("a number finding needs 'bins' (how the engine groups its values)")
        return self

    def values(self) -> list[str]:
        """The discrete values the engine reasons over (bin labels for numbers)."""
        if self.type == "boolean":
            return ["true", "false"]
        if self.type == "choice":
            assert self.choices is not None
            return list(self.choices)
        assert self.bins is not None
        return [b.label for b in self.bins]


# --- conditions --------------------------------------------------------------


class Care(Sourced):
    """The level of care a condition needs when it is probable enough.

    ``threshold`` is the posterior at which the condition alone sets that level.
    """

    level: TriageLevel
    threshold: Probability


class Prior(Sourced):
    p: Probability


class Modifier(Sourced):
    """Multiplies the prior for a value of a finding (age band, sex, pregnancy)."""

    finding: str
    factors: dict[str, PositiveFactor]

    @field_validator("factors", mode="before")
    @classmethod
    def _yaml_booleans_are_value_names(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {(str(k).lower() if isinstance(k, bool) else k): x for k, x in v.items()}
        return v


class Likelihood(Sourced):
    """P(finding value | condition): ``p`` for booleans, ``dist`` otherwise."""

    finding: str
    p: Probability | None = None
    dist: dict[str, Probability] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Likelihood:
        if (self.p is None) == (self.dist is None):
            raise ValueError("give exactly one of 'p' (boolean) or 'dist' (choice or number bins)")
        return self


class Contributor(Sourced):
    finding: str


class Condition(Strict):
    id: str
    name: str
    icd10: str | None
    snomed: str | None = None
    summary: str
    care: Care
    prior: Prior
    modifiers: list[Modifier] = []
    likelihoods: list[Likelihood] = []
    contributors: list[Contributor] = []


# --- expressions (rules and score items) ---------------------------------------


class Expr(Strict):
    """A three-valued test over the answers: true, false or unknown.

    Exactly one of the forms is given. ``finding`` alone tests a boolean is true;
    with ``in`` a choice; with ``at_least``/``below`` a number. ``is_not`` is true
    when the answer is anything but the listed values, unknown included; on a
    boolean only ``is_not: [false]`` is allowed ("not answered no": true when the
    answer is yes or unknown), which a warning sign answered yes can only switch on.
    """

    finding: str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    is_not: list[str] | None = None
    at_least: float | None = None
    below: float | None = None
    all: list[Expr] | None = None
    any: list[Expr] | None = None
    not_: Expr | None = Field(default=None, alias="not")
    score: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @field_validator("in_", "is_not", mode="before")
    @classmethod
    def _yaml_booleans_are_value_names(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [str(x).lower() if isinstance(x, bool) else x for x in v]
        return v

    @model_validator(mode="after")
    def _one_form(self) -> Expr:
        forms = [self.finding, self.all, self.any, self.not_, self.score]
        if sum(f is not None for f in forms) != 1:
            raise ValueError("give exactly one of 'finding', 'all', 'any', 'not', 'score'")
        if (
            self.finding is None
            and self.score is None
            and (self.in_ or self.is_not or self.at_least is not None or self.below is not None)
        ):
            raise ValueError("'in', 'is_not', 'at_least', 'below' go with 'finding' or 'score'")
        return self

    def findings(self) -> set[str]:
        out: set[str] = {self.finding} if self.finding else set()
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            out |= sub.findings()
        return out

    def scores(self) -> set[str]:
        out: set[str] = {self.score} if self.score else set()
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            out |= sub.scores()
        return out


class TriageRule(Sourced):
    """A rule that sets a minimum triage level.

    ``red_flag`` rules are warning signs, reported in the result's ``red_flags``;
    ``review`` rules are reasons to see a doctor that are not alarming (a medicine
    that may be the cause, pain that has lasted for months).
    """

    id: str
    kind: Literal["red_flag", "review"]
    level: TriageLevel
    suspect: str | None = None
    message: str
    action: str
    when: Expr


# --- clinical scores -------------------------------------------------------------


class ScoreItem(Strict):
    id: str
    text: str
    points: float
    when: Expr | None = None
    not_assessable: str | None = None

    @model_validator(mode="after")
    def _either(self) -> ScoreItem:
        if (self.when is None) == (self.not_assessable is None):
            raise ValueError(
                "give 'when' or, for an item self-report cannot answer, 'not_assessable'"
            )
        return self


class ScoreBand(Strict):
    at_least: float
    label: str


class Score(Sourced):
    id: str
    name: str
    kind: Literal["points", "all_criteria"]
    supports: str | None = None
    items: list[ScoreItem]
    bands: list[ScoreBand] = []
    note: str | None = None


# --- advice ------------------------------------------------------------------------

AdviceKind = Literal["tonight", "watch_for", "tests", "ask_doctor"]


class Advice(Sourced):
    id: str
    kind: AdviceKind
    text: str
    conditions: list[str]
    avoid_if_possible: list[str] = []
    tags: list[str] = []
    # For whom the item is meant: it is left out when this is false for the answers
    # (unknown keeps it), e.g. a statin warning not for a pregnant woman.
    shown_if: Expr | None = None
    # The warning signs a watch_for item tells the person to look out for: once the
    # person has reported one, "get help sooner if" it appears says nothing new.
    warns_of: list[str] = []


class EmergencyStep(Sourced):
    """What to do while waiting for the ambulance or on the way to an emergency
    department, for the causes a warning sign suspects (``any``: every emergency)."""

    id: str
    text: str
    suspects: list[str]


class NeverAdvise(Sourced):
    tag: str
    reason: str


class Contraindication(Sourced):
    """Advice with this tag is withheld while any of these conditions is possible."""

    tag: str
    avoid_if_possible: list[str]
    reason: str


class Policy(Strict):
    """Thresholds that are not a property of one condition."""

    possible_threshold: Probability
    possible_threshold_source: Sourced
    contributor_threshold: Probability
    contributor_threshold_source: Sourced
    leak_prior: Prior
    # How "another cause" (the leak) differs from the base rates, for the
    # non-specific signs that point away from every modelled cause.
    leak_likelihoods: list[Likelihood] = []
    never_advise: list[NeverAdvise]
    contraindications: list[Contraindication]
    disclaimer: str


class Screen(Strict):
    """A grouped yes/no warning-sign question ("Do any of these apply to you now?")."""

    id: str
    text: str
    why: str
    items: list[str]
    # The emergency screen: asked before anything else, even age; a sign in it
    # answered "don't know" is asked once more, in plainer words (again_text).
    emergency: bool = False
    again_text: str | None = None


class Checklist(Strict):
    """A grouped yes/no question about ordinary (non-warning) findings, asked as one
    question ("Which of these describe your pain?") when it is worth more than any
    single question."""

    id: str
    text: str
    why: str
    item_text: Literal["label", "question"] = "label"
    items: list[str] = Field(min_length=2, max_length=10)


class InterviewConfig(Strict):
    screens: list[Screen]
    checklists: list[Checklist] = []
    why_by_group: dict[str, str]


# --- who the answers are about (respondent.yaml) ------------------------------------


class Respondent(Strict):
    """Who the person answering is answering for: themselves, their child, someone else."""

    id: Literal["self", "child", "other"]
    label: str  # the choice as shown ("My child")
    who: str | None = None  # the subject that replaces "you" ("your child")
    whose: str | None = None  # the possessive that replaces the first "your" ("your child's")
    # From this age the wording of ``adult_as`` is used instead ("my child" who is 30).
    until_age: float | None = None
    adult_as: str | None = None


class Rewrite(Strict):
    """One step of rewording a question for someone other than the person answering.

    ``find`` is a regex, ``replace`` its replacement with ``{who}`` and ``{whose}``
    from the respondent. With ``first``, it is applied only while the text does not
    yet name the person, and only once (the subject is named once; later "you" and
    "your" become "they" and "their")."""

    find: str
    replace: str
    first: bool = False

    @field_validator("find")
    @classmethod
    def _compiles(cls, v: str) -> str:
        import re

        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"not a valid regex: {exc}") from None
        return v


class RespondentWording(Strict):
    respondents: list[Respondent] = []
    rewrites: list[Rewrite] = []
    # question id (finding, screen or checklist) -> respondent id -> the wording by hand
    questions: dict[str, dict[str, str]] = {}
    # Asked of someone under ``young_below`` years, a finding's question is this instead
    # (then reworded for the respondent): the pill, not HRT, for a 15-year-old.
    young_below: float = 18
    young_questions: dict[str, str] = {}
