"""The command line's import doors under hostile files: random bytes anywhere in a GeoJSON,
GeoPackage, CSV or zipped Shapefile (``minewatch import``) or a Kobo/ODK export
(``minewatch intake import``) end with exit 0 or a clean error (exit 2), never a traceback,
and a refused import writes nothing (synthetic files)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.cli import main
from minewatch.store import ReportQuery, open_store

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_BYTES = st.binary(min_size=1, max_size=8) | st.sampled_from(
    [b"\xff\xfe", b"\xc3\x28", b"\x00", b"NaN", b"1e400", b'"', b"{", b"]"]
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, sf: ModuleType) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("fuzz-sources")
    frame = gpd.GeoDataFrame(
        {"ref": ["F1", "F2"], "name": ["Area one", "Area two"], "status": ["open", "open"]},
        geometry=[shapely.box(30, 50, 30.01, 50.01), shapely.box(30.02, 50, 30.03, 50.01)],
        crs=4326,
    )
    frame.to_file(folder / "areas.geojson")
    frame.to_file(folder / "areas.gpkg", layer="areas")
    (folder / "shp").mkdir()
    frame.to_file(folder / "shp" / "areas.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted((folder / "shp").iterdir()):
            archive.write(part, part.name)
    rows = "".join(f'{r.ref},{r.name},open,"{r.geometry.wkt}"\n' for r in frame.itertuples())
    out = {
        "areas.geojson": (folder / "areas.geojson").read_bytes(),
        "areas.gpkg": (folder / "areas.gpkg").read_bytes(),
        "areas.zip": buffer.getvalue(),
        "areas.csv": f"ref,name,status,wkt\n{rows}".encode(),
    }
    for export in (sf.kobo_accident_xlsx(folder), sf.odk_accident_zip(folder)):
        out[f"export-{export.name}"] = export.read_bytes()
    out["export-kobo_completion.json"] = sf.kobo_completion_json(folder).read_bytes()
    return out


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code


@FUZZ
@given(data=st.data())
def test_random_bytes_in_any_import(
    files: dict[str, bytes], capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(files)))
    body = bytearray(files[name])
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(body)))
        if data.draw(st.booleans()):
            body[at:at] = data.draw(_BYTES)
        elif at < len(body):
            body[at] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = str(folder / "store.gpkg")
        open_store(store, create=True).close()
        source = folder / name.removeprefix("export-")
        source.write_bytes(bytes(body))
        if name.startswith("export-"):
            argv = ["intake", "import", str(source), "-s", store]
        else:
            argv = ["import", str(source), "--kind", "hazardous_area", "-s", store]
        code = _run(argv, capsys)
        assert code in (0, 2), code
        if code:
            assert open_store(store).list_reports(ReportQuery()) == []
