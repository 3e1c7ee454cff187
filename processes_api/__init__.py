"""Everything that knows the Workiva Processes API."""
