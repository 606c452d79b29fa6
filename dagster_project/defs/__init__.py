"""Definitions, discovered per source by dg.load_from_defs_folder."""
