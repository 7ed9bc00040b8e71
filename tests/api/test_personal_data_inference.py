"""No inference of personal data: without the grant, no filter, count or export may name a
victim's personal field, so a guess ("is there a victim called X?") is never answered by
1 match or 0; with the grant such searches are audited. CLI and API alike (synthetic
people)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_support import Api, run_cli

from minewatch.domain.records import Kind

PERSON = {"name": "Synthetic Person", "contact": "+000 000", "medical_details": "synthetic"}
GUESSES = {field: (value, value + " (wrong guess)") for field, value in PERSON.items()}


def _victim(api: Api) -> str:
    code = api.draft("medic", Kind.VICTIM, sex="female", age=30, **PERSON)
    api.workflow("medic").submit(code)
    return api.workflow("rev").approve(code).item_code or ""


@pytest.mark.parametrize("user", ["w1", "w2", "rev", "rev2"])
def test_without_the_grant_a_guess_gets_the_same_refusal_right_or_wrong(
    api: Api, user: str
) -> None:
    _victim(api)
    client = api.client(user)
    for field, (right, wrong) in GUESSES.items():
        answers = [
            client.get("/api/items/victim", params={"where": f"{field}:{guess}"})
            for guess in (right, wrong)
        ]
        assert [a.status_code for a in answers] == [403, 403], answers[0].text
        assert answers[0].json() == answers[1].json()  # nothing tells the guesses apart
        assert "personal-data grant" in answers[0].json()["detail"]
        assert right not in answers[0].text
    # Filtering on what is not personal still works for them.
    sex = client.get("/api/items/victim", params={"where": "sex:female"}).json()
    assert sex["numberMatched"] == 1 and sex["features"][0]["properties"]["name"] is None
    assert not api.accounts.store.list_audit(action="search_personal_data", actor=user)


@pytest.mark.parametrize("user", ["medic", "admin"])
def test_with_the_grant_searches_work_and_are_audited(api: Api, user: str) -> None:
    item = _victim(api)
    client = api.client(user)
    for field, (right, wrong) in GUESSES.items():
        hit = client.get("/api/items/victim", params={"where": f"{field}:{right}"}).json()
        miss = client.get("/api/items/victim", params={"where": f"{field}:{wrong}"}).json()
        assert (hit["numberMatched"], miss["numberMatched"]) == (1, 0)
        assert hit["features"][0]["properties"]["code"] == item
    searches = api.accounts.store.list_audit(action="search_personal_data", actor=user)
    assert len(searches) == 2 * len(GUESSES)
    assert {tuple(e.detail["fields"]) for e in searches} == {(f,) for f in PERSON}
    assert all(right not in json.dumps(e.detail) for e in searches for right in PERSON.values())


def test_the_public_gets_no_answer_at_all(api: Api) -> None:
    _victim(api)
    for user in (None, "viewer"):
        answer = api.client(user).get("/api/items/victim", params={"where": "name:Synthetic"})
        assert answer.status_code == 404


def test_the_cli_guards_filters_and_exports_the_same_way(
    api: Api, store_url: str, tmp_path: Path
) -> None:
    item = _victim(api)
    for args in (
        ("list", "victim", "-s", store_url, "--where", "name=Synthetic Person"),
        (
            "export",
            "victim",
            str(tmp_path / "v.csv"),
            "-s",
            store_url,
            "--where",
            "contact=+000 000",
        ),
    ):
        code, out = run_cli(*args)
        assert code != 0 and "personal-data grant" in out and "Traceback" not in out, out
    assert not (tmp_path / "v.csv").exists()
    code, out = run_cli("list", "victim", "-s", store_url, "-f", "json")
    assert code == 0 and json.loads(out)[0]["name"] is None
    code, out = run_cli("list", "victim", "-s", store_url, "-f", "json", "--personal",
                     "--where", "name=Synthetic Person")  # fmt: skip
    assert code == 0 and json.loads(out)[0]["name"] == "Synthetic Person"
    code, out = run_cli("history", "victim", item, "-s", store_url, "-f", "json")
    assert code == 0 and "Synthetic Person" not in out and "+000 000" not in out
    code, out = run_cli("export", "victim", str(tmp_path / "v.csv"), "-s", store_url)
    assert code == 0 and "Synthetic Person" not in (tmp_path / "v.csv").read_text()
    searched = api.accounts.store.list_audit(action="search_personal_data")
    assert [e.detail["fields"] for e in searched] == [["name"]]
