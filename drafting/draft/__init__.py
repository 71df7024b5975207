"""Drafting: the staged conversation with the model, and its answers assembled into a report."""
