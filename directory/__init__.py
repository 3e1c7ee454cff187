"""The directory: a cache of the Workiva organization's people and files, for pickers and checks."""
