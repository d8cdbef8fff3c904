"""Plumbing with no domain in it: rate limits, client address, log filters, cache, tokens, checks."""
