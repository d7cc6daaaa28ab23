"""The feedback loop's pure rules: no Django, no clock (``now`` is a parameter)."""
