"""Land release accounting over the store: read the approved hazardous areas and release
products, run :func:`minewatch.analysis.landrelease.account_land_release`, and produce the
balance, the report tables and the release statements (drawn by :mod:`minewatch.charts`).

The store holds the approved (folded) state of every item, so what is read here is what
was approved. The accounting always runs over *every* product of the selected areas, even
when a period is asked for: which product released a piece of land first depends on the
products before the period too. The period then selects what is reported.

Filters:

* ``hazardous_areas``: these area codes;
* ``locations``: areas in these gazetteer entries or any entry below them (``parent_code``);
* ``organisations``: areas these organisations are responsible for (the area's
  ``organisation_code``; who released the land is a column of the release tables);
* ``start``/``end``: the reporting period (release date, both ends inclusive).

The package re-exports its public interface (the CLI and the API call it as one module): the
selection and what it reads (:mod:`.inputs`), the accounting and its balance
(:mod:`.accounting`), release statements (:mod:`.statements`), the page's balances and issues
(:mod:`.balances`) and the report (:mod:`.reports`); and ``Repository``, the store type its
functions take, which the API names through this package rather than importing the store.
"""

from minewatch.services.landrelease.accounting import (
    account,
    balance_table,
    configured_area_tolerance,
)
from minewatch.services.landrelease.balances import (
    AreaBalancePage,
    area_balances,
    issues_table,
    json_records,
)
from minewatch.services.landrelease.inputs import (
    ReleaseFilter,
    ReleaseInputs,
    load_inputs,
    locations_below,
)
from minewatch.services.landrelease.reports import (
    REPORT_TABLE_NAMES,
    region_names,
    report,
    report_csv,
    report_json,
)
from minewatch.services.landrelease.statements import (
    release_statement,
    release_statements,
    risk_from_search,
)
from minewatch.store import Repository

__all__ = [
    "REPORT_TABLE_NAMES",
    "AreaBalancePage",
    "ReleaseFilter",
    "ReleaseInputs",
    "Repository",
    "account",
    "area_balances",
    "balance_table",
    "configured_area_tolerance",
    "issues_table",
    "json_records",
    "load_inputs",
    "locations_below",
    "region_names",
    "release_statement",
    "release_statements",
    "report",
    "report_csv",
    "report_json",
    "risk_from_search",
]
