"""The package version, sent as ``meta.client`` and in ``User-Agent``."""

__version__ = "0.1.0"
