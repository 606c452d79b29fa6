"""Datacenter efficiency (PUE, WUE) and water per kWh generated, by fuel."""
