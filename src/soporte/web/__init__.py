"""What every page shares: the layout, the style sheet, and display helpers for templates."""
