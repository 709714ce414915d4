"""TixMo: an open-source event-ticketing HTTP API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tixmo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
