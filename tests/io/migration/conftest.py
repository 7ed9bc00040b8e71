"""The migration tests' SYNTHETIC File Geodatabase is built by build_filegdb.py (the fixture
``filegdb`` is in tests/conftest.py, shared with the services' tests)."""

# A script for the system Python, not a test module (pytest would import it for doctests).
collect_ignore = ["build_filegdb.py"]
