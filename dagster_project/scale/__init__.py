"""Optional backends chosen by configuration (settings.py), added to the definitions by definitions.py."""
