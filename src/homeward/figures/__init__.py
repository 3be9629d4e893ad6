"""Figures with provenance: claims extracted from reports, sources, timelines and public statistics."""
