"""kaoping (考评): publishes party-building performance assessments as a static site.

The pipeline: load → check → score → render → build. See :mod:`generator.data.pipeline`.
"""

__version__ = "0.1.0"
