"""A task followed from its order to the release of its land on the command line (issue 18):
``task issue`` with the prioritisation's rank, ``task status`` through accepted and in
progress, the work imported naming the task (``import``), ``task status … completed``
closing the loop into land release, and the refusals. All data here are synthetic."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from shapely import box

from minewatch.cli import _register_commands, main
from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow
from minewatch.store import open_store

_register_commands()
FIELD = box(30.0, 50.0, 30.004, 50.003)


def run(capsys, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    try:
        main(list(args))
        code = 0
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    out = capsys.readouterr()
    return code, out.out + out.err


def _programme(path: Path) -> str:
    store = open_store(str(path), create=True)
    wf = Workflow(store, local_admin("nmac"))
    wf.create_drafts(
        [
            Draft(Kind.ORGANISATION, {"name": "Synthetic authority"}, date(2024, 1, 1)),
            Draft(Kind.ORGANISATION, {"name": "Synthetic operator"}, date(2024, 1, 1)),
        ],
        state=ReportState.APPROVED,
    )
    wf.create_drafts(
        [
            Draft(
                Kind.HAZARDOUS_AREA,
                {"name": "Synthetic field", "status": "open", "organisation_code": "ORG-000002"},
                date(2024, 1, 5),
                FIELD,
            )
        ],
        state=ReportState.APPROVED,
    )
    return str(path)


def test_a_task_followed_from_order_to_release_on_the_command_line(
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    store = _programme(tmp_path / "tasks.gpkg")
    code, out = run(capsys, "task", "issue", "--store", store, "--area", "HA-000001",
                    "--organisation", "ORG-000002", "--type", "clearance", "--method", "manual",
                    "--issued", "2024-02-01", "--due", "2024-06-30")  # fmt: skip
    assert code == 0, out
    task = json.loads(run(capsys, "task", "show", "TSK-000001", "--store", store)[1])
    assert task["status"] == "issued" and task["priority_rank"] == 1  # the only open area

    code, out = run(capsys, "task", "status", "TSK-000001", "completed", "--store", store,
                    "--on", "2024-02-02")  # fmt: skip
    assert code == 2 and "cannot become completed" in out.lower()
    for status, day in (("accepted", "2024-02-03"), ("in_progress", "2024-03-01")):
        code, out = run(capsys, "task", "status", "TSK-000001", status, "--store", store,
                        "--on", day)  # fmt: skip
        assert code == 0, out
    code, out = run(capsys, "task", "status", "TSK-000001", "completed", "--store", store,
                    "--on", "2024-04-01")  # fmt: skip
    assert code == 2 and "no approved activity names TSK-000001" in out

    # the completion report: the activity naming the task, and the land it cleared
    work = {"hazardous_area_code": "HA-000001", "organisation_code": "ORG-000002"}
    activity = work | {"activity_type": "clearance", "method": "manual",
                       "task_order_code": "TSK-000001",
                       "start_date": "2024-03-01", "end_date": "2024-04-20"}  # fmt: skip
    product = work | {"product_type": "cleared", "activity_code": "LRA-000001",
                      "release_date": "2024-04-20"}  # fmt: skip
    activities, products = tmp_path / "activities.geojson", tmp_path / "cleared.geojson"
    for path, properties, geometry in (
        (activities, activity, FIELD.__geo_interface__),  # the worksite
        (products, product, FIELD.__geo_interface__),
    ):
        feature = {"type": "Feature", "properties": properties, "geometry": geometry}
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    for path, kind in ((activities, "land_release_activity"), (products, "release_product")):
        code, out = run(capsys, "import", str(path), "--store", store, "--kind", kind,
                        "--state", "approved", "--doi", "2024-04-20")  # fmt: skip
        assert code == 0, out

    code, out = run(capsys, "task", "status", "TSK-000001", "completed", "--store", store,
                    "--on", "2024-04-25")  # fmt: skip
    assert code == 0, out
    done = json.loads(run(capsys, "task", "show", "TSK-000001", "--store", store)[1])
    assert done["status"] == "completed" and done["remaining_m2"] == 0
    assert done["released_m2"] == round(done["areas"][0]["original_m2"], 1) > 0
    assert [a["code"] for a in done["activities"]] == ["LRA-000001"]
    code, out = run(capsys, "list", "hazardous_area", "--store", store, "--format", "json")
    assert [a["status"] for a in json.loads(out)] == ["released"]
    code, out = run(capsys, "task", "status", "TSK-000001", "in_progress", "--store", store,
                    "--on", "2024-05-01")  # fmt: skip
    assert code == 2 and "it is closed" in out
