"""Release statements: of every filtered area with land released, or of one area, with the
residual risk each states (the area's own, or a zero-find bound for a search described by
its fraction and detection probability: :func:`risk_from_search`).

>>> risk_from_search(None, None, 0.95) is None
True
"""

from __future__ import annotations

from datetime import date

from minewatch.analysis.release_statement import (
    ReleaseStatement,
    ResidualRisk,
    RiskSource,
    build_release_statements,
    residual_risk_from_bound,
)
from minewatch.analysis.zero_find import zero_find_poisson
from minewatch.config import NationalConfig
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.services.landrelease.accounting import account
from minewatch.services.landrelease.inputs import ReleaseFilter
from minewatch.store import Repository


def release_statements(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    residual_risk: RiskSource = None,
    fully_released_only: bool = False,
    issued_on: date | None = None,
    area_tolerance_fraction: float | None = None,
    config: NationalConfig | None = None,
) -> list[ReleaseStatement]:
    """The release statements of the filtered areas with land released (drawn as HTML and
    PDF certificates by :mod:`minewatch.charts.release_statement`).

    ``residual_risk`` gives each area's figure, a mapping or a function of the area code
    (see :mod:`minewatch.analysis.release_statement`), e.g. a zero-find bound through
    :func:`minewatch.analysis.release_statement.residual_risk_from_bound`.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> statements = release_statements(store, issued_on=date(2025, 1, 15))
    >>> [(s.hazardous_area_code, round(s.released_m2)) for s in statements]
    [('HA-000001', 907863), ('HA-000004', 60049)]
    """
    accounting, inputs = account(
        store, where, area_tolerance_fraction=area_tolerance_fraction, config=config
    )
    return build_release_statements(
        accounting,
        inputs.areas,
        residual_risk=residual_risk,
        issued_on=issued_on,
        fully_released_only=fully_released_only,
    )


def risk_from_search(
    searched_fraction: float | None, detection_probability: float | None, confidence: float
) -> RiskSource:
    """The residual-risk source "every area was searched over a fraction f with detection
    probability p and nothing was found": the Poisson zero-find bound, the same for every
    area; None when neither figure is given (each area's own ``residual_risk`` applies).

    Examples
    --------
    >>> risk = risk_from_search(0.1, 0.9, 0.95)
    >>> risk("HA-000001") == risk("HA-000002")   # the same bound for every area
    True
    >>> risk_from_search(None, None, 0.95) is None
    True
    >>> risk_from_search(0.1, None, 0.95)
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field detection_probability: give both the searched fraction and
     the probability of detection
    """
    if searched_fraction is None and detection_probability is None:
        return None
    if searched_fraction is None or detection_probability is None:
        missing = "searched_fraction" if searched_fraction is None else "detection_probability"
        raise InvalidInput(
            "give both the searched fraction and the probability of detection",
            Location(field=missing),
        )
    bound = residual_risk_from_bound(
        zero_find_poisson(searched_fraction, detection_probability, confidence)
    )

    def same_for_every_area(_code: str) -> ResidualRisk:
        return bound

    return same_for_every_area


def release_statement(
    store: Repository,
    code: str,
    *,
    residual_risk: RiskSource = None,
    issued_on: date | None = None,
    config: NationalConfig | None = None,
) -> ReleaseStatement:
    """The release statement of one hazardous area; NotFound unless it has land released.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> statement = release_statement(store, "HA-000001", issued_on=date(2025, 1, 15))
    >>> statement.hazardous_area_code, statement.issued_on
    ('HA-000001', datetime.date(2025, 1, 15))
    >>> release_statement(store, "HA-000005")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: hazardous area HA-000005 has no approved land release
    """
    accounting, inputs = account(store, ReleaseFilter(hazardous_areas=[code]), config=config)
    released = accounting.areas.loc[accounting.areas["released_m2"] > 0, "hazardous_area_code"]
    if code not in set(released):
        raise NotFound("hazardous area {code} has no approved land release", code=code)
    [statement] = build_release_statements(
        accounting, inputs.areas, residual_risk=residual_risk, codes=[code], issued_on=issued_on
    )
    return statement
