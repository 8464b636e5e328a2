"""The project's modules import each other without a knot.

The import graph is read from the source with `ast`, every `import` counted wherever it stands: at
the top, inside a function (a deferred import is still a dependency, only a later one), or as
`importlib.import_module("...")` with a literal name. A cycle is named, module by module.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def packages(root: Path = REPO_ROOT) -> list[Path]:
    """The repository's own top-level packages (skill/, localdev/, benchmarks/, tests/...)."""
    return sorted(path.parent for path in root.glob("*/__init__.py")
                  if not path.parent.name.startswith("."))


def modules(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the project's packages."""
    found = {}
    for package in packages(root):
        for path in package.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if any(part.startswith(".") or part == "node_modules" for part in parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imported_names(tree: ast.AST, module: str, is_package: bool, known: dict[str, Path]):
    """Every module name `module`'s source imports (resolved if relative). `from a.b import c`
    imports the module a.b.c when there is one, else the name c of a.b."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield base + "." + alias.name if base + "." + alias.name in known else base
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id == "__import__"))):
            yield node.args[0].value


def import_graph(root: Path = REPO_ROOT) -> dict[str, set[str]]:
    """Module -> the project's modules it imports."""
    found = modules(root)
    graph = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {imported for imported in _imported_names(
            tree, name, path.name == "__init__.py", found) if imported in found} - {name}
    return graph


def knots(graph: dict[str, set[str]]) -> list[set[str]]:
    """The sets of modules that import each other, directly or round a longer loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) for each knot."""
    return [_a_cycle(graph, knot) for knot in knots(graph)]


def _a_cycle(graph: dict[str, set[str]], knot: set[str]) -> list[str]:
    """The shortest way round from the knot's first module back to itself."""
    start = min(knot)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & knot):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    raise AssertionError(f"no way round {sorted(knot)}")


def test_the_projects_modules_import_each_other_without_a_cycle():
    graph = import_graph()
    found = [(_a_cycle(graph, knot), knot) for knot in knots(graph)]
    assert not found, "import cycles:\n" + "\n".join(
        " -> ".join(cycle) + (f" (a knot of {len(knot)}: {', '.join(sorted(knot))})"
                              if len(knot) > 2 else "") for cycle, knot in found)


def test_the_graph_sees_every_package_and_imports_made_inside_functions():
    graph = import_graph()
    assert {"skill", "localdev", "benchmarks", "tests"} <= {name.split(".")[0] for name in graph}
    assert "skill.speech" in graph["skill.app"]
    # skill/conversation/__init__.py imports the topic modules inside request_handlers().
    assert "skill.conversation.relief" in graph["skill.conversation"]


def test_a_deferred_mutual_import_is_named_as_a_cycle(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def later():\n    from pkg.a import thing\n")
    (package / "c.py").write_text("import pkg.a\n")
    assert cycles(import_graph(tmp_path)) == [["pkg.a", "pkg.b", "pkg.a"]]


# A name used but never defined or imported is a NameError at the moment the line runs, which
# may be one conversation among hundreds (a merge once dropped an import that a later change
# still called: 15 conversations failed, the rest passed). pyflakes finds them without running.
NEVER_DEFINED = ("UndefinedName", "UndefinedExport", "UndefinedLocal")


def test_every_name_the_code_uses_is_defined():
    from pyflakes.checker import Checker

    problems = []
    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        checker = Checker(ast.parse(source, filename=str(path)), filename=str(path))
        problems += [f"{path.relative_to(REPO_ROOT)}:{message.lineno}: "
                     f"{message.message % message.message_args}"
                     for message in checker.messages
                     if type(message).__name__ in NEVER_DEFINED]
    assert not problems, "\n".join(problems)
