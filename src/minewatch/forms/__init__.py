"""The XLSForms minewatch ships for field data collection (KoboToolbox, ODK, Survey123).

:mod:`minewatch.forms.definitions` is the readable source of truth; :mod:`minewatch.forms.build`
writes the ``.xlsx`` files in ``forms/xlsform/`` from it, and the default import mapping is
derived from the same definitions, so forms, choice lists and the data model never drift.
"""
