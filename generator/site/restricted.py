"""The step through which a build restricts pages to accounts, so that the site does not depend on how.

``kaoping build --access`` passes :class:`generator.access.mode.AccessMode`: the build calls ``load`` once
the data is checked (its problems join the data's, and stop the build the same way) and ``apply`` on the
built site before it replaces ``site/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from generator.data.pipeline import Prepared
from generator.data.problems import Problems


class Restriction(Protocol):
    def load(self, root: Path, prepared: Prepared, problems: Problems) -> bool:
        """Read what the restriction needs; False (with the reasons in ``problems``) when it cannot."""

    def apply(self, root: Path, site_dir: Path, prepared: Prepared) -> None:
        """Restrict the built site in ``site_dir``; raise ``BuildError`` to stop the build."""

    def stamp(self) -> str:
        """What the site's build stamp says of the restriction (its ``access`` field), once loaded."""
