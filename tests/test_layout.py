"""The package's own imports hold its layout: no import cycle among kg's modules (module level or
inside functions alike: a function-local import does not make a cycle go away, it only hides it),
no import from a lower layer back up, no private name imported from another kg module, and no long
function."""

from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"

KNOWN_CYCLES: set[frozenset[str]] = set()  # none: a new cycle fails


def _module(path: Path) -> str:
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, list[tuple[str, list[str], int]]]:
    """For each kg module: (kg module imported, names taken from it, line), every import in it."""
    found: dict[str, list[tuple[str, list[str], int]]] = {}
    for path in sorted(KG.rglob("*.py")):
        name = _module(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = found.setdefault(name, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target == "kg" or target.startswith("kg."):
                    names = [a.name for a in node.names]
                    edges.append((target, names, node.lineno))
            elif isinstance(node, ast.Import):
                edges += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("kg.")]
    return found


def _resolve(target: str, modules: set[str], names: list[str]) -> list[str]:
    """`from kg.x import y` is module kg.x.y when that is a module, else module kg.x."""
    subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
    return subs or [target]


def test_no_import_cycles() -> None:
    imports = _imports()
    modules = set(imports)
    graph = {m: {t for target, names, _ in edges for t in _resolve(target, modules, names)
                 if t in modules and t != m and t != "kg"}
             for m, edges in imports.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycles.append([*path[path.index(t):], t])
            elif t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    found = {frozenset(c) for c in cycles}
    assert found == KNOWN_CYCLES, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_private_name_crosses_modules() -> None:
    crossing = [f"{m}:{line} imports {n} from {target}" for m, edges in _imports().items()
                for target, names, line in edges for n in names
                if n.startswith("_") and not n.startswith("__") and target != m]
    assert not crossing, "\n".join(crossing)


def test_no_function_in_kg_is_over_60_lines() -> None:
    long = [f"{path.relative_to(KG.parent)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path in sorted(KG.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno
            and node.end_lineno - node.lineno + 1 > 60]
    assert not long, long


# The layers, top down: what runs many documents and the command line; the one document; the stages.
# A module may import from its own layer or below, never up.
def _layer(module: str) -> int:
    if module in ("kg", "kg.__main__", "kg.pipeline") or module.startswith(("kg.cli", "kg.run")):
        return 0 if module.startswith("kg.cli") or module in ("kg", "kg.__main__") else 1
    return 2 if module == "kg.document" else 3


def test_no_import_from_a_lower_layer_back_up() -> None:
    imports = _imports()
    modules = set(imports)
    upward = [f"{m}:{line} imports {t}" for m, edges in imports.items() for target, names, line in edges
              if names != ["__version__"]  # kg's version, a constant every layer may read
              for t in _resolve(target, modules, names) if t in modules and _layer(t) < _layer(m)]
    assert not upward, "\n".join(upward)


def test_the_layers_are_the_ones_the_readme_draws() -> None:
    """The test above is only as good as its layers: each holds the modules it names."""
    assert _layer("kg.cli") == 0 and _layer("kg.run.local") == 1 and _layer("kg.document") == 2
    assert _layer("kg.extract.roles") == 3 and _layer("kg.rdf") == 3 and _layer("kg.mapping") == 3
    assert {"kg.document", "kg.run.local", "kg.extract.roles"} <= set(_imports())


def test_every_package_is_in_the_wheel() -> None:
    """pyproject.toml names kg's packages one by one (kg.mappings lives in mappings/): a package
    left off is missing from a non-editable install, which then fails on import."""
    import tomllib

    config = tomllib.loads((KG.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {_module(p) for p in KG.rglob("__init__.py")}
    assert on_disk <= set(config["packages"]), sorted(on_disk - set(config["packages"]))
    assert set(config["packages"]) - on_disk == {"kg.mappings"}
    assert config["package-dir"]["kg.mappings"] == "mappings"
