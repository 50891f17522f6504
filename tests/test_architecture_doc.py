"""docs/architecture.md names real files and the contracts make lint checks, and is in the navigation."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def test_every_file_the_page_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:generator|site_templates)/[\w/.-]+\.(?:py|j2))`", text))
    assert len(named) >= 8
    missing = sorted(n for n in named if not (ROOT / n).is_file())
    assert not missing, missing
    # Short names inside a package's row (`load.py`) are that package's files.
    for package in ("engine", "data", "site", "office", "access", "cli"):
        row = next(line for line in text.splitlines() if line.startswith(f"| `generator/{package}/`"))
        for name in re.findall(r"`([\w/]+\.py)`", row):
            assert (ROOT / "generator" / package / name).is_file(), (package, name)


def test_the_contracts_it_names_are_the_ones_lint_checks() -> None:
    text = DOC.read_text(encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ids = {c["id"] for c in config["tool"]["importlinter"]["contracts"]}
    assert ids == {"layers", "pure-engine", "ci-publish", "no-circles"}
    for contract in ("pure-engine", "ci-publish", "no-circles"):
        assert f"`{contract}`" in text
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")["layers"]
    assert [layer.replace("generator.", "") for layer in layers] == [
        "cli",
        "office | access",
        "site",
        "data",
        "engine",
    ]


def test_the_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1]
    assert re.search(r"^\s+- 程序的结构: architecture\.md$", nav, re.MULTILINE)


def test_ci_checks_the_contracts_and_the_sizes() -> None:
    """CI runs make test; make test runs make lint; make lint runs the contracts and the size checks."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rules = {m[1]: (m[2], m[3]) for m in re.finditer(r"^([\w-]+):([^\n=]*)\n((?:\t[^\n]*\n)*)", makefile, re.MULTILINE)}
    prerequisites, _ = rules["test"]
    assert "lint" in prerequisites.split()
    _, recipe = rules["lint"]
    for tool in ("ruff check", "mypy", "lint-imports", "pylint"):
        assert f"$(BIN)/{tool}" in recipe, tool
    _, fast = rules["test-fast"]
    assert '-m "not browser and not slow"' in fast
    for ci in (".ci/run", ".github/workflows/site.yml", ".gitlab-ci.yml"):
        assert re.search(r"\bmake test\b", (ROOT / ci).read_text(encoding="utf-8")), ci
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert config["tool"]["ruff"]["line-length"] == 120
    assert "E501" not in lint.get("ignore", [])
    assert {"C90", "T20"} <= set(lint["select"]) and lint["mccabe"]["max-complexity"] == 15
    assert config["tool"]["pylint"]["format"]["max-module-lines"] == 400
