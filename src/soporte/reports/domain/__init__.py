"""The reports' pure parts: the shape of a report (``tables``) and its filters (``filters``)."""
