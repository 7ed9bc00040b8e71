"""The field forms in the reader's language (issue 19, item 4): every form carries every
language's labels; the download's title (``form_title``) and opening language
(``default_language``) follow ``?lang``, the account or the browser, and stay valid under
pyxform."""

from __future__ import annotations

from pathlib import Path

from api_support import Api

from minewatch.forms.build import read_sheets
from minewatch.services.forms import check_form


def test_a_form_titled_and_opening_in_arabic_is_valid(api: Api, tmp_path: Path) -> None:
    worker = api.client("w1")
    english = worker.get("/api/forms/minewatch_accident.xlsx")
    assert english.status_code == 200
    arabic = worker.get("/api/forms/minewatch_accident.xlsx", headers={"Accept-Language": "ar"})
    assert arabic.status_code == 200 and arabic.headers["content-language"] == "ar"
    assert "minewatch_accident.ar.xlsx" in arabic.headers["content-disposition"]
    path = tmp_path / "accident.ar.xlsx"
    path.write_bytes(arabic.content)
    settings = read_sheets(path)["settings"]
    assert settings[1][0] == "حادث ذخائر متفجرة وضحاياه"
    assert settings[1][-1] == "العربية (ar)"
    assert check_form(path).form_id == "minewatch_accident"  # pyxform accepts it
    (tmp_path / "accident.en.xlsx").write_bytes(english.content)
    english_sheets = read_sheets(tmp_path / "accident.en.xlsx")
    assert english_sheets["settings"][1][0] == "Explosive ordnance accident and victims"
    assert english_sheets["survey"] == read_sheets(path)["survey"]  # the same labels


def test_the_list_of_forms_in_the_accounts_language(api: Api) -> None:
    worker = api.client("w1")
    worker.put("/api/account/language", json={"language": "fr"})
    titles = {f["form_id"]: f["title"] for f in worker.get("/api/forms").json()["forms"]}
    assert titles["minewatch_qm_visit"] == "Visite de gestion de la qualité"
    spanish = worker.get("/api/forms/minewatch_qm_visit.xlsx", params={"lang": "es"})
    assert spanish.headers["content-language"] == "es"
