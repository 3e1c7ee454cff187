"""Reads, one module per concept; they never write."""
