"""Imports run one way (``analysis → promotion → assessment → cadres → pingdingshan.core``), kept by
the import-linter contracts of pyproject.toml; the apps plug into lower pages through core's
registries, filled in ``AppConfig.ready``."""
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

from pingdingshan.core import registry

ROOT = Path(settings.BASE_DIR)
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _local_packages():
    """Top-level packages of the project's own apps (those whose code lives in this repository)."""
    out = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if ROOT.resolve() in path.parents and ".venv" not in path.parts:
            out.add(config.name.split(".")[0])
    return out


def test_every_local_app_is_checked_by_import_linter():
    assert _local_packages() <= set(CONFIG["root_packages"])
    layers = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]
    named = {layer.strip("()") for layer in layers}
    for package in _local_packages() - {"pingdingshan"}:
        assert package in named, f"{package} has no layer in the import-linter contract"
    assert "pingdingshan.core" == layers[-1]


def test_the_import_contracts_are_kept():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_core_imports_no_app():
    """The same rule, readable without the linter: no module of pingdingshan/core names an app."""
    offenders = []
    for path in (ROOT / "pingdingshan" / "core").rglob("*.py"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("from ", "import ")) and any(
                    stripped.split()[1].split(".")[0] == app for app in ("cadres", "assessment", "promotion", "analysis")):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {stripped}")
    assert offenders == []


def test_apps_register_in_ready():
    cadre_tabs = [t.key for t in registry.tabs.for_page("cadre")]
    assert "assessment" in cadre_tabs  # assessment's tab on the roster's cadre page
    assert registry.bell_counts.get("waiting").action == "verify"
    assert [f.key for f in registry.home_figures] == ["cadre_count", "unit_count"]
    assert registry.health_checks.get("ranks") is not None
    assert registry.demo_steps.get("results") is not None


def test_registry_orders_and_replaces():
    reg = registry.Registry("t")
    reg.register(registry.HomeFigure(key="b", value=lambda u: 2, order=20))
    reg.register(registry.HomeFigure(key="a", value=lambda u: 1, order=10))
    reg.register(registry.HomeFigure(key="b", value=lambda u: 3, order=5))  # again: replaced
    assert [(f.key, f.get(None)) for f in reg] == [("b", 3), ("a", 1)]
    assert len(reg) == 2


def test_dotted_paths_resolve_when_used():
    tab = registry.Tab(key="x", label="x", icon="", template="", context="os.path.join")
    assert tab.get_context("a", "b") == "a/b"


# Helpers another module uses have public names.
def test_no_module_imports_another_modules_private_names():
    import ast

    offenders = []
    for package in ("pingdingshan", "cadres", "assessment", "promotion"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            rel = str(path.relative_to(ROOT))
            importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom):
                    parts = (node.module or "").split(".")
                    private = [i for i, p in enumerate(parts) if p.startswith("_") and not p.startswith("__")]
                    # a private module (views/_common.py) is for its own package: relative imports
                    # from a sibling are fine, an absolute import from elsewhere is not
                    if node.level == 0 and private and not importer.startswith(".".join(parts[:private[0]]) + "."):
                        offenders.append(f"{rel}: from {node.module} import …")
                    for alias in node.names:
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            offenders.append(f"{rel}: {alias.name} from {node.module}")
    assert offenders == []
