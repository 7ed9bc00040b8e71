"""SYNTHETIC benchmark data for the records store: hazardous-area polygons and device-find
points in a GeoPackage, seeded, written through pyogrio. Nothing here is real; the data sit
over an empty rectangle of ocean-free lon/lat only because shapes need coordinates."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

SEED = 7
EXTENT = (30.0, 48.0, 36.0, 52.0)  # lon/lat box the synthetic features fill


def synthetic_areas(n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` irregular 9-vertex polygons of roughly 1–20 ha, with attributes."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = EXTENT
    cx = rng.uniform(minx, maxx, n)
    cy = rng.uniform(miny, maxy, n)
    angles = np.sort(rng.uniform(0, 2 * np.pi, (n, 9)), axis=1)
    radii = rng.uniform(0.0005, 0.002, (n, 1)) * rng.uniform(0.6, 1.0, (n, 9))
    xs = cx[:, None] + radii * np.cos(angles) / np.cos(np.radians(cy[:, None]))
    ys = cy[:, None] + radii * np.sin(angles)
    coords = np.stack([xs, ys], axis=2)
    coords = np.concatenate([coords, coords[:, :1]], axis=1)
    polygons = shapely.polygons(coords)
    return gpd.GeoDataFrame(
        {
            "area_id": [f"SYN-A{i}" for i in range(n)],
            "status": rng.choice(["open", "suspended", "closed"], n),
            "class": rng.choice(["SHA", "CHA"], n),
            "note": "synthetic",
        },
        geometry=polygons,
        crs=4326,
    )


def synthetic_finds(n: int, seed: int = SEED + 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = EXTENT
    return gpd.GeoDataFrame(
        {
            "find_id": [f"SYN-F{i}" for i in range(n)],
            "category": rng.choice(["ap_mine", "av_mine", "uxo", "submunition"], n),
            "depth_cm": np.round(rng.uniform(0, 30, n), 1),
            "condition": rng.choice(["live", "inert", "damaged"], n),
        },
        geometry=shapely.points(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)),
        crs=4326,
    )


def write_source(path: Path, areas: int, finds: int) -> Path:
    """One GeoPackage with layers ``areas`` and ``finds``."""
    path.unlink(missing_ok=True)
    synthetic_areas(areas).to_file(path, layer="areas", driver="GPKG", engine="pyogrio", use_arrow=True)
    synthetic_finds(finds).to_file(path, layer="finds", driver="GPKG", engine="pyogrio", use_arrow=True)
    return path
