"""The ``legpain`` command."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from legpain.cli._text import register as register_text
from legpain.web._serve import serve

# The engine, the knowledge base, the parser and the web stack load inside the commands
# that use them, so that `legpain --help` (and a command's own --help) starts at once.
if TYPE_CHECKING:
    from legpain.cases import Case
    from legpain.engine import Assessment
    from legpain.simulation import SimulationReport

# Plain Click help and errors (rich_markup_mode=None): Typer's Rich help loads
# rich.markdown and markdown-it, about 0.14 s of every `legpain --help`.
app = typer.Typer(
    help="legpain: why do my legs hurt when I lie down? Possible causes, urgency and safe advice.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
kb_app = typer.Typer(help="The knowledge base.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(kb_app, name="kb")
register_text(app)
app.command()(serve)


# The variables legpain.engine._threads.limit_blas_threads sets (a test keeps the two
# lists the same). Not imported from there: that would load the engine package, numpy
# with it, before every command, even before a command's own --help.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@app.callback()
def _before_any_command() -> None:
    # One BLAS thread, as limit_blas_threads gives: its environment variables, set before
    # numpy loads (no command has loaded it yet) and inherited by server workers; a
    # count the user set is kept. `serve` also calls limit_blas_threads itself.
    for var in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(var, "1")


def _started() -> None:
    """The command has loaded what it keeps (modules, knowledge base, engine): the
    garbage collector leaves those alone from here (see legpain._startup)."""
    from legpain import _startup

    _startup.done()


def _fhir_case(path: Path) -> Case | None:
    """A FHIR QuestionnaireResponse (or a legpain Bundle) file as a case; None if the
    file is not FHIR. CaseFileError, naming the file, if it is FHIR but unusable."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    # fhir.resources loads only for a JSON file.
    from legpain.cases import CaseFileError, parse_case
    from legpain.engine import default_engine
    from legpain.export.questionnaire import (
        NotAQuestionnaireResponse,
        from_questionnaire_response,
        is_fhir_document,
    )

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # load_cases reports it
    if not is_fhir_document(raw):
        return None
    try:
        answers, case_id = from_questionnaire_response(raw)
    except NotAQuestionnaireResponse as exc:
        raise CaseFileError(str(path), [str(exc)]) from None
    raw_case = {"answers": answers, **({"id": case_id} if case_id else {})}
    return parse_case(raw_case, default_engine().kb, str(path), str(path))


def _load_all(paths: list[Path]) -> tuple[list[Case], int]:
    """Every readable case; each bad file reported, none stopping the batch."""
    from legpain.cases import CaseFileError, load_cases
    from legpain.cli._console import fail

    cases: list[Case] = []
    bad = 0
    for p in paths:
        try:
            if (fhir_case := _fhir_case(p)) is not None:
                cases.append(fhir_case)
                continue
            cases.extend(load_cases(p))
        except CaseFileError as exc:
            bad += 1
            for line in str(exc).splitlines():
                fail(line)
    return cases, bad


@app.command()
def assess(
    cases: Annotated[
        list[Path] | None, typer.Argument(help="Case files (YAML or JSON), or folders of them.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines, one result per case.")
    ] = False,
    text: Annotated[
        str | None, typer.Option("--text", help="Describe it in your own words instead.")
    ] = None,
    fhir: Annotated[
        bool,
        typer.Option(
            "--fhir",
            help="Print a FHIR R4B Bundle for a health record (JSON Lines for several cases).",
        ),
    ] = False,
) -> None:
    """Assess one or more cases: possible causes, how soon to get help, and advice.

    A case file may also be a FHIR QuestionnaireResponse of legpain's Questionnaire
    (or a Bundle that legpain exported)."""
    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.cli._render import render
    from legpain.cli._text import assess_text
    from legpain.engine import CaseError, default_engine

    if text is not None and fhir:
        # Only the answers read from the text are exported, never the text itself.
        from legpain.text import parse

        engine = default_engine()
        _started()
        return _print_bundles([engine.assess(parse(text).answers, "text")])
    if text is not None:
        return assess_text(text, as_json)
    if not cases:
        fail("give one or more case files or folders, or --text 'what you feel'")
        raise typer.Exit(EXIT_BAD_INPUT)
    loaded, bad = _load_all(cases)
    engine = default_engine()
    _started()
    results = []
    for case in loaded:
        try:
            result = engine.assess(case.answers, case.id)
        except CaseError as exc:  # pragma: no cover - answers were validated on load
            bad += 1
            fail(f"{case.path}: {exc}")
            continue
        if fhir:
            results.append(result)
        elif as_json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            render(result, out)
    if results:
        _print_bundles(results)
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)


def _print_bundles(results: list[Assessment]) -> None:
    """One Bundle, pretty; several, one per line. Canonical URLs from
    LEGPAIN_PUBLIC_BASE_URL."""
    from legpain.export.fhir import build_bundle

    bundles = [build_bundle(r) for r in results]
    indent = 2 if len(bundles) == 1 else None
    for b in bundles:
        sys.stdout.write(json.dumps(b, ensure_ascii=False, indent=indent) + "\n")


@app.command()
def explain(
    condition: Annotated[str, typer.Argument(help="A condition id (see `legpain vocabulary`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON.")] = False,
) -> None:
    """A condition from the library: what it is, what points to it, what helps tonight,
    when to get help, tests and questions for the doctor, and its sources."""
    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.cli._library import print_condition
    from legpain.engine import default_engine
    from legpain.library import condition_page

    kb = default_engine().kb
    _started()
    if condition not in kb.conditions:
        fail(f"unknown condition {condition!r}; one of: {', '.join(sorted(kb.conditions))}")
        raise typer.Exit(EXIT_BAD_INPUT)
    page = condition_page(condition, kb)
    if as_json:
        sys.stdout.write(json.dumps(page.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_condition(page, out)


@app.command()
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="Vignette files or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    from_text: Annotated[
        bool,
        typer.Option("--text", help="Use only each vignette's narrative (parse, then assess)."),
    ] = False,
) -> None:
    """Score the engine on vignettes: accuracy, triage safety, calibration, misses."""
    from rich.progress import track

    from legpain.cli._console import EXIT_BAD_INPUT, err
    from legpain.cli._text import narrative_answers
    from legpain.engine import default_engine
    from legpain.evaluation import evaluate_cases

    loaded, bad = _load_all(paths)
    engine = default_engine()
    _started()
    vignettes = [c for c in loaded if c.expected is not None]
    progress = track(
        vignettes, description="Assessing", console=err, disable=as_json or len(vignettes) < 200
    )
    report = evaluate_cases(
        progress,
        lambda c: engine.assess(narrative_answers(c) if from_text else c.answers, c.id),
    )
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        _print_report(report.to_dict())
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)


def _print_report(d: dict[str, object]) -> None:
    from rich.table import Table

    from legpain.cli._console import out

    t = Table(title="Evaluation")
    t.add_column("metric")
    t.add_column("value", justify="right")
    for key in (
        "n",
        "top1",
        "top3",
        "triage_exact",
        "under_triage",
        "over_triage",
        "contributor_recall",
        "brier",
    ):
        v = d[key]
        t.add_row(key, f"{v:.3f}" if isinstance(v, float) else str(v))
    serious = d["serious_under_triaged"]
    t.add_row("emergency/urgent triaged too low", ", ".join(serious) if serious else "none")  # type: ignore[arg-type]
    out.print(t)
    conf = Table(title="Confusion (expected → ranked first)")
    conf.add_column("expected")
    conf.add_column("ranked first")
    for exp, row in d["confusion"].items():  # type: ignore[attr-defined]
        conf.add_row(
            exp, ", ".join(f"{k} ×{n}" for k, n in sorted(row.items(), key=lambda kv: -kv[1]))
        )
    out.print(conf)
    misses = Table(title="Misses")
    for col in ("id", "expected", "ranked top 3", "triage (expected → got)"):
        misses.add_column(col)
    for m in d["misses"]:  # type: ignore[attr-defined]
        misses.add_row(
            m["id"],
            m["expected"],
            ", ".join(m["ranked"]),
            f"{m['expected_triage']} → {m['triage']}",
        )
    out.print(misses)


@app.command()
def interview(
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="A case file whose answers pre-fill the interview."),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Write the answers and the result to this case file."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="Start from a description in your own words."),
    ] = None,
    respondent: Annotated[
        str,
        typer.Option(
            "--for",
            help="Who the answers are about: self, child or other (questions are worded for them).",
        ),
    ] = "self",
) -> None:
    """Answer questions one at a time; get possible causes, urgency and advice."""
    from legpain.cases import write_case
    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.cli._interview import run_interview
    from legpain.cli._render import render
    from legpain.cli._text import print_understood
    from legpain.engine import default_engine
    from legpain.interview import RESPONDENTS, Interview
    from legpain.text import parse

    if respondent not in RESPONDENTS:
        fail(f"--for {respondent}: expected one of {', '.join(RESPONDENTS)}")
        raise typer.Exit(EXIT_BAD_INPUT)
    initial: dict[str, object] = {}
    suggested: dict[str, object] = {}
    if answers is not None:
        loaded, bad = _load_all([answers])
        if bad or not loaded:
            if not bad:
                fail(f"{answers}: no case in this file")
            raise typer.Exit(EXIT_BAD_INPUT)
        initial = dict(loaded[0].answers)
    if save is not None and save.suffix.lower() not in (".yaml", ".yml", ".json"):
        fail(f"--save {save}: expected a file name ending in .yaml, .yml or .json")
        raise typer.Exit(EXIT_BAD_INPUT)
    if text is not None:
        parsed = parse(text)
        print_understood(parsed, out)
        # A case file's answers win over what was read from the text.
        initial = {**parsed.prefill(), **initial}
        # Unsure readings are asked, with the reading shown as the likely answer.
        suggested = {f: v for f, v in parsed.suggested().items() if f not in initial}
    session = Interview(
        answers=initial, engine=default_engine(), respondent=respondent, suggested=suggested
    )
    _started()
    finished = run_interview(session, out, lambda prompt: out.input(prompt))
    result = session.result()
    if finished:
        out.print()
        render(result, out)
    else:
        out.print("Stopped. Nothing was sent anywhere.")
    if save is not None:
        write_case(save, session.known, result.to_dict() if finished else None)
        out.print(f"Saved to {save}.")


@app.command()
def simulate(
    paths: Annotated[list[Path], typer.Argument(help="Vignette files or folders.")],
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw accuracy against questions asked to this PNG file."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    from_text: Annotated[
        bool,
        typer.Option("--text", help="Start each interview from the vignette's narrative."),
    ] = False,
) -> None:
    """Play vignettes through the interview (unmentioned answers are "don't know")."""
    from rich.progress import Progress

    from legpain.cli._console import EXIT_BAD_INPUT, err, out
    from legpain.cli._text import narrative_prefill
    from legpain.engine import default_engine
    from legpain.simulation import plot_curve, simulate_cases

    loaded, bad = _load_all(paths)
    engine = default_engine()
    _started()
    vignettes = [c for c in loaded if c.expected is not None]
    with Progress(console=err, transient=True, disable=as_json) as progress:
        task = progress.add_task("Interviewing", total=len(vignettes))
        report = simulate_cases(
            vignettes,
            engine,
            lambda _: progress.advance(task),
            prefill=narrative_prefill if from_text else None,
        )
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        _print_simulation(report)
    if plot is not None:
        plot_curve(report, str(plot))
        if not as_json:
            out.print(f"Plot written to {plot}.")
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)


def _print_simulation(report: SimulationReport) -> None:
    from rich.table import Table

    from legpain.cli._console import out

    cases = Table(title="Interviews")
    for col in ("id", "questions", "ranked top 3", "expected", "triage (expected → got)"):
        cases.add_column(col)
    for p in report.played:
        o = p.outcome
        mark = "✓" if o.top3 else "✗"
        cases.add_row(
            o.id,
            str(len(p.asked)),
            ", ".join(o.ranked[:3]),
            f"{mark} {o.expected}",
            f"{o.expected_triage} → {o.triage}",
        )
    out.print(cases)
    _print_report(report.interview.to_dict())
    full = report.all_answers.metrics()
    asked = report.interview.metrics()
    t = Table(title="Questions, and the engine given every answer")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for key in ("questions_mean", "questions_median", "questions_max"):
        t.add_row(key, f"{asked[key]:g}" if key in asked else "-")
    for key in ("top1", "top3", "triage_exact"):
        t.add_row(f"{key}, every answer given", f"{full[key]:.3f}")
    t.add_row("top3 gap (points)", f"{100 * (full['top3'] - asked['top3']):.1f}")
    out.print(t)


@app.command()
def vocabulary() -> None:
    """List the finding ids a case may answer, with their allowed values."""
    from rich.table import Table

    from legpain.cli._console import out
    from legpain.knowledge import load_knowledge

    kb = load_knowledge()
    _started()
    t = Table(title="Findings")
    for col in ("id", "values", "question"):
        t.add_column(col)
    for f in kb.findings.values():
        values = {
            "boolean": "true / false",
            "number": f"number ({f.unit or ''})".replace(" ()", ""),
        }
        t.add_row(f.id, " / ".join(f.choices) if f.choices else values[f.type], f.question)
    out.print(t)
    conditions = Table(title="Conditions")
    conditions.add_column("id")
    conditions.add_column("name")
    for c in kb.conditions.values():
        conditions.add_row(c.id, c.name)
    out.print(conditions)


@kb_app.command("check")
def kb_check() -> None:
    """Validate the knowledge base; name every bad field."""
    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.knowledge import KnowledgeError
    from legpain.knowledge._loader import load_knowledge_uncached
    from legpain.text import check_lexicons

    try:
        kb = load_knowledge_uncached()  # the YAML itself, not the parse cache
    except KnowledgeError as exc:
        for p in exc.problems:
            fail(p)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    _started()
    if lexicon_problems := check_lexicons(kb):
        for p in lexicon_problems:
            fail(p)
        raise typer.Exit(EXIT_BAD_INPUT)
    from legpain.library import check_groups

    if library_problems := check_groups(kb):  # library.yaml: every condition in one group
        for p in library_problems:
            fail(p)
        raise typer.Exit(EXIT_BAD_INPUT)
    n_numbers = sum(1 + len(c.likelihoods) + len(c.modifiers) for c in kb.conditions.values())
    out.print(
        f"Knowledge base OK: {len(kb.conditions)} conditions, {len(kb.findings)} findings, "
        f"{n_numbers} sourced condition numbers, {len(kb.triage_rules)} triage rules, "
        f"{len(kb.scores)} scores, {len(kb.advice)} advice items, {len(kb.sources)} sources."
    )


@kb_app.command("audit")
def kb_audit() -> None:
    """Per condition: numbers read from a source, judged numbers, and every judged
    likelihood ratio above 10 or below 1/10 (p / base; per value for choices)."""
    from rich.table import Table

    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.engine.audit import EXTREME_RATIO, audit
    from legpain.knowledge import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        for p in exc.problems:
            fail(p)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    _started()
    rows = audit(kb)
    summary = Table(title="Knowledge base audit: where the numbers come from")
    summary.add_column("condition")
    summary.add_column("with evidence", justify="right")
    summary.add_column("judged", justify="right")
    summary.add_column(f"judged LR > {EXTREME_RATIO:g} or < 1/{EXTREME_RATIO:g}", justify="right")
    for r in rows:
        summary.add_row(r.cause, str(r.evidence), str(r.judged), str(len(r.extreme_judged)))
    summary.add_row(
        "total",
        str(sum(r.evidence for r in rows)),
        str(sum(r.judged for r in rows)),
        str(sum(len(r.extreme_judged) for r in rows)),
        style="bold",
    )
    out.print(summary)
    extreme = Table(
        title=f"Judged likelihood ratios above {EXTREME_RATIO:g} or below 1/{EXTREME_RATIO:g}"
    )
    for col in ("condition", "finding", "value"):
        extreme.add_column(col)
    for col in ("p", "base", "LR"):
        extreme.add_column(col, justify="right")
    for r in rows:
        for x in r.extreme_judged:
            extreme.add_row(
                x.cause, x.finding, x.value, f"{x.p:g}", f"{x.base:g}", f"{x.ratio:.3g}"
            )
    out.print(extreme)


def _whole_summaries(*apps: typer.Typer) -> None:
    """List each command with the whole first paragraph of its help: plain Click help
    would cut it at about 45 characters ("...")."""
    import inspect

    for typer_app in apps:
        for info in typer_app.registered_commands:
            doc = info.help or (info.callback.__doc__ if info.callback else None)
            if info.short_help is None and doc:
                info.short_help = inspect.cleandoc(doc).split("\n\n", 1)[0]


_whole_summaries(app, kb_app)


def main() -> None:
    from legpain import _startup

    _startup.begin()  # until the command has loaded what it keeps (_started)
    app()


if __name__ == "__main__":
    main()
