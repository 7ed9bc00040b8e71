"""The treaty monitor over HTTP (/api/treaty/*): statuses with the provisions and sources
behind them, counts with the states counted, comparison, deadlines, entry into force, and
national policy versions and diffs, as JSON and CSV.

The figures are the depositary's, as the service and CLI tests already establish them from
the shipped data (UNTC status pages as at 3 February 2026): 162 APMBC parties on that date,
the 2025 withdrawals and their dates, Poland's condition not assessed, and the US policy
versions. The users are synthetic.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from api_support import Api
from fastapi.testclient import TestClient

UNTC_APMBC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-5"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: the treaty routes read shipped data, never the store."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


@pytest.fixture
def client(api: Api) -> TestClient:
    return api.client()


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def apmbc(client: TestClient, state: str, day: str, **params: Any) -> dict[str, Any]:
    body = get(client, "/api/treaty/status", state=state, date=day, instrument="apmbc", **params)
    (found,) = body["instruments"]
    return dict(found)


# --- states and statuses ---


def test_states_with_iso3_and_search(client: TestClient) -> None:
    every = get(client, "/api/treaty/states")
    assert every["count"] == len(every["states"]) == 197
    assert {"name": "Poland", "iso3": "POL"} in every["states"]
    assert every["status_as_at"] == {"apmbc": "2026-02-03", "ccw-ap2": "2026-02-03"}
    assert get(client, "/api/treaty/states", q="USA")["states"] == [
        {"name": "United States of America", "iso3": "USA"}
    ]


@pytest.mark.parametrize(
    ("state", "received", "effective"),
    [
        ("Estonia", "2025-06-27", "2025-12-27"),
        ("Latvia", "2025-06-27", "2025-12-27"),
        ("Lithuania", "2025-06-27", "2025-12-27"),
        ("Finland", "2025-07-10", "2026-01-10"),
        ("Poland", "2025-08-20", "2026-02-20"),
    ],
)
def test_2025_withdrawals_with_their_article_and_source(
    client: TestClient, state: str, received: str, effective: str
) -> None:
    assert apmbc(client, state, "2025-01-01")["status"] == "bound"
    assert apmbc(client, state, received)["status"] == "withdrawal pending"
    after = apmbc(client, state, effective)
    assert after["status"] == "withdrawn" and after["withdrawal_effective"] == effective
    w = after["withdrawal"]
    assert (w["received"], w["effective"]) == (received, effective)
    assert w["provision"]["cite"] == "Art. 20(3)"
    assert "six months after the receipt" in w["provision"]["text"]
    assert w["source_url"].startswith(UNTC_APMBC) and "status as at 03 February 2026" in w["source"]
    assert w["notification"].startswith("C.N.")


def test_poland_condition_not_assessed_unless_strict(client: TestClient) -> None:
    poland = apmbc(client, "Poland", "2026-03-01")
    assert poland["status"] == "withdrawn"
    assert poland["withdrawal"]["condition"] == "not assessed: no sourced armed-conflict input"
    assert "armed-conflict condition not assessed" in poland["label"]
    assert poland["withdrawal"]["armed_conflict_inputs"] == []
    strict = apmbc(client, "Poland", "2026-03-01", strict_conditions="true")
    assert strict["status"] == "withdrawal pending" and strict["withdrawal_effective"] is None
    estonia = apmbc(client, "Estonia", "2026-03-01", strict_conditions="true")
    assert estonia["status"] == "withdrawn"  # the depositary states it took effect


def test_status_explains_entry_into_force_and_projection(client: TestClient) -> None:
    body = get(client, "/api/treaty/status", state="pol", date="2026-02-03")
    assert body["state"] == "Poland" and body["iso3"] == "POL"
    by = {i["instrument"]: i for i in body["instruments"]}
    assert set(by) == {"apmbc", "ccw-ap2"}
    ottawa = by["apmbc"]
    assert ottawa["status"] == "withdrawal pending"
    assert ottawa["data_status_as_at"] == "2026-02-03" and ottawa["projected"] is False
    facts = ottawa["participation"]
    assert facts["entry_into_force_provision"]["cite"] == "Art. 17(2)"
    assert "first day of the sixth month" in facts["entry_into_force_provision"]["text"]
    assert facts["source_url"].startswith(UNTC_APMBC)
    assert ottawa["list_source"]["status_as_at"] == "2026-02-03"
    assert by["ccw-ap2"]["status"] == "bound"
    later = apmbc(client, "Poland", "2026-02-04")
    assert later["projected"] is True


def test_the_conventions_own_entry_into_force_cites_art_17_1(client: TestClient) -> None:
    benin = apmbc(client, "Benin", "2000-01-01")["participation"]
    assert benin["entry_into_force"] == "1999-03-01"
    assert benin["entry_into_force_provision"]["cite"] == "Art. 17(1)"


def test_a_state_outside_the_list_is_not_bound_as_at_the_lists_date(client: TestClient) -> None:
    usa = get(client, "/api/treaty/status", state="USA", date="2026-03-01")
    by = {i["instrument"]: i for i in usa["instruments"]}
    assert by["apmbc"]["status"] == "not bound" and by["apmbc"]["participation"] is None
    assert by["apmbc"]["data_status_as_at"] == "2026-02-03"
    assert by["ccw-ap2"]["status"] == "bound"
    assert by["ccw-ap2"]["participation"]["entry_into_force"] == "1999-11-24"
    assert by["ccw-ap2"]["participation"]["entry_into_force_provision"]["cite"] == "CCW Art. 5(4)"


def test_communication_on_record_with_its_source(client: TestClient) -> None:
    ukraine = apmbc(client, "Ukraine", "2026-03-01")
    assert ukraine["communication_on_record"] is True
    notes = {
        c["notification"]: c for c in ukraine["communications"] if c["kind"] == "communication"
    }
    assert set(notes) == {"C.N.121.2016.TREATIES-XXVI-5", "C.N.285.2018.TREATIES-XXVI-5"}
    assert all(c["source_url"].startswith(UNTC_APMBC) for c in notes.values())
    suspension = ukraine["communications"][-1]
    assert (suspension["kind"], suspension["received"]) == ("suspension", "2025-07-18")
    assert suspension["legal_character"].startswith("not provided for by the Convention")
    assert "npaid.org" in suspension["legal_character_source"]
    first = apmbc(client, "Ukraine", "2017-01-01")["communications"]
    assert [c["received"] for c in first] == ["2016-03-30"]
    assert apmbc(client, "Ukraine", "2016-03-29")["communications"] == []


def test_unknown_state_is_404_with_close_names(client: TestClient) -> None:
    response = client.get("/api/treaty/status", params={"state": "Polnad"})
    assert response.status_code == 404
    assert "Polnad" in response.json()["detail"] and "Poland" in response.json()["detail"]
    response = client.get("/api/treaty/deadlines", params={"state": "Narnia"})
    assert response.status_code == 404 and "Narnia" in response.json()["detail"]


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday", "0001-01-01", "9999-12-31"])
def test_bad_date_is_422_naming_the_date(client: TestClient, day: str) -> None:
    for path in ("/api/treaty/status?state=Poland", "/api/treaty/count?", "/api/treaty/compare?"):
        response = client.get(f"{path}&date={day}")
        assert response.status_code == 422, (path, response.text)
        assert "date" in response.text


# --- counts, comparison, deadlines, entry into force ---


@pytest.mark.parametrize(
    ("day", "in_force", "consented"),
    [
        ("2026-02-03", 162, 162),
        ("2025-07-01", 164, 166),
        ("2025-12-27", 163, 163),
        ("2026-02-20", 161, 161),
    ],
)
def test_counts_with_the_states_counted(
    client: TestClient, day: str, in_force: int, consented: int
) -> None:
    body = get(client, "/api/treaty/count", date=day, instrument="apmbc")
    by = {c["definition"]: c for c in body["counts"]}
    assert by["in-force"]["states_parties"] == in_force
    assert by["consented"]["states_parties"] == consented
    for c in by.values():
        assert len(c["states"]) == c["states_parties"]
        assert c["explanation"]
    names = {s["state"] for s in by["in-force"]["states"]}
    assert ("Estonia" in names) is (day < "2025-12-27")


def test_count_of_one_definition_and_amended_protocol_ii(client: TestClient) -> None:
    body = get(client, "/api/treaty/count", date="2026-02-03", definition="in-force")
    assert {(c["instrument"], c["states_parties"]) for c in body["counts"]} == {
        ("apmbc", 162),
        ("ccw-ap2", 107),
    }


def test_compare(client: TestClient) -> None:
    rows = {r["state"]: r for r in get(client, "/api/treaty/compare", date="2026-03-01")["rows"]}
    assert rows["United States of America"]["bound_by"] == "ccw-ap2"
    assert rows["Poland"]["bound_by"] == "ccw-ap2"
    assert rows["Tonga"]["bound_by"] == "apmbc"
    assert "Canada" not in rows and "Egypt" not in rows


def test_deadlines_with_article_and_basis(client: TestClient) -> None:
    body = get(client, "/api/treaty/deadlines", date="2026-01-01", days=60, kind="withdrawal")
    assert [(r["state"], r["due"]) for r in body["rows"]] == [
        ("Finland", "2026-01-10"),
        ("Poland", "2026-02-20"),
    ]
    assert all(r["article"] == "Art. 20(3)" for r in body["rows"])
    year = get(client, "/api/treaty/deadlines", date="2026-01-01", days=365)["rows"]
    marshall = [r for r in year if r["state"] == "Marshall Islands" and "initial" in r["kind"]]
    assert [(r["due"], r["article"]) for r in marshall] == [("2026-02-28", "Art. 7(1)")]
    tonga = get(client, "/api/treaty/deadlines", date="2026-01-01", days=3650, state="TON")
    assert not [r for r in tonga["rows"] if r["kind"] == "stockpile destruction deadline"]
    assert {r["state"] for r in tonga["rows"]} == {"Tonga"}
    serbia = get(client, "/api/treaty/deadlines", date="2004-01-01", days=3650, state="SRB")
    stockpile = [r for r in serbia["rows"] if r["kind"] == "stockpile destruction deadline"]
    assert stockpile[0]["due"] == "2008-03-01" and "four years" in stockpile[0]["article_text"]


def test_clearance_deadline_extension_is_sourced(client: TestClient) -> None:
    # The 18MSP (November 2020) extended the DRC's deadline to 1 July 2022; the decision's
    # year is known, so it counts from the end of 2020, superseding the 2021 deadline.
    rows = get(client, "/api/treaty/deadlines", date="2020-12-31", days=600, state="DRC")["rows"]
    (clearance,) = [r for r in rows if r["kind"] == "mine clearance deadline"]
    assert clearance["due"] == "2022-07-01" and clearance["article"] == "Art. 5(3)"
    assert "18MSP" in clearance["basis"]


def test_entry_into_force_table_beside_the_depositarys_statement(client: TestClient) -> None:
    body = get(client, "/api/treaty/entry-into-force", instrument="ccw-ap2")
    assert body["count"] == 107
    assert body["instrument"]["stated_entry_into_force"] == "1998-12-03"
    rows = {r["state"]: r for r in body["rows"]}
    assert rows["United States of America"]["entry_into_force"] == "1999-11-24"
    ottawa = get(client, "/api/treaty/entry-into-force")
    assert ottawa["count"] == 166
    montenegro = next(r for r in ottawa["rows"] if r["state"] == "Montenegro")
    assert montenegro["entry_into_force"] == "2007-04-01"
    assert montenegro["basis"].startswith("sourced date of effect")
    assert "the-monitor.org" in montenegro["basis"]


# --- national policy ---


def test_policy_records_and_versions(client: TestClient) -> None:
    (us,) = get(client, "/api/treaty/policy")["records"]
    assert (us["name"], us["state"], us["versions"]) == ("us", "United States of America", 6)
    body = get(client, "/api/treaty/policy/us/versions", date="2021-01-01")
    assert body["in_force"] == "us-2020-01"
    ids = [v["version"] for v in body["rows"]]
    assert (len(ids), ids[0], ids[-1]) == (6, "us-2014-06", "us-2025-12")
    assert [v["effective"] for v in body["rows"]] == sorted(v["effective"] for v in body["rows"])
    assert all(v["sources"] for v in body["rows"])


def test_policy_version_provisions_with_status_and_sources(client: TestClient) -> None:
    body = get(client, "/api/treaty/policy/us/us-2025-12")
    assert body["version"]["effective"] == "2025-12-02"
    assert "UNVERIFIED" in body["version"]["note"] or body["version"]["unverified_claims"]
    rows = body["rows"]
    assert len(rows) == 8
    for r in rows:
        assert r["status"] in {"verified", "secondary", "unconfirmed"}
        assert bool(r["sources"]) is (r["status"] != "unconfirmed")
        assert bool(r["value"]) is (r["status"] != "unconfirmed")


def test_policy_diff(client: TestClient) -> None:
    body = get(client, "/api/treaty/policy/us/diff", before="us-2014-09", after="us-2020-01")
    changes = {r["dimension"]: r for r in body["rows"]}
    assert changes["use_authority"]["change"] == "now stated"
    assert changes["use_geographic_scope"]["change"] == "changed"
    assert changes["use_geographic_scope"]["before_sources"]


def test_policy_errors(client: TestClient) -> None:
    assert client.get("/api/treaty/policy/xx/versions").status_code == 404
    missing = client.get("/api/treaty/policy/us/us-1999")
    assert missing.status_code == 404 and "us-2014-06" in missing.json()["detail"]
    bad = client.get("/api/treaty/policy/us/diff", params={"before": "x", "after": "us-2020-01"})
    assert bad.status_code == 422 and bad.json()["location"]["field"] == "before"


# --- CSV export ---


def test_tables_export_as_csv(client: TestClient) -> None:
    response = client.get("/api/treaty/deadlines?date=2026-01-01&days=60&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(response.text.splitlines()))
    assert [r["state"] for r in rows if r["kind"] == "withdrawal takes effect"] == [
        "Finland",
        "Poland",
    ]
    parties = client.get("/api/treaty/count?date=2026-02-03&instrument=apmbc&format=csv")
    counted = list(csv.DictReader(parties.text.splitlines()))
    assert sum(r["definition"] == "in-force" for r in counted) == 162
    status = client.get("/api/treaty/status?state=Poland&date=2026-02-03&format=csv")
    (ottawa,) = [r for r in csv.DictReader(status.text.splitlines()) if r["instrument"] == "apmbc"]
    assert ottawa["status"] == "withdrawal pending"
    diff = client.get("/api/treaty/policy/us/diff?before=us-2014-09&after=us-2020-01&format=csv")
    assert "use_authority" in diff.text


def test_the_server_reads_treaty_data_from_its_settings(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minewatch.api.settings import load_settings

    missing = tmp_path / "no-such-data"
    monkeypatch.setenv("MINEWATCH_TREATY_DATA", str(missing))
    settings = load_settings(None)  # the entry point reads the environment, not the services
    assert settings.treaty_data_dir == missing
    api.settings = settings
    answer = api.client().get("/api/treaty/states")
    assert answer.status_code == 404 and "no-such-data" in answer.text
    monkeypatch.delenv("MINEWATCH_TREATY_DATA")
    api.settings = load_settings(None)
    assert api.client().get("/api/treaty/states").status_code == 200


def test_every_answer_carries_its_freshness(client: TestClient) -> None:
    later = get(client, "/api/treaty/count", date="2026-12-07")
    assert later["freshness"]["status_as_at"] == "2026-02-03" and later["freshness"]["projected"]
    assert "not in the data" in later["freshness"]["note"]
    assert not get(client, "/api/treaty/count", date="2025-01-01")["freshness"]["projected"]
    status = get(client, "/api/treaty/status", state="Ukraine", date="2026-12-07")
    assert status["freshness"]["projected"] is True
    deadlines = get(client, "/api/treaty/deadlines", date="2020-01-01", days=30)
    assert deadlines["freshness"]["projected"] is False
    compare = client.get("/api/treaty/compare", params={"date": "2026-12-07", "format": "csv"})
    header = compare.text.splitlines()[0]
    assert "data_status_as_at" in header and "projected" in header
    versions = get(client, "/api/treaty/policy/us/versions", date="2026-12-07")
    assert "due by 2026-03-02" in versions["freshness"]["note"]
    (us,) = get(client, "/api/treaty/policy")["records"]
    assert us["freshness"]["status_as_at"] == "2026-12-07"


def test_status_of_a_group(client: TestClient) -> None:
    body = get(client, "/api/treaty/status", group="NATO", date="2026-12-07", instrument="apmbc")
    assert body["group"] == "NATO" and body["count"] == 32 and body["freshness"]["projected"]
    summary = {r["status"]: r["states"] for r in body["summary"]}
    assert summary == {"bound": 26, "not bound": 1, "withdrawn": 5}
    both = client.get("/api/treaty/status", params={"group": "NATO", "state": "Poland"})
    assert both.status_code == 422
    assert client.get("/api/treaty/status", params={"group": "Narnia"}).status_code == 404
    groups = {g["name"]: g for g in get(client, "/api/treaty/groups")["groups"]}
    assert len(groups["EU"]["members_today"]) == 27
