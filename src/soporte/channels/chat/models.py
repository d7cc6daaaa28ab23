"""The live chat's records."""

__all__: list[str] = []
