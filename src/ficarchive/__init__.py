"""ficarchive: a fan fiction archive that any fandom community can run."""

__version__ = "0.1.0"
