"""Task orders over HTTP: issued by the authority, moved by the organisation (waiting for
review) and the authority, the board, the task's file, and its outline as an OGC API
Features collection. Synthetic data."""

from __future__ import annotations

import re

from api_support import SQUARE, Api


def test_tasks_over_http(api: Api) -> None:
    area = api.approved("w1", organisation_code="ORG-1")
    body = {
        "hazardous_area_codes": [area],
        "organisation_code": "ORG-1",
        "issue_date": "2024-03-02",
        "due_date": "2024-09-30",
        "activity_type": "clearance",
        "method": "manual",
        "name": "Synthetic task",
    }
    assert api.client("w1").post("/api/tasks", json=body).status_code == 403
    made = api.client("rev").post("/api/tasks", json=body)
    assert made.status_code == 201, made.text
    task = made.json()
    assert (task["code"], task["status"], task["next"]) == (
        "TSK-000001",
        "issued",
        ["accepted", "cancelled"],
    )
    assert task["priority_rank"] == 1 and task["priority_scenario"]

    # the organisation's own move waits for review; another organisation may not move it
    move = {"status": "accepted", "date": "2024-03-04"}
    assert api.client("w2").post("/api/tasks/TSK-000001/status", json=move).status_code == 403
    waiting = api.client("w1").post("/api/tasks/TSK-000001/status", json=move)
    assert waiting.status_code == 200 and waiting.json()["status"] == "issued"
    [history] = [h for h in waiting.json()["history"] if h["state"] == "submitted"]
    api.workflow("rev2").approve(history["report"])
    bad = api.client("rev").post(
        "/api/tasks/TSK-000001/status", json={"status": "completed", "date": "2024-03-05"}
    )
    assert bad.status_code == 422 and "cannot become completed" in bad.text.lower()
    # the refusal in the reader's language: the statuses by their labels, the field a code
    arabic = api.client("rev").post(
        "/api/tasks/TSK-000001/status?lang=ar", json={"status": "completed", "date": "2024-03-05"}
    )
    problem = arabic.json()
    assert arabic.status_code == 422 and arabic.headers["content-language"] == "ar"
    assert problem["detail"].startswith("لا يمكن لمهمة حالتها مقبول أن تصبح مكتمل؛"), problem
    assert not re.search(r"[A-Za-z]", problem["detail"]), problem
    assert problem["location"]["field"] == "status"
    api.client("rev").post(
        "/api/tasks/TSK-000001/status", json={"status": "in_progress", "date": "2024-03-05"}
    )

    board = api.client().get("/api/tasks").json()
    in_progress = next(c for c in board["columns"] if c["status"] == "in_progress")
    assert [t["code"] for t in in_progress["tasks"]] == ["TSK-000001"]
    file = api.client("rev").get("/api/tasks/TSK-000001").json()
    assert [(h["status"], h["by"]) for h in file["history"]] == [
        ("issued", "rev"),
        ("accepted", "w1"),
        ("in_progress", "rev"),
    ]
    # the public sees the task, not the reports behind it (who reported is internal)
    public = api.client().get("/api/tasks/TSK-000001").json()
    assert public["status"] == "in_progress" and public["history"] == []
    assert api.client().get("/api/tasks/TSK-000404").status_code == 404

    feature = api.client().get("/ogc/collections/task_orders/items/TSK-000001").json()
    assert feature["properties"]["status"] == "in_progress"
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_a_task_followed_from_order_to_release_over_http(api: Api) -> None:
    """The issue's check through the API: issued, accepted, in progress, the work reported
    naming the task (an activity and the land it cleared, each through the report workflow),
    completed; completion records the accounting and gives the area the status released.
    Refusals carry a stable rule code beside their words."""
    area = api.approved("w1", organisation_code="ORG-1")
    rev, w1 = api.client("rev"), api.client("w1")
    body = {
        "hazardous_area_codes": [area],
        "organisation_code": "ORG-1",
        "issue_date": "2024-03-02",
        "activity_type": "clearance",
        "method": "manual",
    }
    code = rev.post("/api/tasks", json=body).json()["code"]
    move = rev.post(f"/api/tasks/{code}/status", json={"status": "suspended", "date": "2024-03-03"})
    assert move.status_code == 422 and move.json()["rule"] == "task_status_move"
    for status, day in (("accepted", "2024-03-03"), ("in_progress", "2024-03-04")):
        assert (
            rev.post(f"/api/tasks/{code}/status", json={"status": status, "date": day}).json()[
                "status"
            ]
            == status
        )
    early = rev.post(
        f"/api/tasks/{code}/status", json={"status": "completed", "date": "2024-03-05"}
    )
    assert early.status_code == 422 and early.json()["rule"] == "task_completion_without_work"
    unsaid = rev.post(
        f"/api/tasks/{code}/status", json={"status": "cancelled", "date": "2024-03-05"}
    )
    assert unsaid.json()["rule"] == "task_status_reason"
    by_worker = w1.post(
        f"/api/tasks/{code}/status", json={"status": "completed", "date": "2024-03-05"}
    )
    assert by_worker.status_code == 403 and by_worker.json()["rule"] == "task_status_authority_only"

    def reported(kind: str, changes: dict, geometry: dict | None = None) -> str:
        draft = {"kind": kind, "date_of_information": "2024-04-20", "changes": changes}
        made = w1.post("/api/reports", json=draft | ({"geometry": geometry} if geometry else {}))
        assert made.status_code == 201, made.text
        assert w1.post(f"/api/reports/{made.json()['code']}/submit").status_code == 200
        approved = rev.post(f"/api/reports/{made.json()['code']}/approve").json()
        return approved["item_code"]

    work = {"hazardous_area_code": area, "organisation_code": "ORG-1"}
    activity = reported(
        "land_release_activity",
        work
        | {
            "activity_type": "clearance",
            "method": "manual",
            "task_order_code": code,
            "start_date": "2024-03-04",
            "end_date": "2024-04-20",
        },
    )
    reported(
        "release_product",
        work | {"product_type": "cleared", "activity_code": activity, "release_date": "2024-04-20"},
        SQUARE,
    )
    done = rev.post(f"/api/tasks/{code}/status", json={"status": "completed", "date": "2024-04-25"})
    assert done.status_code == 200, done.text
    task = done.json()
    assert task["status"] == "completed" and task["remaining_m2"] == 0 and task["released_m2"] > 0
    assert [a["code"] for a in task["activities"]] == [activity]
    released = api.client().get(f"/api/items/hazardous_area/{area}").json()["properties"]
    assert released["status"] == "released"
    closed = rev.post(
        f"/api/tasks/{code}/status", json={"status": "in_progress", "date": "2024-05-01"}
    )
    assert closed.status_code == 422 and closed.json()["rule"] == "task_status_move"
