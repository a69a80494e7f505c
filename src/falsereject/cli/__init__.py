"""The `falsereject` command line: thin wrappers over the library API."""
