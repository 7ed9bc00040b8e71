"""The generic SQL repository both backends share (SQLAlchemy Core).

Backends differ only in how geometry is written, read and searched; they override the
``_encode_geometries``, ``_geometry_select``, ``_decode_geometries``, ``_bbox_clause`` and
``_near_clause`` hooks (see :mod:`minewatch.store.geopackage` and
:mod:`minewatch.store.postgis`). Everything else — reports, codes, item upserts, filters,
paging — is written once here.

The package re-exports :class:`SqlRepository` (:mod:`.repository`, made of :mod:`.base`,
:mod:`.codes`, :mod:`.reports`, :mod:`.bulk` and :mod:`.items`) and the helpers the backends
and tests use: :func:`~minewatch.store.sql.rows.promote_all` and
:func:`~minewatch.store.sql.distance.within_geodesic_distance`.
"""

from minewatch.store.sql.distance import within_geodesic_distance
from minewatch.store.sql.repository import SqlRepository
from minewatch.store.sql.rows import promote_all

__all__ = ["SqlRepository", "promote_all", "within_geodesic_distance"]
