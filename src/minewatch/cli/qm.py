"""Quality-management commands: sampling plans, accept-on-zero, zero-find bounds, classification.

Percentages on the command line (``--clean 99 --confidence 95``) become fractions for
the analysis functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    FormatOption,
    NationalConfigOption,
    configuration,
    emit,
    language,
    parse_date,
    parse_floats,
    say,
)
from minewatch.domain.records import Evidence
from minewatch.errors import InvalidInput, Location

qm = typer.Typer(
    help="Quality management: ISO 2859-1 sampling plans, accept-on-zero sample sizes, "
    "zero-find bounds and evidence-based SHA/CHA classification.",
    no_args_is_help=True,
)
app.add_typer(qm, name="qm")

ConfidenceOption = Annotated[
    float, typer.Option(help="Confidence in percent, e.g. 95.", min=0.0, max=100.0)
]


def _percent(value: float, option: str, *, allow_ends: bool = False) -> float:
    ok = 0 <= value <= 100 if allow_ends else 0 < value < 100
    if not ok:
        raise InvalidInput(
            "{option} must be a percentage strictly between 0 and 100", option=option
        )
    return value / 100.0


def _emit_one(result: dict[str, Any], fmt: str, title: str) -> None:
    """One result: a field/value table for people, one JSON object or CSV row for machines."""
    if fmt == "table":
        emit([{"field": k, "value": v} for k, v in result.items()], fmt, ["field", "value"], title)
    else:
        emit([result], fmt)


@qm.command("sample-plan")
def sample_plan(
    lot_size: Annotated[int, typer.Option(help="Units in the lot (e.g. search units).")],
    aql: Annotated[float, typer.Option(help="AQL in percent, a preferred value, e.g. 1.0.")],
    level: Annotated[str, typer.Option(help="S-1, S-2, S-3, S-4, I, II or III.")] = "II",
    severity: Annotated[str, typer.Option(help="normal, tightened or reduced.")] = "normal",
    standard: Annotated[str, typer.Option(help="iso2859-1 or mil-std-105e.")] = "iso2859-1",
    oc: Annotated[
        str | None,
        typer.Option(help="Percent nonconforming, e.g. 1,5: add P(accept) for lots that bad."),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """ISO 2859-1 single sampling plan: code letter, sample size, Ac and Re.

    Example:

      minewatch qm sample-plan --lot-size 1200 --level II --aql 1.0 --severity tightened --oc 1,5
    """
    from minewatch.services import qm as service

    plan = service.sampling_plan(lot_size, level, aql, severity, standard)
    row = service.sampling_plan_answer(plan)
    if oc:
        qualities = parse_floats(oc, len(oc.split(",")), "--oc") or ()
        for q, p in zip(qualities, service.acceptance_at(plan, qualities), strict=True):
            row[f"p_accept_at_{q:g}_percent"] = round(p, 4)
    _emit_one(row, fmt, say("Single sampling plan"))


@qm.command("oc-curve")
def oc_curve(
    lot_size: Annotated[int, typer.Option(help="Units in the lot.")],
    aql: Annotated[float, typer.Option(help="AQL in percent.")],
    level: Annotated[str, typer.Option(help="Inspection level.")] = "II",
    standard: Annotated[str, typer.Option(help="iso2859-1 or mil-std-105e.")] = "iso2859-1",
    png: Annotated[Path | None, typer.Option(help="Write the chart as PNG here.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write an interactive HTML page here.")] = None,
    max_percent: Annotated[
        float | None, typer.Option(help="Right end of the x axis, % nonconforming.")
    ] = None,
) -> None:
    """Chart the OC curves of the normal, tightened and reduced plans for a lot.

    Example:

      minewatch qm oc-curve --lot-size 1200 --aql 1.0 --png oc.png --html oc.html
    """
    from minewatch.charts import qm as qm_charts
    from minewatch.services import qm as service

    if png is None and html is None:
        raise InvalidInput("give --png and/or --html")
    plans = service.severity_plans(lot_size, level, aql, standard)
    curves = service.oc_curves(plans, max_percent)
    from minewatch.vocabulary import translate
    from minewatch.vocabulary.formats import format_number

    lang = language()
    title = translate(
        "OC curves: lot of {count} units, level {level}, AQL {aql} %",
        lang,
        count=format_number(lot_size, lang, 0),
        level=level,
        aql=format_number(aql, lang, 3),
    )
    if png is not None:
        typer.echo(f"wrote {qm_charts.oc_png(curves, png, title, lang)}")
    if html is not None:
        figure = qm_charts.oc_figure(curves, title, lang)
        typer.echo(f"wrote {qm_charts.write_html(figure, html)}")


@qm.command("switching")
def switching(
    lot_size: Annotated[int, typer.Option(help="Units per lot (fixes the code letter).")],
    aql: Annotated[float, typer.Option(help="AQL in percent.")],
    counts: Annotated[str, typer.Option(help="Nonconforming counts of successive lots: 0,1,0,…")],
    level: Annotated[str, typer.Option(help="Inspection level.")] = "II",
    standard: Annotated[str, typer.Option(help="iso2859-1 or mil-std-105e.")] = "iso2859-1",
    fmt: FormatOption = "table",
) -> None:
    """Run the normal/tightened/reduced switching rules over a sequence of lots.

    Example:

      minewatch qm switching --lot-size 1200 --aql 1.0 --counts 0,3,0,4,0,0
    """
    from minewatch.services import qm as service

    try:
        lots = [int(c) for c in counts.split(",") if c.strip()]
    except ValueError:
        raise InvalidInput("--counts must be whole numbers separated by commas") from None
    rows = service.switching_answer(lot_size, aql, lots, level, standard)
    emit(rows, fmt, title=say("Switching rules (ISO 2859-1:1999 clause 9)"))


@qm.command("accept-on-zero")
def accept_on_zero(
    units: Annotated[int, typer.Option(help="N, search units in the lot.")],
    clean: Annotated[float, typer.Option(help="X, percent of units that must be clean.")],
    confidence: ConfidenceOption = 95.0,
    fmt: FormatOption = "table",
) -> None:
    """Smallest sample that, if all clean, gives the confidence that X % of units are clean.

    Example:

      minewatch qm accept-on-zero --units 400 --clean 99 --confidence 95
    """
    from minewatch.services import qm as service

    row = service.accept_on_zero_answer(
        units, _percent(clean, "--clean", allow_ends=True), _percent(confidence, "--confidence")
    )
    _emit_one(row, fmt, say("Accept-on-zero sample size (hypergeometric)"))


@qm.command("zero-find")
def zero_find_bounds(
    fraction: Annotated[float, typer.Option(help="f, fraction of the area searched (0–1).")],
    pod: Annotated[float, typer.Option(help="p, probability of detection (0–1).")],
    confidence: ConfidenceOption = 95.0,
    prior_shape: Annotated[
        float | None, typer.Option(help="Gamma prior shape a (with --prior-rate).")
    ] = None,
    prior_rate: Annotated[
        float | None, typer.Option(help="Gamma prior rate b; prior mean a/b items.")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Upper bounds on the items left after a search that found nothing.

    Items left = items in the unsearched part + items missed in the searched part.

    Example:

      minewatch qm zero-find --fraction 0.1 --pod 0.9 --confidence 95 --prior-shape 1 --prior-rate 0.5
    """
    from minewatch.services import qm as service

    y = _percent(confidence, "--confidence")
    rows = service.zero_find_answer(fraction, pod, y, prior_shape, prior_rate)
    if fmt == "table":
        rows = [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
        columns = ["model", "detection_per_item", "items_left_upper", "unsearched_upper",
                   "missed_in_searched_upper"]  # fmt: skip
        title = say("Zero-find bounds at {confidence} % (details: --format json)",
                    confidence=f"{confidence:g}")  # fmt: skip
        emit(rows, fmt, columns, title)
    else:
        emit(rows, fmt)


@qm.command("classify")
def classify(
    evidence: Annotated[
        str | None,
        typer.Option(help='JSON list: [{"type": "eo_seen", "source": "told"}, …]'),
    ] = None,
    evidence_file: Annotated[
        Path | None, typer.Option(help="File holding the JSON evidence list.")
    ] = None,
    config: NationalConfigOption = None,
    informants: Annotated[
        int | None, typer.Option(help="Informants interviewed: also test all reasonable effort.")
    ] = None,
    site_visited: Annotated[bool, typer.Option(help="A team visited the site.")] = False,
    records_checked: Annotated[bool, typer.Option(help="Records were checked.")] = False,
    survey_date: Annotated[str | None, typer.Option(help="Survey date, YYYY-MM-DD.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Suggest SHA or CHA from an evidence list, weighted by the national configuration.

    Example:

      minewatch qm classify --evidence '[{"type":"eo_seen","source":"told"},{"type":"marking","source":"seen"}]'
    """
    from minewatch.services import qm as service

    items = _parse_evidence(evidence, evidence_file)
    effort = None
    if informants is not None:
        effort = service.SurveyEffort(
            informants, site_visited, records_checked, parse_date(survey_date, "--survey-date")
        )
    result = service.classify(items, configuration(config).national, effort)
    _emit_one(result, fmt, say("Evidence-based classification"))


@qm.command("classify-table")
def classify_table(
    csv_path: Annotated[Path, typer.Argument(help="CSV with columns area, type, source.")],
    config: NationalConfigOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Suggest SHA or CHA for every area of an evidence table (one row per indicator).

    Example:

      minewatch qm classify-table evidence.csv --format csv > suggestions.csv
    """
    import pandas as pd

    from minewatch.services import qm as service

    if not csv_path.is_file():
        raise InvalidInput("evidence table not found", Location(file=str(csv_path)))
    table = pd.read_csv(csv_path, dtype=str)
    rows = service.classify_table(table, str(csv_path), configuration(config).national)
    emit(rows, fmt, title=say("Evidence-based classification"))


def _parse_evidence(text: str | None, file: Path | None) -> list[Evidence]:
    from minewatch.services import qm as service

    if (text is None) == (file is None):
        raise InvalidInput("give exactly one of --evidence or --evidence-file")
    source = "--evidence"
    if file is not None:
        if not file.is_file():
            raise InvalidInput("evidence file not found", Location(file=str(file)))
        text, source = file.read_text(encoding="utf-8"), str(file)
    try:
        raw = json.loads(text or "")
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "not valid JSON: {reason}", Location(file=source), reason=str(exc)
        ) from None
    return service.parse_evidence(raw, source)
