"""Architecture rules for the ``compare`` package, read from the source with ``ast``.

- no import cycle between compare's modules, function-level imports included;
- no private name (``_name``) imported from another compare module;
- no module over ``MAX_LINES`` lines.

Importing ``compare.x.y`` first runs ``compare/x/__init__.py``, so an import of a module
also counts as an import of each package above it, except the importer's own packages:
those are already being imported when it runs, which is what lets a package ``__init__``
re-export its submodules. An explicit ``from . import name`` inside a package does count,
so a submodule that takes names from its own re-exporting ``__init__`` shows up as a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "compare"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE
MAX_LINES = 650



@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a compare module
    names: tuple[str, ...]  # names taken from ``target`` (empty for ``import x`` or a submodule)
    line: int
    explicit: bool  # False for the package __init__ that an import runs on its way down

    def __str__(self) -> str:
        via = "" if self.explicit else " (its package __init__)"
        return f"{self.importer} -> {self.target}{via}  [{self.importer}:{self.line}]"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_files(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def is_package(module: str, files: dict[str, Path]) -> bool:
    return files[module].name == "__init__.py"


def ancestors(module: str) -> list[str]:
    """``compare.a.b`` -> ``["compare", "compare.a"]``."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def known_prefix(name: str, files: dict[str, Path]) -> str | None:
    """The longest prefix of a dotted name that is a compare module (``compare.x.func`` -> ``compare.x``)."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        candidate = ".".join(parts[:i])
        if candidate in files:
            return candidate
    return None


def imports_of(module: str, files: dict[str, Path]) -> Iterator[Import]:
    """Every import of a compare module in ``module``, at any depth (functions, TYPE_CHECKING)."""
    tree = ast.parse(files[module].read_text(encoding="utf-8"))
    package = module if is_package(module, files) else module.rpartition(".")[0]
    own_packages = {*ancestors(module), module}
    for node in ast.walk(tree):
        found: list[tuple[str, tuple[str, ...]]] = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = known_prefix(alias.name, files)
                if target is not None:
                    found.append((target, ()))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            target = known_prefix(base, files)
            if target is None:
                continue
            names: list[str] = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if target == base and sub in files:
                    found.append((sub, ()))  # ``from pkg import submodule``
                else:
                    names.append(alias.name)
            if names or not found:
                found.append((target, tuple(names)))
        for target, names in found:
            if target != module:
                yield Import(module, target, names, node.lineno, explicit=True)
            for pkg in ancestors(target):
                if pkg not in own_packages:
                    yield Import(module, pkg, (), node.lineno, explicit=False)


def import_graph(package_dir: Path = PACKAGE_DIR) -> tuple[dict[str, Path], list[Import]]:
    files = module_files(package_dir)
    return files, [imp for module in files for imp in imports_of(module, files)]


def graph_of(imports: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports:
        edges.setdefault(imp.importer, set()).add(imp.target)
    return edges


def cyclic_groups(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan), i.e. the cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_scan_sees_the_package() -> None:
    files, imports = import_graph()
    assert {"compare", "compare.pipeline", "compare.render", "compare.render.html"} <= set(files)
    edges = {(i.importer, i.target) for i in imports}
    # A function-level import and a relative import from a subpackage are both seen.
    assert ("compare.pipeline", "compare.render.html") in edges
    assert ("compare.render.report", "compare.records") in edges
    # Importing compare.render.markdown from outside runs compare/render/__init__.py first.
    assert ("compare.pipeline", "compare.render") in edges


def test_the_rules_catch_what_they_should(tmp_path: Path) -> None:
    """A made-up package: a re-exporting __init__, a submodule importing from it, a
    private name imported from outside, and an outside import that runs the __init__."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .a import A\n")
    (pkg / "sub" / "a.py").write_text("from .b import B\nA = B\n")
    (pkg / "sub" / "b.py").write_text("B = 1\n")
    (pkg / "user.py").write_text("def f():\n    from .sub.b import _hidden, B\n")
    _, imports = import_graph(pkg)
    edges = {(i.importer, i.target) for i in imports}
    assert {("pkg.sub", "pkg.sub.a"), ("pkg.sub.a", "pkg.sub.b"), ("pkg.user", "pkg.sub.b"),
            ("pkg.user", "pkg.sub")} == edges  # a submodule's own package is no edge
    assert [n for i in imports for n in i.names if is_private(n)] == ["_hidden"]
    assert cyclic_groups(graph_of(imports)) == []

    (pkg / "sub" / "b.py").write_text("from . import A\nB = 1\n")  # from its own __init__
    assert cyclic_groups(graph_of(import_graph(pkg)[1])) == [{"pkg.sub", "pkg.sub.a", "pkg.sub.b"}]


def test_no_import_cycle() -> None:
    _, imports = import_graph()
    checked = list(imports)
    report = []
    for group in cyclic_groups(graph_of(checked)):
        report.append("cycle among " + ", ".join(sorted(group)) + ":")
        report += [f"  {imp}" for imp in checked if imp.importer in group and imp.target in group]
    assert not report, "\n".join(report)


def test_no_private_name_imported_from_another_module() -> None:
    _, imports = import_graph()
    private = [
        f"{imp}: {name}"
        for imp in imports
        for name in imp.names
        if is_private(name)
    ]
    assert not private, "private names imported across modules:\n" + "\n".join(private)


def test_no_module_is_too_long() -> None:
    files = module_files()
    long = {
        m: n for m, p in files.items()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


MAX_FUNCTION_LINES = 80


def test_no_function_is_too_long() -> None:
    import ast

    long = []
    for module, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {n} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them into named steps):\n" + "\n".join(long)
