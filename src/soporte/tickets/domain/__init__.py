"""Pure ticket rules: intake completeness, exchange counting, routing."""
