"""minewatch: an open landmine monitoring and mine action information system."""

__version__ = "0.1.0"
