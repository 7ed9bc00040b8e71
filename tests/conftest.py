"""Shared test fixtures. Backend fixtures live in tests/store/conftest.py."""
