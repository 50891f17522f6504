"""The assessment engine: models, exact numbers, rule kinds, scoring and grading. No I/O."""
