"""Reads a module's imports and row look-ups from its source (ast), for the architecture tests."""
import ast
from pathlib import Path

from tests.support.paths import BASE_DIR



def python_files(*places):
    """The .py files of these folders or files, relative to the repository root."""
    for place in places:
        path = BASE_DIR / place
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def module_name(path):
    parts = list(Path(path).resolve().relative_to(BASE_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path, module=None):
    """Every module a file imports, at the top or inside functions, as absolute dotted names.
    `module` is the file's dotted name (by default, from its place in the repository)."""
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    package = (module or module_name(path)).split(".")
    if Path(path).name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]  # `from pkg import module`
    return found


def own_row_lookups(source, model_names):
    """Where a piece of code looks rows up by itself instead of through services.access: a
    get_object_or_404, a `Model.objects` of one of `model_names`, or a filter on an owner column.
    Returns (line, what) pairs."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in ("get_object_or_404", "get_list_or_404"):
                found.append((node.lineno, name))
            for keyword in node.keywords:
                key = keyword.arg or ""
                if key in ("owner", "owner_id", "requester") or "owner__" in key or key.endswith("__owner"):
                    found.append((node.lineno, f"{name}({key}=…)"))
        if (isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
                and node.value.id in model_names):
            found.append((node.lineno, f"{node.value.id}.objects"))
    return found
