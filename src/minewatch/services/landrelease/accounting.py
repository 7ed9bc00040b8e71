"""The accounting of a selection (:func:`account`), the last two kept (:data:`_RECENT`), with
the area tolerance from the national configuration, and its balance for the whole or a period
(:func:`balance_table`).

>>> configured_area_tolerance()
0.05
"""

from __future__ import annotations

import hashlib

import pandas as pd

from minewatch.analysis.landrelease import (
    LandReleaseAccounting,
    account_land_release,
    balance,
    period_balance,
)
from minewatch.config import NationalConfig, load_config
from minewatch.services.landrelease.inputs import ReleaseFilter, ReleaseInputs, load_inputs
from minewatch.services.recent import RecentResults, digest_frame
from minewatch.store import Repository


def configured_area_tolerance(config: NationalConfig | None = None) -> float:
    """``[landrelease] area_tolerance_fraction`` from the national configuration.

    Examples
    --------
    >>> configured_area_tolerance()   # the shipped default
    0.05
    """
    return float((config or load_config()).landrelease.area_tolerance_fraction)


def account(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    area_tolerance_fraction: float | None = None,
    config: NationalConfig | None = None,
) -> tuple[LandReleaseAccounting, ReleaseInputs]:
    """The accounting for the filtered areas (tolerance from national configuration unless
    given).

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accounting, inputs = account(store)
    >>> accounting.areas[["hazardous_area_code", "original_m2", "released_m2", "remaining_m2"]].round()
      hazardous_area_code  original_m2  released_m2  remaining_m2
    0           HA-000001     907863.0     907863.0           0.0
    1           HA-000002     258143.0          0.0      258143.0
    2           HA-000003     327358.0          0.0      327358.0
    3           HA-000004     112216.0      60049.0       52167.0
    4           HA-000005    1087502.0          0.0     1087502.0
    """
    tolerance = (
        configured_area_tolerance(config)
        if area_tolerance_fraction is None
        else area_tolerance_fraction
    )
    inputs = load_inputs(store, where)
    key = hashlib.blake2b(repr(tolerance).encode(), digest_size=20)
    digest_frame(key, inputs.areas)
    digest_frame(key, inputs.products)
    accounting = _RECENT.get_or_compute(
        key.digest(),
        lambda: account_land_release(
            inputs.areas, inputs.products, area_tolerance_fraction=tolerance
        ),
    )
    return accounting, inputs


#: The accountings of the last two selections, keyed by the content of the areas and
#: products read and the tolerance. Why: the Land release page asks for the balances, the
#: issues and the report of one selection in turn, and the overlay is the costly part
#: (about 20 s for 100,000 areas), while reading the store again is not.
_RECENT = RecentResults[LandReleaseAccounting](size=2)


def balance_table(
    accounting: LandReleaseAccounting, where: ReleaseFilter, by: str | None
) -> pd.DataFrame:
    """The balance, or the period's balance when the filter has a period.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accounting, _ = account(store)
    >>> balance_table(accounting, ReleaseFilter(), by=None).round().T
                      total
    original_m2   2693081.0
    cancelled_m2   384455.0
    reduced_m2     583456.0
    cleared_m2          0.0
    remaining_m2  1725169.0
    released_m2    967911.0
    """
    if where.start or where.end:
        return period_balance(accounting, where.start, where.end, by)
    return balance(accounting, by)
