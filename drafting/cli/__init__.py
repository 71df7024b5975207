"""The ``postmortem`` command line."""
