"""Measured inference energy (GPU energy per output token, by task, model and GPU setup)."""
