"""The publishing app, the top layer: sends a draft to Workiva and keeps what became of it."""
