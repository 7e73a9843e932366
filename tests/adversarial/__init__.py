"""Adversarial tests: hostile documents, malformed bodies, hidden ids, side channels, authority."""
