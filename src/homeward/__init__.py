"""Homeward: tracing children separated by war and bringing them home."""

__version__ = "0.1.0"
