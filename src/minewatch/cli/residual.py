"""``minewatch residual …``: residual hazard of remotely delivered mines.

Thin: the commands parse options into a design (:mod:`minewatch.analysis.residual.spec`), call
the analysis or :mod:`minewatch.services.residual`, and print a table, CSV or JSON. Times are
days since emplacement; durations accept ``h``/``d`` suffixes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    cli_workflow,
    language,
    opened,
    print_whole,
)
from minewatch.domain.cells import safe_record, safe_records
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    from minewatch.services import residual_answers as answers

residual_app = typer.Typer(
    help="Residual hazard of remotely delivered mines: live mines over time, CCW Amended "
    "Protocol II Technical Annex 3(a) compliance, learning from field finds.\n\n"
    "Example: minewatch residual run --mines 1000 --sd-fail beta:2,38 --sd-time uniform:4h,40h "
    "--sda-fail beta:1,99 --sda-time fixed:120d",
    no_args_is_help=True,
)
app.add_typer(residual_app, name="residual")
console = Console()


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class Method(StrEnum):
    AUTO = "auto"
    CLOSED = "closed"
    MONTE_CARLO = "monte_carlo"


Params = Annotated[
    Path | None,
    typer.Option("--params", "-p", help="TOML parameter file describing the design."),
]
Device = Annotated[
    str | None,
    typer.Option("--device", "-d", help="Catalogue device (fills sourced values only)."),
]
SdFail = Annotated[
    str | None, typer.Option("--sd-fail", help="SD failure belief: beta:A,B, mean:M,n:N or P.")
]
SdTime = Annotated[
    str | None, typer.Option("--sd-time", help="SD timing: fixed:T, uniform:T1,T2, …")
]
SdaFail = Annotated[str | None, typer.Option("--sda-fail", help="SDA failure belief (or 'none').")]
SdaTime = Annotated[str | None, typer.Option("--sda-time", help="SDA timing, e.g. fixed:120d.")]
NoSda = Annotated[bool, typer.Option("--no-sda", help="The mine has no self-deactivation.")]
Lots = Annotated[
    int | None, typer.Option("--lot-size", help="Mines per production lot (lot models).")
]
Icc = Annotated[
    float | None,
    typer.Option("--icc", help="Intra-lot correlation of failures (lot variation), 0–1."),
]
LotDefectOpt = Annotated[
    str | None, typer.Option("--lot-defect", help="Belief that a whole lot is defective.")
]
Config = Annotated[
    Path | None,
    typer.Option("--config", help="National configuration TOML (its [residual] table)."),
]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]


def _design(
    params: Path | None,
    device: str | None,
    sd_fail: str | None,
    sd_time: str | None,
    sda_fail: str | None,
    sda_time: str | None,
    no_sda: bool,
    lot_size: int | None,
    icc: float | None,
    lot_defect: str | None,
) -> tuple[answers.MineDesign, tuple[str, ...]]:
    from minewatch.services import residual_answers as answers

    return answers.design_from_spec(
        answers.DesignSpec(
            params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, lot_size, icc, lot_defect
        )
    )


#: Column headings of the table view (CSV and JSON keep the full field names).
SHORT_COLUMNS = {
    "expected_live": "E[live]",
    "expected_live_lower": "E lo",
    "expected_live_upper": "E hi",
    "prob_any_live": "P(any)",
    "prob_any_live_lower": "P lo",
    "prob_any_live_upper": "P hi",
    "live_count_lower": "count lo",
    "live_count_upper": "count hi",
}


def _emit(rows: Sequence[Mapping[Any, Any]], fmt: Format, title: str) -> None:
    if fmt is Format.JSON:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    columns = list(rows[0]) if rows else []
    if fmt is Format.CSV:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writerow(safe_record({c: c for c in columns}))
        writer.writerows(safe_records(rows))
        return
    table = Table(title=title)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*(f"{v:.6g}" if isinstance(v, float) else str(v) for v in r.values()))
    print_whole(table)


@residual_app.command("run")
def run(
    mines: Annotated[int, typer.Option("--mines", "-n", help="Activated mines in the strike.")],
    days: Annotated[
        str | None, typer.Option("--days", help="Times: START:STOP:STEP or a list, e.g. 1,30,120d.")
    ] = None,
    params: Params = None,
    device: Device = None,
    sd_fail: SdFail = None,
    sd_time: SdTime = None,
    sda_fail: SdaFail = None,
    sda_time: SdaTime = None,
    no_sda: NoSda = False,
    lot_size: Lots = None,
    icc: Icc = None,
    lot_defect: LotDefectOpt = None,
    method: Annotated[
        Method, typer.Option("--method", help="auto, closed or monte_carlo.")
    ] = Method.AUTO,
    level: Annotated[float | None, typer.Option("--level", help="Credible level.")] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="P(any live) threshold.")
    ] = None,
    draws: Annotated[int | None, typer.Option("--draws", help="Monte Carlo draws.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    config: Config = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write the chart (.png or .html).")
    ] = None,
    fmt: Fmt = Format.TABLE,
) -> None:
    """Live mines over time with credible intervals, and when P(any live) falls below the
    threshold.

    Example: minewatch residual run -n 1000 --sd-fail beta:2,38 --sd-time uniform:4h,40h
    --sda-fail beta:1,99 --sda-time fixed:120d --days 0:180:5 --plot decay.png
    """
    import numpy as np

    from minewatch.services import residual_answers as answers

    design, notes = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, lot_size, icc, lot_defect
    )
    settings = answers.settings_with(config, level, threshold, draws, seed)
    times = answers.parse_times(days) if days else np.linspace(0, settings.curve_days, 61)
    answer = answers.decay(mines, design, times, settings, method.value)
    curve = answer.curve
    frame = curve.to_frame()
    if fmt is Format.TABLE:
        frame = frame.rename(columns=SHORT_COLUMNS)
    _emit(frame.to_dict(orient="records"), fmt, f"{design.name or 'design'} — {curve.method}")
    if fmt is Format.TABLE:
        console.print(design.describe())
        for note in notes:
            console.print(f"note: {note}")
        found = answer.below
        console.print(
            f"P(at least one live mine) < {found.threshold:g}: after {found.days:.4g} days "
            f"({found.level:.0%} credible {found.lower:.4g}–{found.upper:.4g}; {answer.never})"
        )
    if plot is not None:
        from minewatch.charts.residual import write_decay_chart  # matplotlib: only to draw

        write_decay_chart(curve, plot, threshold=settings.any_live_threshold, locale=language())
        if fmt is Format.TABLE:
            console.print(f"chart written to {plot}")


@residual_app.command("plot")
def plot_cmd(
    mines: Annotated[int, typer.Option("--mines", "-n", help="Activated mines in the strike.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Chart file (.png or .html).")],
    days: Annotated[str | None, typer.Option("--days", help="Times, e.g. 0:180:2.")] = None,
    params: Params = None,
    device: Device = None,
    sd_fail: SdFail = None,
    sd_time: SdTime = None,
    sda_fail: SdaFail = None,
    sda_time: SdaTime = None,
    no_sda: NoSda = False,
    lot_size: Lots = None,
    icc: Icc = None,
    lot_defect: LotDefectOpt = None,
    config: Config = None,
) -> None:
    """Draw the decay curves with their intervals as PNG or self-contained HTML.

    Example: minewatch residual plot -n 500 --sd-fail beta:2,38 --sd-time uniform:4h,40h
    --no-sda -o decay.html
    """
    import numpy as np

    from minewatch.charts.residual import write_decay_chart  # matplotlib: only to draw
    from minewatch.services import residual_answers as answers

    design, _ = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, lot_size, icc, lot_defect
    )
    settings = answers.load_settings(config)
    times = answers.parse_times(days) if days else np.linspace(0, settings.curve_days, 121)
    curve = answers.decay_curve_of(mines, design, times, settings)
    write_decay_chart(
        curve, output, threshold=settings.any_live_threshold, title=design.name, locale=language()
    )
    typer.echo(f"chart written to {output}")


@residual_app.command("check")
def check(
    params: Params = None,
    device: Device = None,
    sd_fail: SdFail = None,
    sd_time: SdTime = None,
    sda_fail: SdaFail = None,
    sda_time: SdaTime = None,
    no_sda: NoSda = False,
    rate: Annotated[
        float | None,
        typer.Option("--rate", help="Only compare this failure rate with a clause's ceiling."),
    ] = None,
    clause: Annotated[
        str, typer.Option("--clause", help="self_destruct (10% by day 30) or combined (1/1000).")
    ] = "self_destruct",
    fmt: Fmt = Format.TABLE,
) -> None:
    """Check a design (or a failure rate) against CCW Amended Protocol II, Technical Annex 3(a).

    Example: minewatch residual check --sd-fail 0.1 --sd-time fixed:40h --sda-fail 0.01
    --sda-time fixed:100d
    """
    from minewatch.services import residual_answers as answers

    if rate is not None:
        text, rows = answers.check_rate(rate, clause)
    else:
        design, _ = _design(
            params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
        )
        text, rows = answers.check_design(design)
    if fmt is Format.TABLE:
        typer.echo(text)
        return
    _emit(rows, fmt, "Technical Annex 3(a)")


@residual_app.command("update")
def update(
    live: Annotated[int, typer.Option("--live", help="Mines found live.")] = 0,
    inert: Annotated[
        int, typer.Option("--inert", help="Mines found inert (self-deactivated).")
    ] = 0,
    self_destructed: Annotated[
        int | None, typer.Option("--self-destructed", help="Mines found self-destructed.")
    ] = None,
    delivered: Annotated[
        int | None,
        typer.Option("--delivered", help="Mines delivered: the rest count as self-destructed."),
    ] = None,
    days_after: Annotated[
        float | None, typer.Option("--days-after", help="Clearance time, days after the strike.")
    ] = None,
    predict: Annotated[
        int | None, typer.Option("--predict", help="Predict another strike of this many mines.")
    ] = None,
    params: Params = None,
    device: Device = None,
    sd_fail: SdFail = None,
    sd_time: SdTime = None,
    sda_fail: SdaFail = None,
    sda_time: SdaTime = None,
    no_sda: NoSda = False,
    fmt: Fmt = Format.TABLE,
) -> None:
    """Update the failure beliefs with what clearance found, and predict another strike.

    Example: minewatch residual update --sd-fail beta:1,1 --sd-time uniform:4h,40h
    --sda-fail beta:1,1 --sda-time fixed:120d --live 2 --inert 8 --self-destructed 90
    --predict 500
    """
    from minewatch.services import residual_answers as answers

    design, _ = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
    )
    row, notes = answers.update_answer(
        design,
        live=live,
        inert=inert,
        self_destructed=self_destructed,
        delivered=delivered,
        days_after=days_after,
        predict=predict,
    )
    if fmt is Format.TABLE:
        for key, value in row.items():
            typer.echo(f"{key}: {value:.6g}" if isinstance(value, float) else f"{key}: {value}")
        for note in notes:
            typer.echo(f"note: {note}")
        return
    _emit([row | {"notes": "; ".join(notes)}], fmt, "posterior")


@residual_app.command("devices")
def devices(fmt: Fmt = Format.TABLE) -> None:
    """List the device catalogue: sourced values only, blanks are user inputs.

    Example: minewatch residual devices -f csv
    """
    from minewatch.services import residual_answers as answers

    rows = answers.device_rows()
    _emit(rows, fmt, "Remotely delivered mines (blank = no public source: user input)")


@residual_app.command("strike")
def strike_cmd(
    strike: Annotated[str, typer.Argument(help="Strike code, e.g. STR-000001.")],
    as_of: Annotated[str, typer.Option("--as-of", help="Assessment date/time (ISO 8601).")],
    store: StoreOption = DEFAULT_STORE,
    params: Params = None,
    device: Device = None,
    sd_fail: SdFail = None,
    sd_time: SdTime = None,
    sda_fail: SdaFail = None,
    sda_time: SdaTime = None,
    no_sda: NoSda = False,
    config: Config = None,
    draft_only: Annotated[
        bool, typer.Option("--draft", help="Leave the reports as drafts.")
    ] = False,
) -> None:
    """Put a stored strike's residual risk on its suspected hazardous area, through reports.

    Example: minewatch residual strike STR-000001 --as-of 2024-06-01 --device PFM-1S
    --sd-fail beta:2,38 --no-sda -s programme.gpkg
    """
    from minewatch.services import residual_answers as answers
    from minewatch.services.residual import record_strike_hazard

    try:
        when = datetime.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput(
            "--as-of must be a date or date-time, not {text!r}", text=as_of
        ) from None
    design, notes = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
    )
    with opened(store) as ctx:
        recorded = record_strike_hazard(
            cli_workflow(ctx),
            strike,
            design,
            as_of=when,
            settings=answers.load_settings(config),
            submit=not draft_only,
        )
    verb = "creates" if recorded.created else "updates"
    typer.echo(
        f"report {recorded.area_report.code} ({recorded.area_report.state}) {verb} "
        f"{recorded.area_report.item_code}: {recorded.risk.describe()}"
    )
    for note in notes:
        typer.echo(f"note: {note}")
