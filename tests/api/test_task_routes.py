"""Task orders over HTTP: issued by the authority, moved by the organisation (waiting for
review) and the authority, the board, the task's file, and its outline as an OGC API
Features collection. Synthetic data."""

from __future__ import annotations

from api_support import Api


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
    assert bad.status_code == 422 and "cannot become completed" in bad.text
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
