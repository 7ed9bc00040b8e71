"""What the treaty service gives the web page and API beyond the CLI's tables: the states
behind a count, the reasons behind a status, close names for a mistyped state, and the dates
a query may ask about. Figures are the shipped depositary data's (status as at 3 February
2026), as tests/services/test_treaty.py establishes them."""

from __future__ import annotations

from datetime import date

import pytest

from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.errors import InvalidInput, NotFound
from minewatch.services.treaty import TreatyMonitor, query_date


@pytest.fixture(scope="module")
def monitor() -> TreatyMonitor:
    return TreatyMonitor.shipped()


@pytest.mark.parametrize("instrument", list(Instrument))
@pytest.mark.parametrize("definition", list(CountDefinition))
def test_the_states_counted_are_as_many_as_the_count(
    monitor: TreatyMonitor, instrument: Instrument, definition: CountDefinition
) -> None:
    """Two ways of counting (vectorised over dates, and status by status) agree on dates
    around every entry into force and withdrawal of the 2025-2026 changes and in between."""
    days = [date(y, m, 1) for y in range(1998, 2027) for m in (1, 7)]
    days += [date(2025, 6, 24), date(2025, 12, 27), date(2026, 1, 10), date(2026, 2, 20)]
    counts = monitor.count(instrument, days, definition).tolist()
    assert counts == [len(monitor.parties(instrument, d, definition)) for d in days]


def test_explain_names_each_rule_and_source(monitor: TreatyMonitor) -> None:
    why = monitor.explain("Finland", Instrument.APMBC, date(2026, 1, 10))
    assert why["status"] == "withdrawn"
    assert why["withdrawal"]["effective"] == date(2026, 1, 10)
    assert why["withdrawal"]["condition"] == "took effect, as the depositary states"
    assert why["participation"]["entry_into_force_provision"]["cite"].startswith("Art. 17")
    assert why["participation"]["source_url"].startswith("https://treaties.un.org/")
    succession = monitor.explain("South Sudan", Instrument.APMBC, date(2012, 1, 1))
    facts = succession["participation"]
    assert facts["entry_into_force"] == date(2011, 7, 9)
    assert facts["entry_into_force_provision"] is None and facts["entry_into_force_fact_source"]


def test_a_mistyped_state_gets_close_names(monitor: TreatyMonitor) -> None:
    with pytest.raises(NotFound, match=r"did you mean: .*Lithuania"):
        monitor.state("Lithuana")
    with pytest.raises(NotFound, match=r"did you mean: .*Poland"):
        monitor.state("Polnad")
    assert monitor.names.close_names("zzzzzz") == []


def test_query_dates_are_bounded(monitor: TreatyMonitor) -> None:
    assert query_date(date(2026, 2, 3)) == date(2026, 2, 3)
    with pytest.raises(InvalidInput) as caught:
        query_date(date(9999, 12, 31), "date")
    assert caught.value.where.field == "date"


def test_policy_records_by_name(monitor: TreatyMonitor) -> None:
    assert monitor.policy_names() == ["us"]
    assert monitor.policy("us").state == "United States of America"
    with pytest.raises(NotFound, match="known: us"):
        monitor.policy("xx")
