"""Imports between the apps go one way, as ARCHITECTURE.md draws them.

Every module under the apps (migrations and tests aside) is parsed, not imported; each
`import x` and `from x import y`, at the top or inside a function, is an edge. An edge from
one app to another is allowed when the other sits lower, or is one of the project package's
shared building blocks. The few crossings today's code still makes are listed, each with its
reason, in ALLOWED_CROSSINGS; an entry that no longer matches an import fails too, so the list
only shrinks.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lower number, lower layer: an app may import its own layer's modules only within itself.
LAYERS = {
    "outbox": 0,
    "audit": 0,
    "accounts": 1,
    "nominations": 2,
    "jury": 3,
    "subscriptions": 4,
    "publication": 5,
    "privacy": 6,
    "kvinnofrid": 7,
}

# The project package's building blocks that every app may use: they import no app
# (checked below), so they sit under everything.
SHARED = {
    "kvinnofrid.admin_readonly",
    "kvinnofrid.autosave",
    "kvinnofrid.broker",
    "kvinnofrid.env",
    "kvinnofrid.fields",
    "kvinnofrid.forms",
    "kvinnofrid.pdf",
    "kvinnofrid.ratelimit",
    "kvinnofrid.records",
    "kvinnofrid.storage",
    "kvinnofrid.translation",
}

# (importing module, imported module): why the crossing is still there.
ALLOWED_CROSSINGS: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from jury import selectors` is an import of jury.selectors, not of jury.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _app(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LAYERS else None


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The longest known module `name` is or lies in (`jury.rules.allowed` → `jury.rules`)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return name


def _is_shared(module: str) -> bool:
    return any(module == shared or module.startswith(shared + ".") for shared in SHARED)


def _is_crossing(importer: str, imported: str) -> bool:
    """Does this edge go against the layers?"""
    own, target = _app(importer), _app(imported)
    if own is None or target is None or target == own:
        return False
    if _is_shared(importer):
        return True
    return not (_is_shared(imported) or LAYERS[target] < LAYERS[own])


def _crossings() -> set[tuple[str, str]]:
    modules = _modules()
    return {
        (importer, imported)
        for importer, path in modules.items()
        for imported in (_resolve(name, modules) for name in _imports(path))
        if _is_crossing(importer, imported)
    }


def test_the_walk_sees_the_imports():
    # Guards the test itself: a walk that saw nothing would pass everything.
    modules = _modules()
    assert "jury.services.vote" in modules
    assert "nominations.models" in {_resolve(n, modules) for n in _imports(modules["jury.admin"])}
    assert _is_crossing("nominations.selectors", "publication.models")
    assert _is_crossing("kvinnofrid.translation", "nominations.models")
    assert not _is_crossing("publication.selectors", "nominations.models")
    assert not _is_crossing("outbox.admin", "kvinnofrid.admin_readonly")


def test_imports_go_down_the_layers():
    unexplained = _crossings() - ALLOWED_CROSSINGS.keys()
    assert unexplained == set(), (
        "these imports go against ARCHITECTURE.md (an app may import only apps below it): "
        f"{sorted(unexplained)}"
    )


def test_every_allowed_crossing_is_still_made():
    stale = ALLOWED_CROSSINGS.keys() - _crossings()
    assert stale == set(), f"stale in ALLOWED_CROSSINGS: {sorted(stale)}"


@pytest.mark.parametrize("shared", sorted(SHARED))
def test_shared_building_blocks_import_no_app(shared):
    path = _modules()[shared]
    apps = {_app(name) for name in _imports(path)} - {None}
    assert apps <= {"kvinnofrid"}, f"{shared} imports {apps}"
    inner = {name for name in _imports(path) if _app(name) == "kvinnofrid"}
    assert {_resolve(name, _modules()) for name in inner} <= SHARED
