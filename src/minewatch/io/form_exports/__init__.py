"""Submissions as KoboToolbox and ODK Central export them, read into one shape.

What the servers produce (synthetic examples live in ``tests/synthetic_forms.py``):

KoboToolbox
    *CSV*: ``;``-separated by default; headers are question names with their group path
    (``accident/accident_date``) or labels (the default); ``_id``, ``_uuid``,
    ``_submission_time``, ``_index`` and usually ``meta/instanceID``; a geopoint is one column
    ``"lat lon alt acc"`` plus ``_<path>_latitude``/``_longitude``/``_altitude``/``_precision``;
    a select_multiple is one space-separated column plus optional one-hot ``<path>/<choice>``
    columns; a row of HXL hashtags may follow the headers. *XLSX*: the main sheet, then one
    sheet per repeat group whose rows point to their submission through ``_parent_index``
    (= the main sheet's ``_index``) and ``_submission__uuid``. *API v2 JSON*
    (``/api/v2/assets/<uid>/data/``): ``{"results": [...]}``, repeats nested as lists, files in
    ``_attachments`` with their download URLs.
ODK Central
    *CSV* (``submissions.csv.zip``): ``,``-separated; group paths joined by ``-``
    (``accident-accident_date``); ``SubmissionDate``, ``meta-instanceID``, ``KEY``; a geopoint
    is split into ``<path>-Latitude``, ``-Longitude``, ``-Altitude``, ``-Accuracy``; each repeat
    is its own file ``<form>-<repeat>.csv`` whose ``PARENT_KEY`` is the submission's ``KEY``.
    *OData JSON* (``Submissions?$expand=*``): ``{"value": [...]}``, ``__id``, ``__system``, groups
    as nested objects, geometry as GeoJSON (longitude first), repeats as nested lists; or the
    repeat entity sets (``Submissions.victims``) as separate files linked by
    ``__Submissions-id``.
GeoJSON
    A FeatureCollection (KoboToolbox's GeoJSON export, an ArcGIS/Survey123 layer): properties
    named after the questions, the feature's geometry as the location, ``globalid`` as the
    instance ID on ArcGIS.
XForm instances
    One XML file per submission (ODK Collect's instance files, Central's ``submission.xml``):
    the root element carries the form ``id``; a repeat is a repeated element.

Where things are: :mod:`.submission` (the shape: :class:`Answers`, :class:`Submission`,
:class:`Attachment`, :class:`Export`), :mod:`.files` (files, folders and zips into tables of
rows: CSV, XLSX, JSON, GeoJSON, XForm XML), :mod:`.rows` (a row into a :class:`Submission`:
groups, repeats, geopoints, instance IDs, attachments, the server's refusal) and :mod:`.read`
(:func:`read_export`: the main table, its repeat tables linked to it). The names below are the
package's public interface, imported from here.

>>> _ = (tmp / "a.xml").write_text(
...     '<data id="minewatch_accident"><accident><accident_date>2024-08-01</accident_date>'
...     '<accident_location>35.2 48.6 0 0</accident_location></accident>'
...     '<victims><victim_sex>female</victim_sex></victims><victims><victim_sex>male</victim_sex>'
...     '</victims><meta><instanceID>uuid:0001</instanceID></meta></data>')
>>> export = read_export(tmp / "a.xml")
>>> export.flavour, export.submissions[0].form_id, export.submissions[0].instance_id
('xform', 'minewatch_accident', 'uuid:0001')
>>> len(export.submissions[0].repeats["victims"])
2
"""

from minewatch.io.form_exports.read import read_export
from minewatch.io.form_exports.submission import (
    Answers,
    Attachment,
    Export,
    Flavour,
    Submission,
    is_blank,
)

__all__ = ["Answers", "Attachment", "Export", "Flavour", "Submission", "is_blank", "read_export"]
