"""Which licences the project may ship data under (README, data/SOURCES.md): public domain, CC0,
CC BY, MIT, Apache, or facts with their citation; never share-alike or copyleft terms."""

# Share-alike and copyleft terms the project must not redistribute.
FORBIDDEN_LICENCES = ("AGPL", "GPL", "ODBL", "MPL", "BY SA", "CC BY SA", "SHARE ALIKE", "SHAREALIKE")
SHIPPABLE = "use figures under public domain, CC0, CC BY, MIT or Apache terms, or facts with citation"


def cannot_ship(licence: str | None) -> bool:
    """True for a licence whose terms forbid shipping the data with this project."""
    words = (licence or "").upper().replace("-", " ")
    return any(word in words for word in FORBIDDEN_LICENCES)
