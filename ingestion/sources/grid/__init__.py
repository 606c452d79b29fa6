"""Electricity grids: annual intensity and generation mix per country, and hourly feeds."""
