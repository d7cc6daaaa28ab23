"""The clock rule, checked on the source (ARCHITECTURE.md rule 1, docs/time.md): the clock is
read at the edges (views, API handlers, the command line, the worker loop) and handed down as
``now``; below them nothing reads it.

A *clock read* is a call of ``timezone.now()``, ``datetime.now()``, ``date.today()``,
``time.time()`` and their kin, or of a function of ``src/soporte`` that makes one (directly or
through the functions it calls) when the call does not pass ``now`` or ``at``. Handing the clock
itself down (``now=timezone.now``, no call) is not a read. A violation is a clock read

- in a function that takes ``now`` or ``at`` (it was given the time: it must use it), or
- anywhere in a module below the edges: ``services``, ``selectors``, ``handlers``, a
  ``domain`` package, ``bizclock``.

Calls are resolved by name, as far as the source says: functions of the module itself, names
imported from a module of the package, and ``module.function`` through an imported module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "soporte"
SOURCE = Path(__file__).resolve().parents[2] / "src" / PACKAGE
TIME_PARAMETERS = frozenset({"now", "at"})
BELOW_THE_EDGES = frozenset({"services", "selectors", "handlers"})
BELOW_THE_EDGES_PACKAGES = frozenset({"domain", "bizclock"})

_READS = {
    "now": {"timezone", "datetime"},
    "utcnow": {"datetime"},
    "today": {"date", "datetime"},
    "localtime": {"timezone"},
    "localdate": {"timezone"},
    "time": {"time"},
    "time_ns": {"time"},
}
"""``owner.method()`` calls that read the clock, by method: the owners' names as imported."""
_READS_WITHOUT_ARGUMENTS = {"localtime", "localdate"}
"""Django's ``timezone.localtime()``/``localdate()`` read the clock only when given nothing."""


@dataclass(frozen=True, slots=True)
class Violation:
    module: str
    function: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} {self.function}: {self.what}"


@dataclass(slots=True)
class _Function:
    module: str
    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    imports: dict[str, str]
    takes_time: bool
    below: bool
    direct: list[tuple[int, str]] = field(default_factory=list)
    calls: list[tuple[int, str, bool]] = field(default_factory=list)
    """``(line, qualified callee, passes now or at)``."""


def check(sources: dict[str, str]) -> list[Violation]:
    """The violations in ``sources`` (module name → its text)."""
    functions = {f"{f.module}.{f.name}": f for f in _functions(sources)}
    reads = {name for name, f in functions.items() if f.direct}
    changed = True
    while changed:  # a function reads the clock if a callee it does not give the time does
        changed = False
        for name, f in functions.items():
            if name not in reads and any(
                callee in reads and not passes for _, callee, passes in f.calls
            ):
                reads.add(name)
                changed = True
    found = []
    for f in functions.values():
        if not (f.takes_time or f.below):
            continue
        why = "takes the time but" if f.takes_time else "is below the edges but"
        found += [
            Violation(f.module, f.name, line, f"{why} reads the clock: {what}")
            for line, what in f.direct
        ]
        found += [
            Violation(f.module, f.name, line, f"{why} calls {callee}, which reads the clock")
            for line, callee, passes in f.calls
            if callee in reads and not passes
        ]
    return sorted(found, key=lambda v: (v.module, v.line))


def package_sources(root: Path = SOURCE) -> dict[str, str]:
    """Every module of the package but migrations, by dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        found[".".join(parts)] = path.read_text(encoding="utf-8")
    return found


def _functions(sources: dict[str, str]) -> Iterator[_Function]:
    for module, text in sources.items():
        tree = ast.parse(text)
        imports = _imports(tree)
        parts = module.split(".")
        below = parts[-1] in BELOW_THE_EDGES or bool(BELOW_THE_EDGES_PACKAGES & set(parts))
        for name, node in _definitions(tree):
            f = _Function(module, name, node, imports, _takes_time(node), below)
            _scan(f, sources)
            yield f


def _definitions(
    tree: ast.Module,
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Top-level functions and methods, by (qualified) name; nested ones belong to them."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def _takes_time(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = node.args
    names = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    return any(a.arg in TIME_PARAMETERS for a in names)


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name → what it names: ``soporte.x.y`` (a module) or ``soporte.x.y.f`` (absolute
    imports only: the package has no relative ones)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    found[alias.name.split(".")[0]] = alias.name.split(".")[0]
    return found


def _scan(f: _Function, sources: dict[str, str]) -> None:
    for node in ast.walk(f.node):  # nested functions and lambdas belong to ``f``
        if not isinstance(node, ast.Call):
            continue
        what = _clock_call(node, f.imports)
        if what:
            f.direct.append((node.lineno, what))
            continue
        callee = _callee(node.func, f, sources)
        if callee is not None:
            passes = any(k.arg in TIME_PARAMETERS for k in node.keywords)
            f.calls.append((node.lineno, callee, passes))


def _clock_call(call: ast.Call, imports: dict[str, str]) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        method = func.attr
        if owner_name in _READS.get(method, ()) and not (
            method in _READS_WITHOUT_ARGUMENTS and (call.args or call.keywords)
        ):
            return f"{owner_name}.{method}()"
    elif isinstance(func, ast.Name):
        origin = imports.get(func.id, "")
        if origin in {"django.utils.timezone.now", "time.time", "time.time_ns"}:
            return f"{func.id}()"
        if origin in {
            "django.utils.timezone.localtime",
            "django.utils.timezone.localdate",
        } and not (call.args or call.keywords):
            return f"{func.id}()"
    return ""


def _callee(func: ast.expr, f: _Function, sources: dict[str, str]) -> str | None:
    """The qualified name of the package function a call names, if the source says."""
    if isinstance(func, ast.Name):
        origin = f.imports.get(func.id)
        if origin is None:
            return f"{f.module}.{func.id}"
        return origin if origin.startswith(f"{PACKAGE}.") else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        origin = f.imports.get(func.value.id, "")
        if origin in sources:
            return f"{origin}.{func.attr}"
    return None
