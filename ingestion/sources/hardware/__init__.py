"""Accelerator hardware: the bundled catalog, upstream importers and name resolution."""
