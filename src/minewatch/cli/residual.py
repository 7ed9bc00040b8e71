"""``minewatch residual …``: residual hazard of remotely delivered mines.

Thin: the commands parse options into a design (:mod:`minewatch.analysis.residual.spec`), call
the analysis or :mod:`minewatch.services.residual`, and print a table, CSV or JSON. Times are
days since emplacement; durations accept ``h``/``d`` suffixes.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from minewatch.analysis.residual.closed_form import closed_form_curve, time_until_below
from minewatch.analysis.residual.curves import decay_curve
from minewatch.analysis.residual.design import (
    Correlation,
    Independent,
    Mechanism,
    MineDesign,
    Strike,
)
from minewatch.analysis.residual.law import annex_gap, check_annex_3a
from minewatch.analysis.residual.monte_carlo import simulate
from minewatch.analysis.residual.spec import (
    CorrelationSpec,
    ResidualSettings,
    correlation_from_spec,
    load_design,
    load_settings,
    parse_belief,
    parse_days,
    parse_mechanism,
    parse_timing,
)
from minewatch.analysis.residual.update import FieldFinds, predict_strike, update_from_finds
from minewatch.charts.residual import write_decay_chart
from minewatch.cli import app
from minewatch.cli.common import DEFAULT_STORE, StoreOption, cli_workflow, opened
from minewatch.domain.cells import safe_record, safe_records
from minewatch.errors import InvalidInput, Location
from minewatch.io.devices import device_catalogue
from minewatch.services.residual import design_for_device, record_strike_hazard

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
) -> tuple[MineDesign, tuple[str, ...]]:
    correlation: Correlation | None = None
    if lot_size is not None:
        kind: Literal["lot_variation", "lot_defect"] = (
            "lot_defect" if lot_defect else "lot_variation"
        )
        correlation = correlation_from_spec(
            CorrelationSpec(
                kind=kind,
                mines_per_lot=lot_size,
                icc_self_destruct=icc or 0.0,
                icc_self_deactivation=icc or 0.0,
                defect=lot_defect,
            )
        )
    if params is not None:
        design = load_design(params)
        if correlation is not None:
            design = MineDesign(
                design.self_destruct, design.self_deactivation, correlation, design.name
            )
        return design, ()
    if device is not None:
        where = Location(field="--sd-fail")
        return design_for_device(
            device,
            sd_failure=parse_belief(sd_fail, where) if sd_fail else None,
            sd_timing=parse_timing(sd_time, Location(field="--sd-time")) if sd_time else None,
            sda_failure=parse_belief(sda_fail, Location(field="--sda-fail")) if sda_fail else None,
            sda_timing=parse_timing(sda_time, Location(field="--sda-time")) if sda_time else None,
            no_self_deactivation=no_sda,
            correlation=correlation,
        )
    sd = parse_mechanism(sd_fail, sd_time, "self_destruct")
    if sd.is_absent:
        raise InvalidInput("give --params, --device, or --sd-fail with --sd-time")
    sda = Mechanism.absent() if no_sda else parse_mechanism(sda_fail, sda_time, "self_deactivation")
    if sda.is_absent and not no_sda and sda_fail is None:
        raise InvalidInput(
            "give --sda-fail and --sda-time, or --no-sda for a mine without self-deactivation"
        )
    return MineDesign(sd, sda, correlation or Independent()), ()


def _days(spec: str) -> np.ndarray:
    """``0:180:1`` (start:stop:step, stop included) or ``1,30,120`` (each ``h``/``d``)."""
    where = Location(field="--days")
    if ":" in spec:
        parts = [parse_days(p, where) for p in spec.split(":")]
        if len(parts) != 3 or parts[2] <= 0 or parts[1] < parts[0]:
            raise InvalidInput("--days takes START:STOP:STEP with STEP > 0", where)
        count = math.floor((parts[1] - parts[0]) / parts[2] + 1e-9) + 1
        if count > 100_000:
            raise InvalidInput("--days asks for more than 100,000 times", where)
        return parts[0] + parts[2] * np.arange(count)
    return np.array([parse_days(p, where) for p in spec.split(",") if p.strip()])


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
    console.print(table)


def _settings(
    config: Path | None,
    level: float | None,
    threshold: float | None,
    draws: int | None,
    seed: int | None,
) -> ResidualSettings:
    base = load_settings(config)
    updates = {
        k: v
        for k, v in {
            "credible_level": level,
            "any_live_threshold": threshold,
            "monte_carlo_draws": draws,
            "seed": seed,
        }.items()
        if v is not None
    }
    return ResidualSettings.model_validate(base.model_dump() | updates)


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
    design, notes = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, lot_size, icc, lot_defect
    )
    settings = _settings(config, level, threshold, draws, seed)
    times = _days(days) if days else np.linspace(0, settings.curve_days, 61)
    strike = Strike(mines, design)
    independent = isinstance(design.correlation, Independent)
    sim = None
    if method is Method.MONTE_CARLO or (method is Method.AUTO and not independent):
        sim = simulate(
            strike,
            times,
            draws=settings.monte_carlo_draws,
            seed=settings.seed,
            level=settings.credible_level,
        )
        curve = sim.curve
    else:
        curve = closed_form_curve(strike, times, settings.credible_level)
    frame = curve.to_frame()
    if fmt is Format.TABLE:
        frame = frame.rename(columns=SHORT_COLUMNS)
    _emit(frame.to_dict(orient="records"), fmt, f"{design.name or 'design'} — {curve.method}")
    if fmt is Format.TABLE:
        console.print(design.describe())
        for note in notes:
            console.print(f"note: {note}")
        if independent:
            found = time_until_below(strike, settings.any_live_threshold, settings.credible_level)
            never = "inf = never"
        else:
            assert sim is not None
            found = sim.time_until_below(settings.any_live_threshold)
            never = "on the simulated times; inf = not within them"
        console.print(
            f"P(at least one live mine) < {found.threshold:g}: after {found.days:.4g} days "
            f"({found.level:.0%} credible {found.lower:.4g}–{found.upper:.4g}; {never})"
        )
    if plot is not None:
        write_decay_chart(curve, plot, threshold=settings.any_live_threshold)
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
    design, _ = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, lot_size, icc, lot_defect
    )
    settings = load_settings(config)
    times = _days(days) if days else np.linspace(0, settings.curve_days, 121)
    curve = decay_curve(
        Strike(mines, design),
        times,
        settings.credible_level,
        draws=settings.monte_carlo_draws,
        seed=settings.seed,
    )
    write_decay_chart(curve, output, threshold=settings.any_live_threshold, title=design.name)
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
    if rate is not None:
        gap = annex_gap(rate, clause)  # type: ignore[arg-type]
        gap_rows = [
            {
                "clause": gap.clause,
                "rate": float(gap.rate),
                "ceiling": float(gap.ceiling),
                "complies": gap.complies,
                "margin": gap.margin,
                "ratio": gap.ratio,
            }
        ]
        if fmt is Format.TABLE:
            typer.echo(gap.describe())
        else:
            _emit(gap_rows, fmt, "Technical Annex 3(a)")
        return
    design, _ = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
    )
    report = check_annex_3a(design)
    if fmt is Format.TABLE:
        typer.echo(report.describe())
        return
    rows: list[dict[str, Any]] = [
        {
            "clause": c.rule.clause,
            "days": c.rule.days,
            "value": c.value,
            "exact": str(c.exact),
            "ceiling": float(c.rule.ceiling),
            "complies": c.compliant,
            "margin": c.gap.margin,
            "probability_compliant": c.probability_compliant,
        }
        for c in (report.self_destruct, report.combined)
    ]
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
    design, _ = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
    )
    if delivered is not None:
        finds = FieldFinds.from_clearance(delivered, live, inert, days_after)
    else:
        finds = FieldFinds(live, self_destructed or 0, inert, days_after)
    result = update_from_finds(design, finds)
    post = result.design
    row: dict[str, Any] = {
        "self_destruct_prior": design.self_destruct.failure.describe(),
        "self_destruct_posterior": post.self_destruct.failure.describe(),
        "self_deactivation_prior": design.self_deactivation.failure.describe(),
        "self_deactivation_posterior": post.self_deactivation.failure.describe(),
    }
    if predict is not None:
        outlook = predict_strike(post, predict)
        lo, hi = outlook.live_interval()
        row |= {
            "predict_mines": predict,
            "predict_expected_live": outlook.expected_live,
            "predict_live_95": f"{lo}–{hi}",
            "predict_prob_any_live": outlook.prob_any_live,
        }
    if fmt is Format.TABLE:
        for key, value in row.items():
            typer.echo(f"{key}: {value:.6g}" if isinstance(value, float) else f"{key}: {value}")
        for note in result.notes:
            typer.echo(f"note: {note}")
        return
    _emit([row | {"notes": "; ".join(result.notes)}], fmt, "posterior")


@residual_app.command("devices")
def devices(fmt: Fmt = Format.TABLE) -> None:
    """List the device catalogue: sourced values only, blanks are user inputs.

    Example: minewatch residual devices -f csv
    """
    rows = [
        {
            "model": e.model,
            "sd_time_hours": ""
            if e.sd_time_min_hours is None
            else f"{e.sd_time_min_hours:g}–{e.sd_time_max_hours:g}",
            "sd_failure": "" if e.sd_failure_probability is None else e.sd_failure_probability,
            "sda_time_days": "" if e.sda_time_days is None else e.sda_time_days,
            "source": e.source,
        }
        for e in device_catalogue()
    ]
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
    try:
        when = datetime.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput(f"--as-of must be a date or date-time, not {as_of!r}") from None
    design, notes = _design(
        params, device, sd_fail, sd_time, sda_fail, sda_time, no_sda, None, None, None
    )
    with opened(store) as repo:
        recorded = record_strike_hazard(
            cli_workflow(repo),
            strike,
            design,
            as_of=when,
            settings=load_settings(config),
            submit=not draft_only,
        )
    verb = "creates" if recorded.created else "updates"
    typer.echo(
        f"report {recorded.area_report.code} ({recorded.area_report.state}) {verb} "
        f"{recorded.area_report.item_code}: {recorded.risk.describe()}"
    )
    for note in notes:
        typer.echo(f"note: {note}")
