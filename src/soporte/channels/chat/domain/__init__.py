"""The live chat's pure rules: identity verification and when a customer has left."""
