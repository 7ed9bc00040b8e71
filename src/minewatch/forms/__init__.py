"""The XLSForms minewatch ships for field data collection (KoboToolbox, ODK, Survey123).

The forms are the readable source of truth, one module per form (``accident``,
``hazardous_area``, ...) listed by :mod:`minewatch.forms.definitions`;
:mod:`minewatch.forms.build` writes the ``.xlsx`` files in ``forms/xlsform/`` from them, and
the default import mapping is derived from the same definitions, so forms, choice lists and
the data model never drift.
"""
