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


def test_the_language_follows_the_parameter_the_account_then_the_browser(api: Api) -> None:
    anon = api.client()
    assert anon.get("/api/vocabulary", params={"lang": "fr"}).json()["locale"] == "fr"
    arabic = anon.get("/api/vocabulary", headers={"Accept-Language": "ar-IQ,ar;q=0.9,en;q=0.5"})
    assert arabic.json()["direction"] == "rtl"
    assert arabic.json()["enums"]["HazardType"]["ap_mines"] == "ألغام مضادة للأفراد"

    worker = api.client("w1")
    assert worker.get("/api/auth/me").json()["language"] is None
    chosen = worker.put("/api/account/language", json={"language": "uk"})
    assert chosen.status_code == 200 and chosen.json() == {"language": "uk"}
    assert worker.get("/api/auth/me").json()["language"] == "uk"
    answer = worker.get("/api/vocabulary", headers={"Accept-Language": "es"})
    assert answer.json()["locale"] == "uk"  # the account wins over the browser
    assert answer.json()["messages"]["Approve"] == "Затвердити"
    assert worker.get("/api/vocabulary", params={"lang": "es"}).json()["locale"] == "es"

    refused = worker.put("/api/account/language", json={"language": "tlh"})
    assert refused.status_code == 422 and "language" in refused.text
    assert worker.put("/api/account/language", json={"language": None}).json() == {"language": None}
    assert worker.get("/api/vocabulary", headers={"Accept-Language": "es"}).json()["locale"] == "es"
    assert anon.put("/api/account/language", json={"language": "fr"}).status_code in (401, 403)
