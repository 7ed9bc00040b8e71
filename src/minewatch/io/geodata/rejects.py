"""The rejected features of an import, written back out as they were in the source with
the reasons (:class:`RejectCollector`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from minewatch.domain.geometry import FindingSeverity
from minewatch.io.geodata.batch import FeatureBatch
from minewatch.io.geodata.crs import WGS84_CRS
from minewatch.io.geodata.sources import _csv_dialect, _gdal_path, _is_csv
from minewatch.io.geodata.write import write_geodata


@dataclass
class RejectCollector:
    """Collects the rejected features of an import, batch by batch, and writes them back out
    as they were in the source (every column, the geometry where GDAL could read it) with
    the reasons, so a user can fix the file and import it again.

    >>> import geopandas as gpd, shapely, tempfile, pathlib
    >>> from minewatch.io.geodata import load_mapping, read_batches, write_geodata
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B"], "STATUS": ["open", "lost"]},
    ...     geometry=[shapely.box(30, 50, 30.01, 50.01)] * 2, crs="EPSG:4326")
    >>> source = write_geodata(frame, folder / "synthetic.gpkg")
    >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "HAZ_ID",
    ...                         "fields": {"status": "STATUS"}})
    >>> rejects = RejectCollector(source)
    >>> for batch in read_batches(source, mapping):
    ...     rejects.add(batch)
    >>> out = rejects.write(folder / "rejects.csv")
    >>> import pandas as pd
    >>> cols = ["reject_feature", "HAZ_ID", "reject_reasons", "reject_rules"]
    >>> pd.read_csv(out)[cols].to_dict("records")
    [{'reject_feature': 2, 'HAZ_ID': 'B', 'reject_reasons': "status: column STATUS: 'lost' is not one of: open, suspended, closed, released", 'reject_rules': 'field_value'}]
    """

    source: Path
    #: How a reason reads in the reject file (the services give the reader's language);
    #: English as it was written by default.
    words: Callable[[str], str] = str
    layer: str | None = None
    numbers: list[int] = field(default_factory=list)
    fids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def add(self, batch: FeatureBatch) -> None:
        """Remember the rejected features of one batch and why they were rejected."""
        self.layer = batch.layer
        by_feature: dict[object, list[str]] = {}
        rules: dict[object, list[str]] = {}
        for finding in batch.findings:
            if finding.severity is FindingSeverity.ERROR:
                by_feature.setdefault(finding.record, []).append(
                    f"{finding.field}: {self.words(finding.message)}"
                )
                rules.setdefault(finding.record, []).append(str(finding.rule))
        for row in np.flatnonzero(batch.rejected):
            number = int(batch.feature_numbers[row])
            self.numbers.append(number)
            self.fids.append(int(batch.fids[row]))
            self.reasons.append(" | ".join(by_feature.get(number, ["rejected"])))
            self.rules.append(" | ".join(rules.get(number, [])))

    def __len__(self) -> int:
        return len(self.numbers)

    def write(self, target: str | Path) -> Path:
        """Write the rejected features to ``target`` (any format :func:`write_geodata`
        writes; CSV opens in a spreadsheet) with ``reject_feature``, ``reject_reasons`` (for people)
        and ``reject_rules`` (the rules' codes, for programs) columns first."""
        frame = self._source_rows()
        frame.insert(0, "reject_rules", self.rules)
        frame.insert(0, "reject_reasons", self.reasons)
        frame.insert(0, "reject_feature", self.numbers)
        return write_geodata(frame, target)

    def _source_rows(self) -> gpd.GeoDataFrame:
        if _is_csv(self.source):
            wanted = set(self.numbers)
            chunks = pd.read_csv(
                self.source,
                sep=_csv_dialect(self.source),
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                chunksize=100_000,
            )
            start = 1
            rows = []
            for chunk in chunks:
                positions = np.arange(start, start + len(chunk))
                rows.append(chunk[np.isin(positions, list(wanted))])
                start += len(chunk)
            table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
            return gpd.GeoDataFrame(table, geometry=[None] * len(table), crs=WGS84_CRS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's, already in the reasons
            frame = pyogrio.read_dataframe(
                _gdal_path(self.source), layer=self.layer, fids=np.array(self.fids, dtype=np.int64)
            )
        if frame.crs is not None and not CRS(frame.crs).equals(WGS84_CRS, ignore_axis_order=True):
            frame = frame.to_crs(WGS84_CRS)
        return frame.reset_index(drop=True)
