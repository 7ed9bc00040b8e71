"""Accreditation over HTTP: the finding on the review screen, the accreditations and the
work outside them for quality management, as JSON and CSV. Synthetic data."""

from __future__ import annotations

from api_support import Api

from minewatch.domain.records import Kind


def test_unaccredited_work_is_flagged_for_review_and_quality_management(api: Api) -> None:
    lra = api.submitted(
        "w1",
        kind=Kind.LAND_RELEASE_ACTIVITY,
        activity_type="clearance",
        method="mechanical",
        organisation_code="ORG-1",
        start_date="2024-02-20",
    )
    review = api.client("rev").get(f"/api/reports/{lra}/review").json()
    [note] = [n for n in review["notes"] if n["rule"] == "accreditation"]
    assert note["severity"] == "warning"
    assert note["message"] == "ORG-1 holds no accreditation valid on 2024-02-20 for mechanical"
    api.workflow("rev2").approve(lra)
    flagged = api.client("rev").get("/api/qm/accreditation?year=2024").json()
    assert [(r["code"], r["method"]) for r in flagged] == [("LRA-000001", "mechanical")]
    # the problem in the reader's language, the method by its label; the codes unchanged
    arabic = api.client("rev").get("/api/qm/accreditation?year=2024&lang=ar").json()
    assert arabic[0]["method"] == "mechanical"
    assert arabic[0]["problem"] == "لا تحمل ORG-1 أي اعتماد صالح في 2024-02-20 لـ آلي"
    assert api.client("rev").get("/api/qm/accreditation?year=2023").json() == []
    csv = api.client("rev").get("/api/qm/accreditation.csv").text.splitlines()
    assert csv[0] == "code,kind,organisation_code,activity_type,method,product_type,date,problem"

    api.approved(
        "w1",
        kind=Kind.ACCREDITATION,
        organisation_code="ORG-1",
        methods=["mechanical"],
        valid_from="2024-01-01",
        certificate_reference="SYN/1",
    )
    assert api.client("rev").get("/api/qm/accreditation").json() == []
    rows = api.client().get("/api/accreditations?organisation=ORG-1&on=2030-01-01").json()
    assert [(r["methods"], r["valid_until"], r["in_force"]) for r in rows] == [
        (["mechanical"], None, True)
    ]
    assert api.client().get("/api/accreditations?on=someday").status_code == 422
    text = api.client().get("/api/accreditations.csv").text
    assert "ORG-1,mechanical,," in text
