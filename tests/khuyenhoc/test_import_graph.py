"""Which app may import which: the rooms stay separate as features are added.

- associations/ (the tree, scoping, roles, decisions) imports no feature app;
- a feature app reads another only through that app's selectors (its figures), or its
  models' choices where a label is shown;
- dashboards/ reads the others only through their selectors.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE_APPS = ("learning", "reports", "awards", "dashboards", "news")
APPS = ("associations", *FEATURE_APPS)


def imports_of(app: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import in the app's own code (not its migrations)."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                found.extend((str(path.relative_to(ROOT)), alias.name) for alias in node.names)
    return found


def foreign_imports(app: str) -> list[tuple[str, str]]:
    return [
        (file, module)
        for file, module in imports_of(app)
        if module.split(".")[0] in APPS and module.split(".")[0] != app
    ]


def test_associations_imports_no_feature_app():
    assert [
        (file, module)
        for file, module in foreign_imports("associations")
        if module.split(".")[0] in FEATURE_APPS
    ] == []


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_feature_apps_read_each_other_only_through_selectors(app):
    allowed_tails = {"selectors"} if app == "dashboards" else {"selectors", "models"}
    wrong = [
        (file, module)
        for file, module in foreign_imports(app)
        if module.split(".")[0] != "associations" and module.split(".")[-1] not in allowed_tails
    ]
    assert wrong == []


def test_the_rule_sees_real_imports():
    # Guards the test itself: if the parsing found nothing, every rule above would pass.
    modules = {module for _file, module in imports_of("learning")}
    assert "associations.scoping" in modules
