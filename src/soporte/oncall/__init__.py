"""On call: rotations, overrides, who is on call, and the team calendar feeds."""
