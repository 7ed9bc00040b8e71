"""Spatial values and helpers that readers (:mod:`minewatch.io`) and analyses
(:mod:`minewatch.analysis`) share without importing each other: a block of a raster with its
georeferencing (:class:`RasterWindow`, what a reader returns and an analysis sums), and
cached coordinate transformers (:func:`transformer_for`).

>>> transformer_for(4326, 3857) is transformer_for("EPSG:4326", "EPSG:3857")
True
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
from affine import Affine
from numpy.typing import NDArray


@dataclass(frozen=True)
class RasterWindow:
    """A block of a population raster: values (nodata already 0), its affine transform and
    CRS. A window of zero size (no overlap with the raster) is allowed.

    >>> window = RasterWindow(np.ones((2, 3)), Affine(100, 0, 500_000, 0, -100, 4_000_000),
    ...                       pyproj.CRS.from_epsg(32636))
    >>> float(window.values.sum()), window.transform @ (3, 2)  # the lower right corner
    (6.0, (500300.0, 3999800.0))
    """

    values: NDArray[np.floating[Any]]
    transform: Affine
    crs: pyproj.CRS


_TRANSFORMERS = threading.local()


def transformer_for(source: Any, target: Any) -> pyproj.Transformer:
    """A lon/lat-ordered transformer, cached per thread: building one costs tens of
    milliseconds, far more than a batch's transformation, and they are not shared across
    threads (Dask may run partitions in threads).

    >>> x, y = transformer_for(4326, 3857).transform(180.0, 0.0)
    >>> round(x), round(y)
    (20037508, 0)
    """
    cache: dict[tuple[str, str], pyproj.Transformer] = _TRANSFORMERS.__dict__.setdefault(
        "cache", {}
    )
    key = (pyproj.CRS.from_user_input(source).to_wkt(), pyproj.CRS.from_user_input(target).to_wkt())
    if key not in cache:
        cache[key] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return cache[key]
