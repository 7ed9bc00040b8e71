"""Every bad byte is a clear error: uploads of field-form exports and geodata files with
hostile content (invalid UTF-8, NaN and infinite numbers, impossible coordinates, random
bytes anywhere in the file) are answered with 2xx or 4xx, never 5xx, and an upload that is
refused leaves the store as it was (synthetic data).

The payloads start from valid synthetic files of every format the intake accepts — GeoJSON,
CSV with WKT, a zipped Shapefile, a GeoPackage, Kobo CSV/XLSX/JSON and ODK's CSV zip and
OData JSON — and hypothesis changes them."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import geopandas as gpd
import pytest
import shapely
from api_support import Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.store import ReportQuery

SUBMISSIONS = "/api/intake/submissions"
GEODATA = "/api/intake/geodata"
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Values a hostile or broken file puts in a field.
_NOT_UTF8 = st.sampled_from(
    [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"caf\xe9", b"\xf4\x90\x80\x80"]
)
_BAD_TEXT = _NOT_UTF8 | st.just(b"\x00")
_NUMBERS = st.sampled_from(
    ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "95", "-181", "1e308", "0", "-0"]
)


def _reports(api: Api) -> int:
    return len(api.store.list_reports(ReportQuery(limit=10_000)))


def _post(api: Api, path: str, name: str, body: bytes, **data: str) -> Any:
    before = _reports(api)
    answer = api.client("w1").post(path, files={"file": (name, body)}, data=data)
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        assert _reports(api) == before, "a refused upload wrote reports"
        detail = answer.json()["detail"]
        assert isinstance(detail, str) and detail, answer.text
        assert "Traceback" not in answer.text
    elif data.get("keep_going") == "false":
        result = answer.json()
        assert not result.get("rejected"), result  # all or nothing
    return answer


def _feature_collection(name: str, lon: str, lat: str) -> bytes:
    """One small area whose name and one vertex are raw text spliced into the JSON."""
    ring = f"[[30.0, 50.0], [{lon}, {lat}], [30.01, 50.01], [30.0, 50.01], [30.0, 50.0]]"
    return (
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", '
            '"properties": {"fid": "F1", "name": "NAME", "status": "open"}, '
            f'"geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}}]}}'
        )
        .encode()
        .replace(b"NAME", name.encode("utf-8", "surrogatepass"))
    )


@pytest.fixture
def geodata_files(tmp_path: Path) -> dict[str, bytes]:
    """Valid geodata files of each format, as bytes."""
    frame = gpd.GeoDataFrame(
        {"ref": ["F1", "F2"], "name": ["Area one", "Area two"], "status": ["open", "open"]},
        geometry=[shapely.box(30, 50, 30.01, 50.01), shapely.box(30.02, 50, 30.03, 50.01)],
        crs=4326,
    )
    out: dict[str, bytes] = {}
    frame.to_file(tmp_path / "a.geojson")
    frame.to_file(tmp_path / "a.gpkg", layer="areas")
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "areas.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)
    out["areas.zip"] = buffer.getvalue()
    out["areas.geojson"] = (tmp_path / "a.geojson").read_bytes()
    out["areas.gpkg"] = (tmp_path / "a.gpkg").read_bytes()
    wkt = "\n".join(f'{r.ref},{r.name},open,"{r.geometry.wkt}"' for r in frame.itertuples())
    out["areas.csv"] = f"ref,name,status,wkt\n{wkt}\n".encode()
    return out


@pytest.fixture
def export_files(sf: ModuleType) -> dict[str, bytes]:
    """Valid field-form exports of each flavour, as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [
            sf.kobo_accident_xlsx(folder),
            sf.odk_accident_zip(folder),
            sf.kobo_completion_json(folder),
            sf.odk_hazard_odata(folder),
            sf.kobo_hazard_csv(folder),
        ]
        return {p.name: p.read_bytes() for p in paths}


def test_the_unfuzzed_files_are_accepted(
    api: Api, geodata_files: dict[str, bytes], export_files: dict[str, bytes]
) -> None:
    """The fuzzing starts from files that import, so a 4xx below is the changed bytes'."""
    for name, body in geodata_files.items():
        answer = _post(
            api, GEODATA, name, body, kind="hazardous_area", id_column="ref", dry_run="true"
        )
        assert answer.status_code == 200, (name, answer.text)
    for name, body in export_files.items():
        answer = _post(api, SUBMISSIONS, name, body, dry_run="true")
        assert answer.status_code in (200, 422), (name, answer.text)


@FUZZ
@given(
    name=st.text(max_size=20) | _BAD_TEXT.map(lambda b: b.decode("latin-1")),
    raw=_NOT_UTF8 | st.just(b""),
    lon=_NUMBERS,
    lat=_NUMBERS,
)
def test_geojson_values(api: Api, name: str, raw: bytes, lon: str, lat: str) -> None:
    body = _feature_collection(json.dumps(name)[1:-1], lon, lat).replace(
        b'"name": "', b'"name": "' + raw
    )
    answer = _post(api, GEODATA, "a.geojson", body, kind="hazardous_area", keep_going="false")
    impossible = {"NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-181", "1e308"}
    if raw or lon in impossible or lat in impossible | {"95"}:
        assert answer.status_code == 422, (name, raw, lon, lat, answer.text)


@FUZZ
@given(data=st.data())
def test_random_bytes_in_any_geodata_file(
    api: Api, geodata_files: dict[str, bytes], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(geodata_files)))
    body = bytearray(geodata_files[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(body)))
        body[at:at] = data.draw(st.binary(min_size=1, max_size=8) | _BAD_TEXT)
    _post(api, GEODATA, name, bytes(body), kind="hazardous_area", keep_going="false")


@FUZZ
@given(data=st.data())
def test_random_bytes_in_any_field_form_export(
    api: Api, export_files: dict[str, bytes], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(export_files)))
    body = bytearray(export_files[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(body)))
        if data.draw(st.booleans()):
            body[at:at] = data.draw(st.binary(min_size=1, max_size=8) | _BAD_TEXT)
        elif at < len(body):
            body[at] = data.draw(st.integers(0, 255))
    _post(api, SUBMISSIONS, name, bytes(body), keep_going="false")


@FUZZ
@given(cell=_BAD_TEXT | _NUMBERS.map(str.encode), column=st.integers(0, 9))
def test_kobo_csv_cells(api: Api, sf: ModuleType, cell: bytes, column: int) -> None:
    name, body = sf.kobo_hazard_upload("ORG-1", ["uuid:fuzz-a"])
    header, row = body.decode().splitlines()[:2]
    cells = row.split(";")
    hostile = ";".join(cells[:column]).encode() + (b";" if column else b"") + cell
    hostile += b";" + ";".join(cells[column + 1 :]).encode()
    _post(api, SUBMISSIONS, name, header.encode() + b"\n" + hostile + b"\n", keep_going="false")
