"""The migration web page's API: plan with reasons, check an edited mapping, dry run and
real run (administrators only, audited). Synthetic archives only."""

from __future__ import annotations

import io
from pathlib import Path

from api_support import Api

from minewatch.domain.records import Kind
from minewatch.store import ItemQuery

CSV = b"HazID,Status,Area name\nH1,Open,Synthetic ridge\nH2,closed,Synthetic ford\n"


def _archive(body: bytes = CSV) -> dict[str, tuple[str, io.BytesIO, str]]:
    return {"file": ("hazards.csv", io.BytesIO(body), "text/csv")}


def test_plan_explains_and_the_edited_mapping_is_checked(api: Api) -> None:
    rev = api.client("rev")
    answer = rev.post("/api/migration/plan", files=_archive())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [table] = body["tables"]
    assert body["file"] == "hazards.csv" and table["kind"] == "hazardous_area"
    assert table["kind_reason"] and table["key"] == "HazID" and table["key_reason"]
    status = next(f for f in table["fields"] if f["target"] == "status")
    assert {v["source"]: v["target"] for v in status["values"]} == {
        "Open": "open",
        "closed": "closed",
    }
    assert "/tmp" not in answer.text and "[tables.hazards]" in body["mapping"]

    good = rev.post("/api/migration/mapping", data={"mapping": body["mapping"]})
    assert good.json() == {
        "tables": [{"table": "hazards", "kind": "hazardous_area", "skip": False}]
    }
    bad = rev.post("/api/migration/mapping", data={"mapping": "[tables.hazards\nkind = 1"})
    assert bad.status_code == 422 and "line 1" in bad.json()["detail"]
    assert api.client("w1").post("/api/migration/plan", files=_archive()).status_code == 403


def test_plan_reasons_in_the_requests_language(api: Api) -> None:
    """?lang=fr: every reason and the mapping's comments in French; codes and keys as they
    are, and the French mapping still checks."""
    rev = api.client("rev")
    answer = rev.post("/api/migration/plan?lang=fr", files=_archive())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [table] = body["tables"]
    assert table["kind"] == "hazardous_area" and table["key"] == "HazID"
    assert table["kind_reason"].startswith("le nom de la table 'hazards' correspond à")
    assert table["key_reason"] == (
        "une colonne d’identifiants dont les valeurs sont toutes présentes et uniques"
    )
    status = next(f for f in table["fields"] if f["target"] == "status")
    assert {v["source"]: v["reason"] for v in status["values"]}["Open"] == (
        "1 ligne ; les mêmes mots"
    )
    assert "# Correspondance de migration pour" in body["mapping"]
    assert rev.post("/api/migration/mapping", data={"mapping": body["mapping"]}).status_code == 200


def test_dry_run_then_a_real_run_by_an_administrator(api: Api) -> None:
    mapping = api.client("rev").post("/api/migration/plan", files=_archive()).json()["mapping"]
    dry = api.client("rev").post(
        "/api/migration/run", files=_archive(), data={"mapping": mapping, "dry_run": "true"}
    )
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["dry_run"] and not report["committed"] and report["tables"][0]["landed"] == 2
    assert api.store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0

    refused = api.client("rev").post(
        "/api/migration/run", files=_archive(), data={"mapping": mapping, "dry_run": "false"}
    )
    assert refused.status_code == 403 and "may not run a migration" in refused.json()["detail"]

    bad_rows = CSV + b"H3,mined?,Synthetic bridge\n"
    stopped = api.client("admin").post(
        "/api/migration/run",
        files=_archive(bad_rows),
        data={"mapping": mapping, "dry_run": "false"},
    )
    assert stopped.status_code == 422
    assert stopped.json()["tables"][0]["rejected"][0]["row"] == 3
    assert api.store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0

    ran = api.client("admin").post(
        "/api/migration/run", files=_archive(), data={"mapping": mapping, "dry_run": "false"}
    )
    assert ran.status_code == 200 and ran.json()["committed"]
    assert api.store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 2
    entries = [e for e in api.accounts.store.list_audit() if e.action == "migrate"]
    assert [(e.actor, e.target, e.detail["landed"]) for e in entries] == [
        ("admin", "migration:hazards.csv", 2)
    ]


def test_an_imsma_ng_maxml_file_is_planned_as_uploaded(api: Api) -> None:
    """A single maXML export (.xml), not only a zip of them, is an archive the page takes."""
    sample = Path(__file__).parents[1] / "io" / "migration" / "imsma_ng" / "forms.xml"
    files = {"file": ("forms.xml", io.BytesIO(sample.read_bytes()), "application/xml")}
    answer = api.client("rev").post("/api/migration/plan", files=files)
    assert answer.status_code == 200, answer.text
    kinds = {t["kind"] for t in answer.json()["tables"]}
    assert {"hazardous_area", "accident", "victim"} <= kinds
