"""The rule kinds: one module per kind holds everything about it (see :mod:`generator.engine.rules.base`).

- :mod:`~generator.engine.rules.base`: what every kind shares and the hooks each provides;
- :mod:`~generator.engine.rules.registry`: the kinds, by the name the YAML gives them;
- :mod:`~generator.engine.rules.cells`, :mod:`~generator.engine.rules.sheet`,
  :mod:`~generator.engine.rules.sampling`: helpers kinds share for reading results rows, describing
  score-sheet cells and making sample findings;
- one module per kind: ``shortfall``, ``per_element``, ``fixed``, ``range``, ``overdue``,
  ``per_occurrence`` and ``per_person`` (over :mod:`~generator.engine.rules.occurrences`), ``earned``,
  ``all_or_nothing``, ``rate``.

The package imports nothing itself: :mod:`generator.engine.models` takes :class:`Rule` from ``base``
while the kinds' modules take the models from it.
"""
