"""Reading and checking: YAML and CSV in, located problems out, checked models for the engine."""
