"""Refusals, validation and error answers in the request's language (issue 19): ``?lang``,
else the account's language, else ``Accept-Language``; the status, ``code`` and the
location's field stay codes, only the words change."""

from __future__ import annotations

import json

from api_support import Api


def test_a_missing_report_in_the_browsers_language(api: Api) -> None:
    worker = api.client("w1")
    english = worker.get("/api/reports/RPT-999999")
    assert english.status_code == 404
    assert english.json()["detail"] == "no report RPT-999999"
    assert english.headers["content-language"] == "en"

    french = worker.get("/api/reports/RPT-999999", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    body = french.json()
    assert french.status_code == 404 and body["code"] == "404"
    assert body["detail"] == body["description"] == "aucun rapport RPT-999999"
    assert french.headers["content-language"] == "fr"
    assert "Accept-Language" in french.headers["vary"]

    arabic = worker.get("/api/reports/RPT-999999", params={"lang": "ar"})
    assert arabic.json()["detail"] == "لا يوجد تقرير RPT-999999"


def test_the_accounts_language_wins_over_the_browser(api: Api) -> None:
    worker = api.client("w1")
    assert worker.put("/api/account/language", json={"language": "uk"}).status_code == 200
    answer = worker.get("/api/reports/RPT-999999", headers={"Accept-Language": "es"})
    assert answer.json()["detail"] == "немає звіту RPT-999999"
    spanish = worker.get("/api/reports/RPT-999999", params={"lang": "es"})
    assert spanish.json()["detail"] == "no hay informe RPT-999999"


def test_http_refusals_and_unreadable_requests_are_translated(api: Api) -> None:
    anon = api.client()
    anon.headers["Authorization"] = "Bearer not-a-token"
    refused = anon.get("/api/auth/me", headers={"Accept-Language": "es"})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "token desconocido, caducado o revocado"

    unreadable = api.client().get(
        "/api/vocabulary", params={"lang": "x" * 40}, headers={"Accept-Language": "fr"}
    )
    body = unreadable.json()
    assert unreadable.status_code == 422
    assert body["description"] == "query lang: le texte est trop long"
    assert body["detail"][0]["type"] == "string_too_long"  # pydantic's machine fields unchanged
    english = api.client().get("/api/vocabulary", params={"lang": "x" * 40})
    assert english.json()["description"].startswith("query lang: String should have at most")


def test_invalid_input_keeps_its_field_code(api: Api) -> None:
    worker = api.client("w1")
    answer = worker.put(
        "/api/account/language", json={"language": "tlh"}, headers={"Accept-Language": "fr"}
    )
    body = answer.json()
    assert answer.status_code == 422 and body["location"]["field"] == "language"
    assert body["detail"].startswith("aucun catalogue pour 'tlh' ; livrés : en, ")


def _areas(*statuses: str) -> bytes:
    ring = [[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01], [30, 50]]
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"NAME{i}", "status": status},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for i, status in enumerate(statuses)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_a_bad_uploaded_file_is_named_in_the_requests_language(api: Api) -> None:
    """A reader's refusal names the file as sent, the row and the field, in ``?lang``."""
    data = _areas("open", "open").replace(b"NAME1", b"caf\xe9")
    answers = {}
    for lang in ("en", "fr", "ar"):
        answer = api.client("w1").post(
            "/api/intake/geodata",
            params={"lang": lang},
            files={"file": ("areas.geojson", data)},
            data={"kind": "hazardous_area"},
        )
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-language"] == lang
        body = answer.json()
        assert body["location"] == {"file": "areas.geojson", "row": 2, "field": "name"}, body
        answers[lang] = body["detail"]
    assert "feature 2: name is not UTF-8 text (bytes e9 at byte 3)" in answers["en"]
    assert "entité 2 : name n’est pas du texte UTF-8 (octets e9 à l’octet 3)" in answers["fr"]
    assert "المعلم 2: name ليس نصًا بترميز UTF-8 (البايتات e9 عند البايت 3)" in answers["ar"]
    assert "minewatch-upload-" not in "".join(answers.values())  # the file as sent, not where


def test_rejected_values_are_explained_in_the_requests_language(api: Api) -> None:
    """A field check's reason in ``?lang``, in the refusal and in every rejected row; the
    rule and the codes the reason lists stay codes."""
    answer = api.client("w1").post(
        "/api/intake/geodata",
        params={"lang": "fr"},
        files={"file": ("areas.geojson", _areas("open", "mined?"))},
        data={"kind": "hazardous_area"},
    )
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["detail"].startswith("1 entités sur 2 rejetées, rien n’a été importé (première")
    [rejected] = body["rejected"]
    assert (rejected["file"], rejected["row"], rejected["field"]) == ("areas.geojson", 2, "status")
    assert rejected["reason"] == (
        "'mined?' ne fait pas partie de : open, suspended, closed, released"
    )
    preview = api.client("w1").post(
        "/api/intake/geodata/preview",
        params={"lang": "ar"},
        files={"file": ("areas.geojson", _areas("open", "mined?"))},
        data={"kind": "hazardous_area"},
    )
    [reason] = [r["reason"] for r in preview.json()["rejected"]]
    assert reason == "'mined?' ليست من بين: open, suspended, closed, released"
