"""subscriptions sits below publication and beside jury: it imports neither."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "subscriptions"
FORBIDDEN = {"jury", "publication"}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_subscriptions_imports_neither_jury_nor_publication():
    offenders = {
        str(path.relative_to(APP)): sorted(imported_apps(path) & FORBIDDEN)
        for path in APP.rglob("*.py")
        if imported_apps(path) & FORBIDDEN
    }
    assert offenders == {}


def test_subscriptions_names_no_jury_or_publication_model_in_strings():
    # ForeignKey("jury.X") and task names slip past an import check.
    for path in APP.rglob("*.py"):
        text = path.read_text()
        assert '"jury.' not in text, path
        assert '"publication.' not in text, path
