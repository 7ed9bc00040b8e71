"""Figures summed from an accounting: the balance by any attribute of the areas, the balance
of a period, land released by any attribute of the pieces, and the monthly series.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from minewatch.analysis.landrelease.result import FIGURES, RELEASE_CATEGORIES, LandReleaseAccounting
from minewatch.domain.records import ReleaseProgress
from minewatch.errors import InvalidInput, Location

#: Piece attributes that :func:`released_by` derives from the release date.
DATE_KEYS = ("year", "quarter", "month")
#: The label for pieces whose grouping attribute is not recorded.
UNKNOWN = "unknown"
#: An area with less than this many m² remaining is released: overlay and snapping leave
#: residue far below a square metre, and no programme surveys a smaller piece of land.
RELEASED_BELOW_M2 = 1.0


def _group_keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _labelled(frame: pd.DataFrame, keys: list[str], mapping: dict[str, str] | None) -> pd.DataFrame:
    frame = frame.copy()
    for key in keys:
        if key not in frame.columns:
            raise InvalidInput(f"cannot group by {key!r}", Location(field=key))
        values = frame[key]
        if mapping is not None:
            values = values.map(mapping)
        frame[key] = values.astype(object).where(values.notna(), UNKNOWN).astype(str)
    return frame


def _grouped_sum(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    if not keys:
        return frame[columns].sum().to_frame("total").T
    return frame.groupby(keys, sort=True)[columns].sum()


def balance(
    accounting: LandReleaseAccounting,
    by: str | Sequence[str] | None = None,
    *,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The balance (:data:`FIGURES` and ``released_m2``) summed over hazardous areas.

    Parameters
    ----------
    by
        Column(s) of :attr:`LandReleaseAccounting.areas` to group by, e.g.
        ``"location_code"`` or ``"organisation_code"`` (the organisation responsible for the
        area); None for one ``total`` row.
    mapping
        Optional relabelling of the grouping values, e.g. location code → region name, so
        areas roll up to any level of the gazetteer. Unmapped or missing values group as
        ``"unknown"``, so nothing drops out of the sum.

    Each row satisfies ``original = cancelled + reduced + cleared + remaining``, because it is
    a sum of area rows that do.
    """
    keys = _group_keys(by)
    frame = _labelled(pd.DataFrame(accounting.areas.drop(columns="geometry")), keys, mapping)
    return _grouped_sum(frame, keys, [*FIGURES, "released_m2"])


def release_progress(remaining_m2: pd.Series, released_m2: pd.Series) -> pd.Series:
    """Each area's :class:`~minewatch.domain.records.ReleaseProgress` from its balance: released
    when less than :data:`RELEASED_BELOW_M2` remains, partly released when some land was
    released, otherwise not released.

    Examples
    --------
    >>> release_progress(pd.Series([0.0, 0.4, 50.0, 80.0]), pd.Series([80.0, 79.6, 30.0, 0.0])).tolist()
    ['released', 'released', 'partly_released', 'not_released']
    """
    progress = np.select(
        [remaining_m2.to_numpy() < RELEASED_BELOW_M2, released_m2.to_numpy() > 0],
        [ReleaseProgress.RELEASED.value, ReleaseProgress.PARTLY_RELEASED.value],
        ReleaseProgress.NOT_RELEASED.value,
    )
    return pd.Series(progress, index=remaining_m2.index, name="progress")


def _period_class(dates: pd.Series, start: date | None, end: date | None) -> NDArray[np.object_]:
    stamp = pd.to_datetime(dates)
    before = stamp < pd.Timestamp(start) if start else np.zeros(len(stamp), dtype=bool)
    after = stamp > pd.Timestamp(end) if end else np.zeros(len(stamp), dtype=bool)
    return np.select(
        [stamp.isna().to_numpy(), np.asarray(before), np.asarray(after)],
        ["undated", "before", "after"],
        "within",
    ).astype(object)


#: Columns of :func:`period_balance`; ``original_m2`` is the sum of the others.
PERIOD_FIGURES: tuple[str, ...] = (
    "original_m2",
    "released_before_m2",
    "cancelled_m2",
    "reduced_m2",
    "cleared_m2",
    "undated_m2",
    "remaining_m2",
)


def period_balance(
    accounting: LandReleaseAccounting,
    start: date | None,
    end: date | None,
    by: str | Sequence[str] | None = None,
    *,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The balance of a period: land released within [start, end] (both inclusive).

    Columns are :data:`PERIOD_FIGURES` plus ``released_m2`` (within the period), with

        original = released_before + cancelled + reduced + cleared + undated + remaining

    where cancelled, reduced and cleared are the pieces released within the period,
    ``released_before`` those released before ``start``, ``undated`` those with no release
    date (they cannot be placed in time) and ``remaining`` the land still hazardous at
    ``end`` (today's remaining plus what was released after ``end``). ``by`` and ``mapping``
    work as in :func:`balance`. Because land is released once, by the first product
    (module docstring), these figures never change when later products are added.
    """
    keys = _group_keys(by)
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    released = pieces["category"] != "remaining"
    when = _period_class(pieces["release_date"], start, end)
    column = np.where(
        ~released.to_numpy(),
        "remaining_m2",
        np.where(
            when == "within",
            pieces["category"] + "_m2",
            np.select(
                [when == "before", when == "undated"],
                ["released_before_m2", "undated_m2"],
                "remaining_m2",
            ),
        ),
    )
    wide = pd.DataFrame(
        {"code": pieces["hazardous_area_code"], "column": column, "area": pieces["area_m2"]}
    ).pivot_table(index="code", columns="column", values="area", aggfunc="sum", fill_value=0.0)
    areas = pd.DataFrame(accounting.areas.drop(columns="geometry")).set_index("hazardous_area_code")
    frame = areas[["location_code", "organisation_code", "original_m2"]].join(wide)
    for figure in PERIOD_FIGURES[1:]:
        frame[figure] = frame[figure].fillna(0.0) if figure in frame else 0.0
    frame["released_m2"] = frame[["cancelled_m2", "reduced_m2", "cleared_m2"]].sum(axis=1)
    frame = _labelled(frame.reset_index(names="hazardous_area_code"), keys, mapping)
    return _grouped_sum(frame, keys, [*PERIOD_FIGURES, "released_m2"])


def released_pieces(accounting: LandReleaseAccounting) -> pd.DataFrame:
    """The released pieces (no geometry) with ``year``, ``quarter`` and ``month`` added."""
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    pieces = pieces[pieces["category"] != "remaining"].copy()
    stamp = pd.to_datetime(pieces["release_date"]).to_numpy(dtype="datetime64[ns]")
    undated = np.isnat(stamp)
    month = stamp.astype("datetime64[M]")
    year = stamp.astype("datetime64[Y]").astype(str)
    quarter = np.char.add(
        np.char.add(year, "Q"), (month.astype(np.int64) % 12 // 3 + 1).astype(str)
    )
    for column, values in (("year", year), ("quarter", quarter), ("month", month.astype(str))):
        labels = values.astype(object)
        labels[undated] = None
        pieces[column] = labels
    return pieces


#: Columns of :func:`released_by`.
RELEASED_FIGURES: tuple[str, ...] = (*(f"{c}_m2" for c in RELEASE_CATEGORIES), "released_m2")


def released_by(
    accounting: LandReleaseAccounting,
    by: str | Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Land released, by category, grouped by any attribute of the released pieces.

    ``by`` may name ``organisation_code`` (who released it), ``area_organisation_code``,
    ``location_code``, ``hazardous_area_code``, ``activity_type``, ``method``, ``year``,
    ``quarter`` or ``month``; ``start``/``end`` keep pieces released within that period
    (undated pieces are then left out, as they cannot be placed in it). Missing values
    group as ``"unknown"``. The grand total of ``released_m2`` equals the accounting's
    released total (or the period's, when a period is given).
    """
    keys = _group_keys(by)
    pieces = released_pieces(accounting)
    if start is not None or end is not None:
        pieces = pieces[_period_class(pieces["release_date"], start, end) == "within"]
    wide = pieces.assign(column=pieces["category"] + "_m2")
    wide = _labelled(wide, keys, mapping)
    table = (
        wide.pivot_table(
            index=keys, columns="column", values="area_m2", aggfunc="sum", fill_value=0.0
        )
        if len(wide)
        else pd.DataFrame(
            index=pd.MultiIndex.from_tuples([], names=keys)
            if len(keys) > 1
            else pd.Index([], name=keys[0])
        )
    )
    table = table.reindex(columns=list(RELEASED_FIGURES[:-1]), fill_value=0.0)
    table["released_m2"] = table.sum(axis=1)
    table.columns.name = None
    return table


def monthly_series(accounting: LandReleaseAccounting) -> pd.DataFrame:
    """Release progress month by month, with no gaps between the first and last month.

    Columns: cancelled, reduced, cleared and released m² in the month, ``cumulative_m2``
    released by the end of the month, and ``remaining_m2`` at the end of the month:

        remaining(month) = original − undated − cumulative(month)

    Land released by undated products is taken off from the start (it was released at
    some time before these data were compiled), so the last month's remaining equals the
    accounting's remaining exactly; such products are flagged ``missing_release_date``.
    """
    pieces = released_pieces(accounting)
    dated = pieces[pieces["month"].notna()]
    table = (
        released_by(accounting, "month")
        if len(dated)
        else pd.DataFrame(columns=list(RELEASED_FIGURES))
    )
    table = table.drop(index=UNKNOWN, errors="ignore")
    if len(table):
        months = pd.period_range(table.index.min(), table.index.max(), freq="M").astype(str)
        table = table.reindex(months, fill_value=0.0)
    table.index.name = "month"
    totals = accounting.totals()
    undated = float(pieces.loc[pieces["month"].isna(), "area_m2"].sum())
    table["cumulative_m2"] = table["released_m2"].cumsum()
    table["remaining_m2"] = totals["original_m2"] - undated - table["cumulative_m2"]
    return table.astype(float)
