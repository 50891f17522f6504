"""The sample results behind ``scripts/make_results.py``, drawn from each bundled rubric.

- :mod:`samples.assessments`: each bundled assessment's units and particulars (``SPECS``);
- :mod:`samples.spec`: what those particulars are (:class:`~samples.spec.Spec`), unit codes and short names;
- :mod:`samples.generator`: one assessment's year: units, and findings drawn from the rubric's rules (each
  rule's kind makes its own: ``Rule.sample`` in :mod:`generator.engine.rules`), through :mod:`samples.draw`;
- :mod:`samples.extras`: bonus claims, penalties, vetoes, entered parts, self-scores;
- :mod:`samples.words`, :mod:`samples.topics`: the words reasons are made of;
- :mod:`samples.write`: the files written; ``FURTHER_FILES`` takes a new kind of sample file.
"""
