"""``minewatch intake pull`` against a local server answering as KoboToolbox and ODK Central
do (tests/pull/conftest.py: built from their public documentation; synthetic data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from minewatch.config import NationalConfig, load_config
from minewatch.domain.queries import ReportQuery
from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput, NotFound, PermissionDenied, ServerUnavailable
from minewatch.services.intake_pull import pull_submissions
from minewatch.services.records import Workflow

from .conftest import (
    ASSET,
    FORM,
    KOBO_TOKEN,
    ODK_EMAIL,
    ODK_PASSWORD,
    PROJECT,
    Replay,
    kobo_accident,
    odk_accident,
)

ENV = {"KOBO_TOKEN": KOBO_TOKEN, "CENTRAL_PASSWORD": ODK_PASSWORD}


def _config(tmp_path: Path, replay: Replay, **extra: Any) -> NationalConfig:
    page = extra.get("page_size", 1000)
    text = f"""
[intake.sources.kobo]
server = "kobo"
url = "{replay.base}"
asset = "{extra.get("asset", ASSET)}"
token_env = "KOBO_TOKEN"
page_size = {page}

[intake.sources.central]
server = "odk"
url = "{replay.base}"
project = {PROJECT}
xml_form_id = "{FORM}"
email = "{ODK_EMAIL}"
password_env = "CENTRAL_PASSWORD"
page_size = {page}
"""
    path = tmp_path / "national.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _pull(wf: Workflow, cfg: NationalConfig, name: str, tmp_path: Path, **kw: Any) -> Any:
    env = kw.pop("environ", ENV)
    return pull_submissions(
        wf, cfg, name, environ=env, attachments_dir=tmp_path / "attachments", **kw
    )


def _reports(wf: Workflow) -> list[Any]:
    return wf.store.list_reports(ReportQuery())


def _review_all(wf: Workflow) -> None:
    """A reviewer approves every draft (accidents before their victims)."""
    for report in sorted(_reports(wf), key=lambda r: (r.kind is Kind.VICTIM, r.code)):
        if report.state.value == "draft":
            wf.submit(report.code or "")
            wf.approve(report.code or "")


def test_kobo_pull_lands_new_submissions_with_files_then_only_newer_ones(
    workflow: Workflow, replay: Replay, tmp_path: Path
) -> None:
    replay.kobo[ASSET] = [
        kobo_accident(replay, 1, "2024-08-01T09:00:00", photo=True),
        kobo_accident(replay, 2, "2024-08-02T09:00:00"),
    ]
    cfg = _config(tmp_path, replay)
    first = _pull(workflow, cfg, "kobo", tmp_path)
    assert first.since is None and first.fetched == 2
    assert [r.kind.value for r in first.intake.created] == [
        "accident",
        "accident",
        "victim",
        "victim",
    ]
    saved = Path(first.files_saved[0])
    assert saved.read_bytes().startswith(b"\xff\xd8synthetic-jpeg-1")
    assert saved.parent.parent == tmp_path / "attachments" / "kobo"
    accident = next(r for r in first.intake.created if r.external_id.endswith("000000000001"))
    assert any(f"[saved as {saved}]" in n for n in accident.notes)
    assert first.watermark == "2024-08-02T09:00:00"
    state = workflow.store.pull_states().get("kobo")
    assert state is not None and state.watermark == "2024-08-02T09:00:00"
    assert state.submissions == 2 and KOBO_TOKEN not in state.address

    replay.kobo[ASSET].append(kobo_accident(replay, 3, "2024-08-03T09:00:00"))
    second = _pull(workflow, cfg, "kobo", tmp_path)
    # the server was asked only for what came since, and the submission at the watermark
    # (asked again, as the filter is >=) is skipped
    asked = [(q, h) for _m, path, q, h in replay.log if path.endswith("/data/") and "query" in q]
    query, headers = asked[-1]
    assert '"$gte": "2024-08-02T09:00:00"' in query["query"][0]
    assert headers["Authorization"] == f"Token {KOBO_TOKEN}"
    assert second.fetched == 2 and len(second.intake.skipped) == 1
    assert [r.item_code for r in second.intake.created] == ["ACC-000003", "VIC-000003"]
    assert len(_reports(workflow)) == 6


def test_kobo_edit_becomes_reports_on_the_same_items(
    workflow: Workflow, replay: Replay, tmp_path: Path
) -> None:
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00")]
    cfg = _config(tmp_path, replay)
    _pull(workflow, cfg, "kobo", tmp_path)
    # edited on the server: a new meta/instanceID, the same rootUuid and _submission_time
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00", sex="male", version=1)]
    early = _pull(workflow, cfg, "kobo", tmp_path)  # the first version is not reviewed yet
    assert early.intake.created == [] and list(early.intake.waiting.values()) == ["RPT-000001"]
    assert early.watermark == "2024-08-01T09:00:00"
    _review_all(workflow)
    full = _pull(workflow, cfg, "kobo", tmp_path, full=True)  # lands once reviewed
    assert list(full.intake.edited.values()) == ["ACC-000001"]
    landed = full.intake.created
    assert sorted((r.item_code, r.action.value) for r in landed) == [
        ("ACC-000001", "update"),
        ("VIC-000001", "update"),
    ]
    victim = next(r for r in landed if r.kind is Kind.VICTIM)
    assert victim.changes["sex"] == "male"
    again = _pull(workflow, cfg, "kobo", tmp_path, full=True)
    assert again.intake.created == [] and len(again.intake.skipped) == 1
    assert len(_reports(workflow)) == 4


def test_kobo_incremental_pull_finds_edits_to_older_submissions(
    workflow: Workflow, replay: Replay, tmp_path: Path
) -> None:
    """No --full: the pull lists every submission's IDs alone and fetches whole only those
    whose version is not the one landed (KoboToolbox has no time of edit to filter on)."""
    replay.kobo[ASSET] = [
        kobo_accident(replay, 1, "2024-08-01T09:00:00"),
        kobo_accident(replay, 2, "2024-08-02T09:00:00"),
    ]
    cfg = _config(tmp_path, replay)
    _pull(workflow, cfg, "kobo", tmp_path)
    _review_all(workflow)
    # submission 1 (older than the watermark) edited on the server; nothing new sent
    replay.kobo[ASSET][0] = kobo_accident(replay, 1, "2024-08-01T09:00:00", sex="male", version=1)
    del replay.log[:]
    edits = _pull(workflow, cfg, "kobo", tmp_path)
    assert list(edits.intake.edited.values()) == ["ACC-000001"]
    assert sorted((r.item_code, r.action.value) for r in edits.intake.created) == [
        ("ACC-000001", "update"),
        ("VIC-000001", "update"),
    ]
    asked = [q for _m, path, q, _h in replay.log if path.endswith("/data/")]
    # since the watermark; the IDs of all; the edited one whole, by its _id
    assert '"$gte": "2024-08-02T09:00:00"' in asked[0]["query"][0]
    assert json.loads(asked[1]["fields"][0]) == ["_id", "_uuid", "meta/instanceID", "meta/rootUuid"]
    assert json.loads(asked[2]["query"][0]) == {"_id": {"$in": [7001]}}
    assert edits.watermark == "2024-08-02T09:00:00"
    # pulled again: the versions landed match the server's, nothing more is fetched whole
    del replay.log[:]
    again = _pull(workflow, cfg, "kobo", tmp_path)
    assert again.intake.created == [] and len(again.intake.skipped) == 1
    assert len([p for _m, p, _q, _h in replay.log if p.endswith("/data/")]) == 2


def test_odk_pull_pages_files_and_edits(workflow: Workflow, replay: Replay, tmp_path: Path) -> None:
    key = (PROJECT, FORM)
    replay.odk[key] = [
        odk_accident(1, "2024-08-01T09:00:00.000Z", files=1),
        odk_accident(2, "2024-08-01T10:00:00.000Z"),
        odk_accident(3, "2024-08-01T11:00:00.000Z"),
    ]
    replay.odk_files[replay.odk[key][0]["__id"]] = {"sketch.jpg": b"\xff\xd8synthetic-sketch"}
    cfg = _config(tmp_path, replay, page_size=2)
    first = _pull(workflow, cfg, "central", tmp_path)
    assert first.fetched == 3 and len(first.intake.created) == 6
    pages = [q for m, p, q, h in replay.log if p.endswith(".svc/Submissions")]
    assert len(pages) == 2 and pages[1]["$skip"] == ["2"]  # followed @odata.nextLink
    assert [Path(f).name for f in first.files_saved] == ["sketch.jpg"]
    assert replay.log[-1][0] == "DELETE"  # the session is closed
    assert first.watermark == "2024-08-01T11:00:00.000Z"
    _review_all(workflow)

    # accident 2 edited on Central: a second victim added, the first one's sex corrected
    edited = odk_accident(
        2,
        "2024-08-01T10:00:00.000Z",
        updated="2024-08-05T08:00:00.000Z",
        sex="male",
        version=1,
        victims=2,
    )
    replay.odk[key][1] = edited
    second = _pull(workflow, cfg, "central", tmp_path)
    assert "__system/updatedAt ge 2024-08-01T11:00:00.000Z" in replay.log[-2][2]["$filter"][0]
    assert second.fetched == 2  # the edit, and accident 3 at the watermark
    assert second.intake.edited == {edited["__id"]: "ACC-000002"}
    made = sorted((r.kind.value, r.item_code, r.action.value) for r in second.intake.created)
    assert made == [
        ("accident", "ACC-000002", "update"),
        ("victim", "VIC-000002", "update"),
        ("victim", "VIC-000004", "create"),
    ]
    new_victim = next(r for r in second.intake.created if r.item_code == "VIC-000004")
    assert new_victim.changes["accident_code"] == "ACC-000002"
    assert workflow.store.pull_states().get("central").watermark == "2024-08-05T08:00:00.000Z"
    assert _pull(workflow, cfg, "central", tmp_path).intake.created == []


def test_a_rejected_submission_is_offered_again_until_fixed(
    workflow: Workflow, replay: Replay, tmp_path: Path
) -> None:
    replay.kobo[ASSET] = [
        kobo_accident(replay, 1, "2024-08-01T09:00:00", sex="unsure"),
        kobo_accident(replay, 2, "2024-08-02T09:00:00"),
    ]
    cfg = _config(tmp_path, replay)
    first = _pull(workflow, cfg, "kobo", tmp_path)
    assert [r.field for r in first.intake.rejected] == ["victims[1]/victim_sex"]
    assert first.watermark == "2024-08-01T09:00:00"  # held back at the rejected one
    replay.kobo[ASSET][0] = kobo_accident(replay, 1, "2024-08-01T09:00:00", version=1)
    second = _pull(workflow, cfg, "kobo", tmp_path)
    assert [r.item_code for r in second.intake.created] == ["ACC-000002", "VIC-000002"]
    assert second.intake.rejected == [] and second.watermark == "2024-08-02T09:00:00"


def test_dry_run_writes_nothing(workflow: Workflow, replay: Replay, tmp_path: Path) -> None:
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00", photo=True)]
    result = _pull(workflow, _config(tmp_path, replay), "kobo", tmp_path, dry_run=True)
    assert result.fetched == 1 and not result.intake.committed
    assert _reports(workflow) == [] and workflow.store.pull_states().get("kobo") is None
    assert not (tmp_path / "attachments").exists()


@pytest.mark.parametrize(
    ("fault", "source", "error", "words"),
    [
        ("token", "kobo", PermissionDenied, "refused the credentials (401)"),
        ("password", "central", PermissionDenied, "refused the credentials (401)"),
        ("asset", "kobo", NotFound, "has nothing at"),
        ("malformed", "kobo", InvalidInput, "not JSON"),
        ("malformed", "central", InvalidInput, "not JSON"),
        ("500", "central", ServerUnavailable, "failed (500)"),
        ("drop", "kobo", ServerUnavailable, "cannot reach KoboToolbox"),
        ("env", "kobo", InvalidInput, "environment variable KOBO_TOKEN is not set"),
    ],
)
def test_failures_are_told_plainly_and_write_nothing(
    workflow: Workflow,
    replay: Replay,
    tmp_path: Path,
    fault: str,
    source: str,
    error: type[Exception],
    words: str,
) -> None:
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00", photo=True)]
    replay.odk[(PROJECT, FORM)] = [odk_accident(1, "2024-08-01T09:00:00.000Z")]
    env = dict(ENV)
    cfg = _config(tmp_path, replay, asset="aMissing" if fault == "asset" else ASSET)
    if fault == "token":
        env["KOBO_TOKEN"] = "wrong-token"
    elif fault == "password":
        env["CENTRAL_PASSWORD"] = "wrong-password"
    elif fault == "env":
        del env["KOBO_TOKEN"]
    elif fault in ("malformed", "500", "drop"):
        replay.fault = fault
    with pytest.raises(error) as caught:
        _pull(workflow, cfg, source, tmp_path, environ=env)
    message = str(caught.value)
    assert words in message
    for secret in (KOBO_TOKEN, ODK_PASSWORD, "wrong-token", "wrong-password"):
        assert secret not in message
    assert _reports(workflow) == [] and workflow.store.pull_states().get(source) is None
    assert not (tmp_path / "attachments").exists()


def test_a_source_not_configured_is_named(
    workflow: Workflow, replay: Replay, tmp_path: Path
) -> None:
    with pytest.raises(NotFound, match=r"no intake source 'kobo-nts'.*known: central, kobo"):
        _pull(workflow, _config(tmp_path, replay), "kobo-nts", tmp_path)


def test_credentials_file_and_config_checks(tmp_path: Path) -> None:
    secret = tmp_path / "secrets" / "kobo.token"
    secret.parent.mkdir()
    secret.write_text(f"{KOBO_TOKEN}\n", encoding="utf-8")
    path = tmp_path / "national.toml"
    path.write_text(
        '[intake.sources.k]\nserver = "kobo"\nurl = "https://kf.example.org"\nasset = "a1"\n'
        'credentials_file = "secrets/kobo.token"\n',
        encoding="utf-8",
    )
    from minewatch.services.intake_pull import pull_source, read_secret

    cfg = load_config(path)
    assert read_secret("k", pull_source(cfg, "k"), {}) == KOBO_TOKEN
    path.write_text(
        '[intake.sources.k]\nserver = "odk"\nurl = "https://central.example.org"\nproject = 3\n'
        'xml_form_id = "f"\nemail = "a@example.org"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="no credentials: give password_env or credentials_file"):
        load_config(path)
