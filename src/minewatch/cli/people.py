"""People in the programme's figures: the yearly casualty table by the Landmine Monitor's
definitions, and risk education beneficiaries by the sector's standard."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    CsvOutOption,
    FormatOption,
    StoreOption,
    cli_workflow,
    console,
    emit,
    language,
    opened,
    say,
)
from minewatch.vocabulary import label

#: The options every yearly table of people takes.
YearsOption = Annotated[
    list[int] | None, typer.Option("--year", "-y", help="Only this year (repeatable).")
]


def _written(
    result: dict[str, Any], to_csv: Callable[[dict[str, Any]], str], fmt: str, out: Path | None
) -> bool:
    """Write ``result`` to ``out`` (CSV) or as csv/json to standard output; False when the
    caller is to print it as a table."""
    if out is not None:
        out.write_text(to_csv(result), encoding="utf-8")
        console.print(f"wrote {out} ({len(result['rows'])} rows)")
    elif fmt == "csv":
        sys.stdout.write(to_csv(result))
    elif fmt == "json":
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        return False
    return True


#: The list of labels each dimension's values come from (domain.casualties.DIMENSIONS).
_CASUALTY_VALUES = {
    "total": "CasualtyTotal",
    "category": "VictimType",
    "sex": "Sex",
    "age_group": "AgeGroup",
    "device_type": "CasualtyDeviceType",
    "disability": "Disability",
}


casualties = typer.Typer(
    help="Casualties by the Landmine Monitor's definitions (unknown stays unknown).",
    no_args_is_help=True,
)
app.add_typer(casualties, name="casualties")


@casualties.command("table")
def table(
    store: StoreOption = DEFAULT_STORE,
    year: YearsOption = None,
    fmt: FormatOption = "table",
    out: CsvOutOption = None,
) -> None:
    """Killed, injured and unknown per year: the recorded and mine/ERW totals, and by
    category, sex, age group, device type and disability. The table format shows the
    non-zero rows; csv and json give every row (zeros included).

    Example:

      minewatch casualties table --store demo.gpkg --year 2022
    """
    from minewatch.services import casualties as service

    with opened(store) as ctx:
        result = service.casualty_table(cli_workflow(ctx, personal_data=False), year)
    if not _written(result, service.casualty_csv, fmt, out):
        rows = [
            {
                **r,
                "year": "unknown" if r["year"] is None else r["year"],
                # a person reads the table: each dimension and value as the vocabulary says it
                "dimension": label("CasualtyDimension", r["dimension"], locale=language()),
                "value": label(_CASUALTY_VALUES[r["dimension"]], r["value"], locale=language()),
            }
            for r in result["rows"]
            if r["total"] or r["dimension"] == "total"
        ]
        emit(rows, fmt, title=say("Casualties (Landmine Monitor definitions)"))
        for shares in result["shares"]:
            y = shares.pop("year")
            known = ", ".join(
                f"{k} {v:.0%}" if v is not None else f"{k} n/a" for k, v in shares.items()
            )
            when = say("unknown") if y is None else y
            console.print(say("{year}: shares where known: {shares}", year=when, shares=known))


beneficiaries = typer.Typer(
    help="Beneficiaries by the sector's standard: direct and indirect, by sex, age and disability.",
    no_args_is_help=True,
)
app.add_typer(beneficiaries, name="beneficiaries")


@beneficiaries.command("table")
def beneficiary_table(
    store: StoreOption = DEFAULT_STORE,
    year: YearsOption = None,
    fmt: FormatOption = "table",
    out: CsvOutOption = None,
) -> None:
    """Risk education beneficiaries per year and reach (direct, indirect): girls, boys,
    women, men, total, those with a disability where recorded, and the people whose
    disability was not recorded.

    Example:

      minewatch beneficiaries table --store demo.gpkg --year 2024
    """
    from minewatch.services import beneficiaries as service

    with opened(store) as ctx:
        result = service.beneficiary_table(cli_workflow(ctx, personal_data=False), year)
    if not _written(result, service.beneficiary_csv, fmt, out):
        rows = [
            {**r, "year": "unknown" if r["year"] is None else r["year"]} for r in result["rows"]
        ]
        # The per-group disability counts are in csv and json; a terminal shows the totals.
        columns = ["year", "reach", "records", "girls", "boys", "women", "men", "total"]
        columns += ["with_disability", "disability_not_recorded"]
        emit(
            rows, fmt, columns, title=say("Risk education beneficiaries (sex, age and disability)")
        )


assistance = typer.Typer(
    help="Victim assistance: survivors' needs and services, coverage by sex, age and disability.",
    no_args_is_help=True,
)
app.add_typer(assistance, name="assistance")


@assistance.command("coverage")
def assistance_coverage(
    store: StoreOption = DEFAULT_STORE,
    year: YearsOption = None,
    fmt: FormatOption = "table",
    out: CsvOutOption = None,
) -> None:
    """Survivors who needed, were referred to and received each kind of assistance per
    year, by sex, age and disability, and the household members reached (indirect).

    Example:

      minewatch assistance coverage --store demo.gpkg --year 2024
    """
    from minewatch.services import assistance as service

    with opened(store) as ctx:
        result = service.coverage_table(cli_workflow(ctx, personal_data=False), year)
    if not _written(result, service.coverage_csv, fmt, out):
        rows = [
            {
                **r,
                "year": say("unknown") if r["year"] is None else r["year"],
                # words, not codes: "any" is the row of survivors given any kind of assistance
                "assistance_type": say("Any assistance")
                if r["assistance_type"] == "any"
                else label("AssistanceType", r["assistance_type"], locale=language()),
                "stage": label("ServiceStatus", r["stage"], locale=language()),
            }
            for r in result["rows"]
        ]
        columns = ["year", "assistance_type", "stage", "people", "female", "male", "children"]
        columns += ["with_disability", "disability_not_recorded"]
        emit(rows, fmt, columns, title=say("Victim assistance coverage (direct)"))
        household = [
            {**r, "year": say("unknown") if r["year"] is None else r["year"]}
            for r in result["household"]
        ]
        emit(household, fmt, ["year", "records", "girls", "boys", "women", "men", "total"],
             title=say("Household members reached (indirect)"))  # fmt: skip
