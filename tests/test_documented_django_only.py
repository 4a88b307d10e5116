"""The app uses documented Django only: no private names, no query compiler internals, no undocumented hooks.

The rule, for every module under articles/ except migrations:

- No import from a private module (a dotted path with a segment that starts with one underscore, as
  ``django.utils._os``) and no import of a name that starts with one underscore from outside the project.
- No attribute that starts with one underscore (``obj._name``, or ``getattr(obj, "_name")`` and its
  siblings), except the three Django documents (``_meta``, ``_default_manager``, ``_base_manager``) and
  names the project binds itself (a def, a class, an assignment, a queryset annotation) that Django's own
  code never uses. So ``self._cache = …`` in the project makes ``_cache`` its own only if Django has no
  ``_cache`` of its own that the project could be reaching.
- None of the internals the project once leaned on, however spelled: ``QuerySet.extra()``,
  ``get_compiler``, ``klass_info``, ``get_related_populators``, ``_iterable_class``, ``apply_converters``,
  ``InclusionAdminNode``, and the driver's own connection behind Django's (``connection.connection``)
  with the checks that went with running SQL on it.
- A management command that extends one of Django's overrides only the methods and attributes Django
  documents for commands.
"""

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "articles"
PROJECT_PACKAGES = ("articles", "newsroom")
DOCUMENTED_UNDERSCORE = frozenset({"_meta", "_default_manager", "_base_manager"})
INTERNALS = frozenset(
    {
        "get_compiler",
        "klass_info",
        "get_related_populators",
        "_iterable_class",
        "apply_converters",
        "InclusionAdminNode",
        # Running SQL on the driver's connection, past Django's cursor, took these.
        "wrap_database_errors",
        "validate_no_broken_transaction",
        "validate_thread_sharing",
        "queries_logged",
    }
)
ATTRIBUTE_FUNCTIONS = frozenset({"getattr", "hasattr", "setattr", "delattr"})
ANNOTATING = frozenset({"annotate", "alias", "values"})
# What Django documents on BaseCommand for subclasses to override or set.
DOCUMENTED_COMMAND_NAMES = frozenset(
    {
        "add_arguments",
        "check",
        "create_parser",
        "execute",
        "get_version",
        "handle",
        "run_from_argv",
        "help",
        "missing_args_message",
        "output_transaction",
        "requires_migrations_checks",
        "requires_system_checks",
        "stealth_options",
        "suppressed_base_arguments",
    }
)


def is_private(name):
    return name.startswith("_") and not name.startswith("__")


def app_modules():
    """Return every Python file of the app, migrations left out (Django writes those)."""
    return sorted(path for path in APP.rglob("*.py") if "migrations" not in path.relative_to(APP).parts)


def attribute_names(tree):
    """Yield (node, name) for each attribute the code reads or writes, spelled out or as a getattr() string."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            yield node, node.args[1].value


def bound_names(tree):
    """Return the underscore names a module binds itself: defs, classes, assignments, annotations."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute):
                        bound.add(part.attr)
                    elif isinstance(part, ast.Name):
                        bound.add(part.id)
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in ANNOTATING:
                bound.update(keyword.arg for keyword in node.keywords if keyword.arg)
            if isinstance(node.func, ast.Name) and node.func.id == "setattr" and len(node.args) >= 2:
                if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    bound.add(node.args[1].value)
    return {name for name in bound if is_private(name)}


@cache
def django_underscore_names():
    """Return every underscore name in Django's own code, to tell the project's names from Django's."""
    names = set()
    for path in Path(django.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"\b_\w+", path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(names)


def project_names(trees):
    """Return the underscore attribute names that are the project's own."""
    bound = set().union(*(bound_names(tree) for tree in trees))
    return {name for name in bound if name not in INTERNALS and name not in django_underscore_names()}


def names_a_connection(node):
    """Tell whether an expression is a Django database connection (connection, x.connection, connections[…])."""
    if isinstance(node, ast.Subscript):
        node = node.value
        return (
            isinstance(node, ast.Name | ast.Attribute)
            and getattr(node, "id", getattr(node, "attr", "")) == "connections"
        )
    return (isinstance(node, ast.Name) and node.id == "connection") or (
        isinstance(node, ast.Attribute) and node.attr == "connection"
    )


def offences(tree, own):
    """Yield (line, what) for every use of a private or internal Django name in one module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in PROJECT_PACKAGES:
                continue
            if any(is_private(part) for part in node.module.split(".")):
                yield node.lineno, f"imports from the private module {node.module}"
            for alias in node.names:
                if is_private(alias.name) or alias.name in INTERNALS:
                    yield node.lineno, f"imports {alias.name} from {node.module}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(is_private(part) for part in alias.name.split(".")):
                    yield node.lineno, f"imports the private module {alias.name}"
        elif isinstance(node, ast.Name) and node.id in INTERNALS:
            yield node.lineno, f"uses {node.id}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "extra":
            yield node.lineno, "calls QuerySet.extra()"
        elif isinstance(node, ast.Attribute) and node.attr == "connection" and names_a_connection(node.value):
            yield node.lineno, "uses the database driver's connection"
    for node, name in attribute_names(tree):
        if name in INTERNALS:
            yield node.lineno, f"touches {name}"
        elif is_private(name) and name not in DOCUMENTED_UNDERSCORE and name not in own:
            yield node.lineno, f"touches {name}"


def scan(sources, report=None):
    """Return "file:line: what" for every offence in the modules of {name: source} that report names, all at once.

    Every module given counts for the project's own names; only those in report (all, by default) are checked.
    """
    trees = {name: ast.parse(source, filename=name) for name, source in sources.items()}
    own = project_names(trees.values())
    return [
        f"{name}:{line}: {what}"
        for name, tree in trees.items()
        if report is None or name in report
        for line, what in sorted(set(offences(tree, own)))
    ]


def test_the_app_names_no_private_or_internal_django_name():
    modules = [*app_modules(), *sorted((ROOT / "newsroom").rglob("*.py"))]
    sources = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in modules}
    found = scan(sources, report={str(path.relative_to(ROOT)) for path in app_modules()})
    assert not found, "Undocumented Django in the app:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_offence_and_spares_the_projects_own_names():
    bad = """
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils._os import safe_join
from django.db.models.query import _something
import django.utils._os

def view(response, image, qs):
    single = len(getattr(response, "_container", ()))
    if not image.file._committed:
        qs = qs.extra(where=["1=1"])
    qs._iterable_class = object
    compiler = qs.query.get_compiler("default")
    rows = connections["default"].connection.execute("SELECT 1")
    return compiler.klass_info, qs._meta, qs._default_manager, rows

class Mine:
    def __init__(self):
        self._rows = []

    def rows(self):
        return self._rows
"""
    found = scan({"bad.py": bad})
    assert found == [
        "bad.py:2: imports InclusionAdminNode from django.contrib.admin.templatetags.base",
        "bad.py:3: imports from the private module django.utils._os",
        "bad.py:4: imports _something from django.db.models.query",
        "bad.py:5: imports the private module django.utils._os",
        "bad.py:8: touches _container",
        "bad.py:9: touches _committed",
        "bad.py:10: calls QuerySet.extra()",
        "bad.py:11: touches _iterable_class",
        "bad.py:12: touches get_compiler",
        "bad.py:13: uses the database driver's connection",
        "bad.py:14: touches klass_info",
    ], "\n".join(found)


def test_a_private_django_name_stays_forbidden_when_the_project_assigns_it_too():
    found = scan({"cache.py": "def join(response):\n    response._container = [response.content]\n"})
    assert found == ["cache.py:2: touches _container"]


def undocumented_overrides(command):
    """Return the names a command class sets that Django's command classes have and do not document."""
    django_bases = [base for base in command.__mro__[1:] if base.__module__.startswith("django.")]
    return [
        name
        for name in vars(command)
        if not name.startswith("__")
        and name not in DOCUMENTED_COMMAND_NAMES
        and any(name in vars(base) for base in django_bases)
    ]


def test_commands_override_only_what_django_documents_for_commands():
    found = []
    # The app's commands and the development tools' (articles/devtools/management/commands/).
    for path in sorted(APP.rglob("management/commands/*.py")):
        if path.stem == "__init__":
            continue
        command = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts)).Command
        for name in undocumented_overrides(command):
            value = vars(command)[name]
            line = inspect.getsourcelines(value)[1] if inspect.isfunction(value) else "?"
            found.append(f"{path.relative_to(ROOT)}:{line}: overrides {name}")
    assert not found, "Undocumented command methods overridden:\n" + "\n".join(found)


def test_the_command_check_sees_overrides_of_loaddatas_undocumented_methods():
    from django.core.management.commands import loaddata

    def method(self, *args):
        return None

    overriding = type(
        "Command",
        (loaddata.Command,),
        {"handle": method, "add_arguments": method, "load_label": method, "save_obj": method, "load_all": method},
    )
    assert undocumented_overrides(overriding) == ["load_label", "save_obj"]
