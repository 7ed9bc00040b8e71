"""Bad bytes and oversized input at the command line: a clear message naming the file, row
and field, exit code 2, no traceback, and nothing written (synthetic files)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from minewatch.cli import main
from minewatch.store import ReportQuery, open_store


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return int(stop.value.code or 0), out.err


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "store.gpkg")
    open_store(path, create=True).close()
    return path


def _areas(name: bytes) -> bytes:
    ring = [[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01], [30, 50]]
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"NAME{i}", "status": "open"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for i in range(2)
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return text.replace(b"NAME1", name)


def test_invalid_utf8_in_a_geojson_property(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "areas.geojson"
    source.write_bytes(_areas(b"caf\xe9"))
    code, err = run(["import", str(source), "--kind", "hazardous_area", "-s", store], capsys)
    assert code == 2
    assert "areas.geojson, row 2, field name" in err and "not UTF-8" in err
    assert open_store(store).list_reports(ReportQuery()) == []


def test_a_damaged_workbook_is_an_input_error(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str], sf: object
) -> None:
    good = sf.kobo_accident_xlsx(tmp_path)  # type: ignore[attr-defined]
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:  # the first byte of a part's deflate stream
        part = archive.getinfo("docProps/core.xml")
    start = part.header_offset + 30 + len(part.filename.encode()) + len(part.extra)
    data[start] = 0  # zlib fails inside openpyxl: "invalid stored block lengths"
    damaged = tmp_path / "kobo_accident.xlsx"
    damaged.write_bytes(bytes(data))
    code, err = run(["intake", "import", str(damaged), "-s", store], capsys)
    assert code == 2 and "kobo_accident.xlsx" in err
    assert open_store(store).list_reports(ReportQuery()) == []


def test_the_vertex_limit_is_national_configuration(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "national.toml"
    config.write_text("[geometry]\nmax_vertices = 40\n")
    monkeypatch.setenv("MINEWATCH_CONFIG", str(config))
    ring = [[30 + i / 10_000, 50 + (i % 2) / 10_000] for i in range(60)]
    ring = [*ring, [30.006, 50.01], [30, 50.01], ring[0]]
    areas = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "zigzag", "status": "open"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    source = tmp_path / "zigzag.geojson"
    source.write_text(json.dumps(areas))
    code, err = run(["import", str(source), "--kind", "hazardous_area", "-s", store], capsys)
    assert code == 2
    assert "63 vertices, more than the 40 allowed" in err and "geometry.max_vertices" in err
    assert open_store(store).list_reports(ReportQuery()) == []


def test_invalid_utf8_deep_in_a_csv(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the 64 KiB the delimiter is guessed from: pandas finds it only in a later block."""
    square = '"POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50.01, 30 50))"'
    rows = "".join(f"A{i},Area {i},open,{square}\n" for i in range(2000)).encode()
    source = tmp_path / "late.csv"
    source.write_bytes(b"ref,name,status,wkt\n" + rows + b"B1,caf\xe9,open," + square.encode())
    code, err = run(["import", str(source), "--kind", "hazardous_area", "-s", store], capsys)
    assert code == 2 and "late.csv, row 2002" in err and "not UTF-8" in err
    assert open_store(store).list_reports(ReportQuery()) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "areas.geojson, ligne 2, champ name : entité 2 : name n’est pas du texte UTF-8"),
        ("ar", "areas.geojson، الصف 2، الحقل name: المعلم 2: name ليس نصًا بترميز UTF-8"),
    ],
)
def test_a_bad_file_is_named_in_the_readers_language(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    """The file, row and field of the bad value and the words around them in --lang (issue 19);
    the values stay as they were."""
    source = tmp_path / "areas.geojson"
    source.write_bytes(_areas(b"caf\xe9"))
    argv = ["--lang", lang, "import", str(source), "--kind", "hazardous_area", "-s", store]
    code, err = run(argv, capsys)
    err = " ".join(err.split())  # the console wraps long lines
    assert code == 2
    assert expected in err, err
    assert "not UTF-8" not in err and "e9" in err


def test_a_rejected_value_is_explained_in_the_readers_language(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field check's reason (``'mined?' is not one of: …``) in --lang, in the refusal and
    in the list of rejected rows; the codes it lists stay codes."""
    source = tmp_path / "areas.geojson"
    source.write_bytes(_areas(b"Area B").replace(b'"open"}', b'"mined?"}', 1))
    argv = ["--lang", "ar", "import", str(source), "--kind", "hazardous_area", "-s", store]
    code, err = run(argv, capsys)
    err = " ".join(err.split())  # the console wraps long lines
    assert code == 2
    assert "areas.geojson، الصف 1، الحقل status: 'mined?' ليست من بين: open, suspended" in err, err
    assert "رُفض 1 من 2 معالم، ولم يُستورد شيء" in err, err
    assert "is not one of" not in err
    assert open_store(store).list_reports(ReportQuery()) == []


def test_the_reject_file_gives_its_reasons_in_the_readers_language(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --keep-going the good row lands and the reject file says why the other did not,
    in --lang; its rules stay codes."""
    import pandas as pd

    source = tmp_path / "areas.geojson"
    source.write_bytes(_areas(b"Area B").replace(b'"open"}', b'"mined?"}', 1))
    rejects = tmp_path / "rejects.csv"
    argv = ["--lang", "fr", "import", str(source), "--kind", "hazardous_area", "-s", store]
    main([*argv, "--keep-going", "--rejects", str(rejects)])  # lands the good row
    [row] = pd.read_csv(rejects).to_dict("records")
    assert row["reject_reasons"] == (
        "status: 'mined?' ne fait pas partie de : open, suspended, closed, released"
    )
    assert row["reject_rules"] == "field_value"
