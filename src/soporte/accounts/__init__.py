"""Organisations (plan, org ID, CSM), their contacts, and the agents who answer them."""
