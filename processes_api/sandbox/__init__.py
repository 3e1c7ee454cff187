"""The sandbox app: a local stand-in of the Workiva Processes API, mounted at ``/sandbox/``."""
