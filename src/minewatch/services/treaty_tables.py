"""The treaty figures that charts draw, as tables: daily counts of states parties, and every
known state's status on a date (:mod:`minewatch.charts.treaty` draws them; the CLI calls both).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.services.treaty import TreatyMonitor


def timeline_series(
    monitor: TreatyMonitor,
    instruments: Sequence[Instrument] = tuple(Instrument),
    definitions: Sequence[CountDefinition] = tuple(CountDefinition),
    start: date = date(1997, 12, 1),
    end: date | None = None,
) -> pd.DataFrame:
    """Daily counts of states parties (columns date, instrument, definition, count).

    Examples
    --------
    >>> series = timeline_series(TreatyMonitor.shipped(), [Instrument.APMBC],
    ...                          [CountDefinition.IN_FORCE], start=date(1999, 2, 27),
    ...                          end=date(1999, 3, 2))
    >>> series[["date", "count"]]
            date  count
    0 1999-02-27      0
    1 1999-02-28      0
    2 1999-03-01     45
    3 1999-03-02     45
    """
    end = end or max(d.status_as_at for d in monitor.instruments.values())
    days = pd.date_range(start, end, freq="D")
    as_dates = [d.date() for d in days]
    frames = [
        pd.DataFrame(
            {
                "date": days,
                "instrument": i.value,
                "definition": d.value,
                "count": monitor.count(i, as_dates, d),
            }
        )
        for i in instruments
        for d in definitions
    ]
    return pd.concat(frames, ignore_index=True)


def status_table(monitor: TreatyMonitor, instrument: Instrument, on: date) -> pd.DataFrame:
    """Every known state's status on ``on``: ``state``, ``iso3``, ``status``, ``label``.

    Examples
    --------
    >>> table = status_table(TreatyMonitor.shipped(), Instrument.APMBC, date(2020, 1, 1))
    >>> table[table["state"].isin(["Canada", "United States of America"])]
                            state iso3     status      label
    31                     Canada  CAN      bound      bound
    188  United States of America  USA  not bound  not bound
    """
    rows = [
        {
            "state": s.state,
            "iso3": monitor.names.iso3.get(s.state, ""),
            "status": s.kind.value,
            "label": s.label,
        }
        for s in monitor.statuses(instrument, on, all_states=True)
    ]
    return pd.DataFrame(rows)
