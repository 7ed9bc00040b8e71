"""Check a geodata file before importing it: read it through its mapping, apply every
geometry rule, and account for each feature (landed, repaired or rejected) without touching
a store.

This is the dry run of an import. Its report is the one an import gives: one line per
finding with file, feature number, field, rule and reason, and a reject file on request.

>>> import geopandas as gpd, shapely
>>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
>>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B"]}, crs="EPSG:4326",
...                          geometry=[shapely.box(30, 50, 30.01, 50.01), bowtie])
>>> from minewatch.io.geodata import write_geodata
>>> path = write_geodata(frame, tmp / "synthetic.gpkg")
>>> report = check_file(path, {"kind": "hazardous_area", "id_column": "HAZ_ID"})
>>> report.features, report.landed, report.repaired, report.rejected
(2, 1, 1, 0)
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pydantic import ValidationError
from shapely.geometry.base import BaseGeometry

from minewatch.domain.geometry import (
    DEFAULT_RULES,
    Finding,
    FindingSeverity,
    GeometryRules,
    find_duplicates_and_overlaps,
)
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata import RejectCollector, load_mapping, read_batches, read_boundary

# The CLI lists a file's layers (and loads its mapping, above) through this module.
from minewatch.io.geodata import list_layers as list_layers
from minewatch.io.mapping import Mapping


@dataclass
class FileCheckReport:
    """What a check found: counts of features by outcome, findings by rule, and every
    finding with where it was made.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from minewatch.io.geodata import write_geodata
    >>> square = shapely.box(30, 50, 30.01, 50.01)
    >>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B", "C"]}, crs="EPSG:4326",
    ...                          geometry=[square, square, shapely.box(30, 95, 30.01, 95.01)])
    >>> path = write_geodata(frame, tmp / "areas.gpkg")
    >>> report = check_file(path, {"kind": "hazardous_area", "id_column": "HAZ_ID"})
    >>> report.features, report.landed, report.rejected
    (3, 2, 1)
    >>> sorted(report.by_rule.items())
    [(('duplicate', 'warning'), 1), (('swapped_coordinates', 'error'), 1)]
    >>> report.frame()[["feature", "rule", "severity", "related"]]
      feature                 rule severity related
    0       3  swapped_coordinates    error    None
    1       1            duplicate  warning       2
    """

    source: str
    features: int = 0
    landed: int = 0
    repaired: int = 0
    rejected: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def by_rule(self) -> Counter[tuple[str, str]]:
        """How many findings of each (rule, severity)."""
        return Counter((str(f.rule), f.severity.value) for f in self.findings)

    def frame(self) -> pd.DataFrame:
        """One row per finding: file, feature, field, rule, severity, message, position, the
        other record of a pair and the measure."""
        columns = {
            "file": [self.source] * len(self.findings),
            "feature": [f.record for f in self.findings],
            "field": [f.field for f in self.findings],
            "rule": [str(f.rule) for f in self.findings],
            "severity": [f.severity.value for f in self.findings],
            "message": [f.message for f in self.findings],
            "lon": [f.location[0] if f.location else None for f in self.findings],
            "lat": [f.location[1] if f.location else None for f in self.findings],
            "related": [f.related for f in self.findings],
            "measure": [f.measure for f in self.findings],
        }
        return pd.DataFrame({name: pd.Series(v, dtype=object) for name, v in columns.items()})


def check_file(
    path: str | Path,
    mapping: Mapping | AnyMapping[str, Any] | str | Path,
    *,
    layer: str | None = None,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | str | Path | None = None,
    pairwise: bool = True,
    rejects_to: str | Path | None = None,
    batch_size: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> FileCheckReport:
    """Read and check every feature of a file; nothing is stored.

    Parameters
    ----------
    path
        The file (GeoJSON, GeoPackage, Shapefile, zipped Shapefile or CSV).
    mapping
        A :class:`~minewatch.io.mapping.Mapping`, a dict, or a TOML file path.
    layer
        The layer, when the file has several and the mapping names none.
    rules, boundary
        The national thresholds and boundary (a geometry or a polygon file).
    pairwise
        Also look for duplicates and overlaps among the file's accepted features (their
        geometries are then held in memory).
    rejects_to
        Write the rejected features, with their reasons, to this file.
    progress
        Called with the number of features read after each batch.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from minewatch.io.geodata import write_geodata
    >>> square = shapely.box(30, 50, 30.01, 50.01)
    >>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B", "C"]}, crs="EPSG:4326",
    ...                          geometry=[square, square, shapely.box(30, 95, 30.01, 95.01)])
    >>> path = write_geodata(frame, tmp / "areas.gpkg")
    >>> report = check_file(path, {"kind": "hazardous_area", "id_column": "HAZ_ID"},
    ...                     pairwise=False, rejects_to=tmp / "rejects.gpkg")
    >>> [str(f) for f in report.findings]
    ['3: [swapped_coordinates] error: latitude 95 is impossible and every value fits the other axis:
     longitude and latitude look swapped']
    >>> (tmp / "rejects.gpkg").exists()
    True
    """
    resolved = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    border = read_boundary(boundary) if isinstance(boundary, str | Path) else boundary
    report = FileCheckReport(source=str(path))
    rejects = RejectCollector(Path(path))
    kept: list[np.ndarray] = []
    kept_numbers: list[np.ndarray] = []
    for raw in read_batches(path, resolved, layer=layer, batch_size=batch_size):
        batch = raw.checked(rules=rules, boundary=border)
        _count(report, batch.feature_numbers, batch.rejected, batch.findings)
        rejects.add(batch)
        if progress is not None:
            progress(len(batch))
        if pairwise:
            accepted = ~batch.rejected & ~shapely.is_missing(batch.geometries)
            kept.append(batch.geometries[accepted])
            kept_numbers.append(batch.feature_numbers[accepted])
    if pairwise and kept:
        numbers = np.concatenate(kept_numbers).tolist()
        report.findings.extend(
            find_duplicates_and_overlaps(np.concatenate(kept), numbers, rules=rules)
        )
    if rejects_to is not None and len(rejects):
        rejects.write(rejects_to)
    return report


def feature_count(path: str | Path, layer: str | None = None) -> int | None:
    """How many features the file's layer holds (its only layer, or ``layer``), or None
    when that is not known (e.g. several layers and none named).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from minewatch.io.geodata import write_geodata
    >>> square = shapely.box(30, 50, 30.01, 50.01)
    >>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B", "C"]}, crs="EPSG:4326",
    ...                          geometry=[square, square, shapely.box(30, 95, 30.01, 95.01)])
    >>> path = write_geodata(frame, tmp / "areas.gpkg")
    >>> feature_count(path)
    3
    """
    chosen = [i for i in list_layers(path) if layer is None or i.name == layer]
    return chosen[0].features if len(chosen) == 1 else None


def load_rules(path: str | Path | None) -> GeometryRules:
    """Geometry thresholds from a TOML file: its ``[geometry]`` table, or the whole file
    when it has none. The defaults when no file is given.

    Examples
    --------
    >>> _ = (tmp / "rules.toml").write_text("[geometry]\\nmax_vertex_gap_m = 1000\\n")
    >>> load_rules(tmp / "rules.toml").max_vertex_gap_m, load_rules(None).max_vertex_gap_m
    (1000.0, 5000.0)
    >>> _ = (tmp / "bad.toml").write_text("[geometry]\\nduplicate_iou = 2\\n")
    >>> load_rules(tmp / "bad.toml")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: /...bad.toml: invalid geometry rules:
     duplicate_iou: Input should be less than or equal to 1
    """
    if path is None:
        return DEFAULT_RULES
    where = Location(file=str(path))
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return GeometryRules.model_validate(data.get("geometry", data))
    except FileNotFoundError:
        raise InvalidInput("rules file not found", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", where) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(f"invalid geometry rules: {problems}", where) from None


def _count(
    report: FileCheckReport,
    numbers: np.ndarray,
    rejected: np.ndarray,
    findings: list[Finding],
) -> None:
    repaired = {f.record for f in findings if f.severity is FindingSeverity.REPAIRED}
    report.features += len(numbers)
    report.rejected += int(rejected.sum())
    was_repaired = np.isin(numbers, np.array(sorted(repaired, key=str), dtype=np.int64))
    report.repaired += int((was_repaired & ~rejected).sum())
    report.landed += int((~was_repaired & ~rejected).sum())
    report.findings.extend(findings)
