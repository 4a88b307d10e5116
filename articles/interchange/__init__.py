"""Interchange: wire copy in, fixtures built and loaded, ninjs in and out, and where each row came from."""
