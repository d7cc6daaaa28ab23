"""The knowledge base's pure rules: translations' staleness and the top-10 FAQ streaks."""
