"""GET /api/vocabulary: the labels and messages in the asked language, open to everyone."""

from __future__ import annotations

from api_support import Api


def test_vocabulary_in_english_by_default(api: Api) -> None:
    answer = api.client().get("/api/vocabulary")
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["locale"] == "en" and doc["direction"] == "ltr"
    assert doc["enums"]["HazardType"]["uxo_axo"] == "Unexploded or abandoned ordnance"
    assert doc["fields"]["hazardous_area"]["reported_area_m2"] == "Reported area"
    assert doc["large_area_unit"] == "ha"
    assert answer.headers["content-language"] == "en"


def test_an_unknown_language_falls_back_to_english(api: Api) -> None:
    answer = api.client().get("/api/vocabulary", params={"lang": "xx-YY"})
    assert answer.status_code == 200 and answer.json()["locale"] == "en"
    browser = api.client().get("/api/vocabulary", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert browser.json()["locale"] == "en"


def test_a_language_tag_too_long_is_refused(api: Api) -> None:
    assert api.client().get("/api/vocabulary", params={"lang": "x" * 40}).status_code == 422
