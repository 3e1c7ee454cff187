"""Writes, one module per concept: ``<entity>_<action>``, keyword-only, typed, atomic."""
