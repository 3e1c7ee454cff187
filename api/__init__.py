"""The public REST API, version 1: another door into designer's and publishing's services."""
