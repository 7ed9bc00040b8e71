"""Coordinate reference systems of a source and the transformation of its geometries to
WGS84 (a file without a CRS must look like longitude/latitude, or the mapping names one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from minewatch.domain.geometry import GeometryArray
from minewatch.errors import InvalidInput, Location
from minewatch.io.mapping import Mapping

WGS84_CRS = CRS.from_epsg(4326)


def _parse_crs(text: str, source: Path) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InvalidInput(
            "unknown CRS {text!r}: {problem}", Location(file=str(source)), text=text, problem=exc
        ) from None


def _lonlat_plausible(geoms: GeometryArray) -> bool:
    """Whether any coordinate could be a longitude/latitude (an empty sample could be)."""
    coords = shapely.get_coordinates(geoms)
    if len(coords) == 0:
        return True
    ok = (np.abs(coords[:, 0]) <= 180) & (np.abs(coords[:, 1]) <= 90)
    return bool(ok.any())


@dataclass
class _Projector:
    """Transforms batches to WGS84; the CRS is settled on the first batch when the file
    declares none (lon/lat-looking coordinates are taken as WGS84, anything else is an
    error unless the mapping gives ``assumed_crs``)."""

    source: Path
    declared: CRS | None
    transformer: Transformer | None = None
    settled: bool = False

    def __call__(self, geoms: GeometryArray) -> GeometryArray:
        if not self.settled:
            self._settle(geoms)
        if self.transformer is None:
            return geoms
        return np.asarray(shapely.transform(geoms, self._transform), dtype=np.object_)

    def _transform(self, coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        assert self.transformer is not None
        x, y = self.transformer.transform(coords[:, 0], coords[:, 1], errcheck=False)
        return np.column_stack([x, y])

    def _settle(self, geoms: GeometryArray) -> None:
        self.settled = True
        if self.declared is None:
            if not _lonlat_plausible(geoms):
                raise InvalidInput(
                    "the file declares no CRS and its coordinates are not longitude/latitude; "
                    "add a .prj or give 'assumed_crs' in the mapping (e.g. EPSG:32636)",
                    Location(file=str(self.source)),
                )
            return
        if self.declared.equals(WGS84_CRS, ignore_axis_order=True):
            return
        self.transformer = Transformer.from_crs(self.declared, WGS84_CRS, always_xy=True)


def _declared_crs(crs_text: str | None, mapping: Mapping, source: Path) -> CRS | None:
    if crs_text:
        return _parse_crs(crs_text, source)
    if mapping.assumed_crs:
        return _parse_crs(mapping.assumed_crs, source)
    return None
