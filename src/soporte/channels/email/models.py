"""The email channel's records."""

__all__: list[str] = []
