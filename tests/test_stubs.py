"""The type stub python/corepy/__init__.pyi against the runtime.

The stub is parsed with `ast` (nothing is type-checked here) and compared with what the installed
build exposes: the public names, the Tensor class's members, and the parameter names, kinds
(positional-only, keyword-only, *args) and defaults of every function the runtime can describe
(`inspect.signature`; PyO3 functions expose `__text_signature__`).
"""

from __future__ import annotations

import ast
import inspect
import operator
import sys
import types
from pathlib import Path

import pytest

import corepy as cp
from corepy import _api, _core

STUB_PATH = Path(cp.__file__).with_name("__init__.pyi")
STUB = ast.parse(STUB_PATH.read_text(), filename=str(STUB_PATH))

# Runtime Tensor members the stub leaves out on purpose, each with the reason (and a check that
# the reason still holds, so the exemption cannot outlive it).
TENSOR_NOT_IN_STUB = {
    # PyO3 fills the mapping slot's delete half along with __setitem__; deleting raises.
    "__delitem__": "del t[0] raises NotImplementedError",
}
# Class metadata, not API.
TENSOR_METADATA = {"__doc__", "__module__", "__new__"}


# ------------------------------------------------------------------------------- stub parsing


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _version_check(test: ast.expr) -> bool | None:
    """The value of `sys.version_info <op> (x, y)` on this interpreter, None for other tests."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and ast.unparse(test.left) == "sys.version_info"
    ):
        return None
    ops = {
        ast.GtE: operator.ge,
        ast.Gt: operator.gt,
        ast.Lt: operator.lt,
        ast.LtE: operator.le,
    }
    op = ops.get(type(test.ops[0]))
    if op is None:
        return None
    return op(sys.version_info, ast.literal_eval(test.comparators[0]))


def _statements(body: list[ast.stmt]):
    """The statements of a module or class body, entering `if sys.version_info ...` blocks the
    way a type checker would for this interpreter (both branches of any other `if`)."""
    for node in body:
        if isinstance(node, ast.If):
            taken = _version_check(node.test)
            if taken is None or taken:
                yield from _statements(node.body)
            if taken is None or not taken:
                yield from _statements(node.orelse)
        else:
            yield node


def _definitions(body: list[ast.stmt]) -> dict[str, list[ast.AST]]:
    """Every name a body defines, with its defining nodes (several for overloads). Imports
    count only in the explicit re-export form `from m import X as X` (PEP 484)."""
    out: dict[str, list[ast.AST]] = {}
    for node in _statements(body):
        names: list[str] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                names += [t.id for t in elts if isinstance(t, ast.Name)]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.asname for a in node.names if a.asname and a.asname == a.name]
        for name in names:
            out.setdefault(name, []).append(node)
    return out


TOP = _definitions(STUB.body)


def _class(name: str) -> ast.ClassDef:
    nodes = [n for n in TOP.get(name, []) if isinstance(n, ast.ClassDef)]
    assert nodes, f"the stub defines no class {name}"
    return nodes[0]


def _functions(defs: dict[str, list[ast.AST]], name: str) -> list[ast.FunctionDef]:
    """The stub's definitions of a function (its overloads when there are several), following
    module-level aliases such as `sub = subtract`."""
    nodes = defs.get(name, [])
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            return _functions(defs, node.value.id)
    fns = [n for n in nodes if isinstance(n, ast.FunctionDef)]
    assert fns, f"the stub does not declare {name} as a function"
    return fns


def _decorators(fn: ast.FunctionDef) -> set[str]:
    return {ast.unparse(d) for d in fn.decorator_list}


# ------------------------------------------------------------------------------- signatures

_KIND = {
    "posonly": inspect.Parameter.POSITIONAL_ONLY,
    "args": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "vararg": inspect.Parameter.VAR_POSITIONAL,
    "kwonly": inspect.Parameter.KEYWORD_ONLY,
    "kwarg": inspect.Parameter.VAR_KEYWORD,
}
_NO_DEFAULT = inspect.Parameter.empty


def _default(node: ast.expr | None):
    if node is None:
        return _NO_DEFAULT
    try:
        return ast.literal_eval(node)
    except ValueError:
        pytest.fail(f"stub default {ast.unparse(node)!r} is not a literal to compare")


def _stub_params(fn: ast.FunctionDef, *, method: bool) -> list[tuple[str, object, object]]:
    """(name, kind, default) of each parameter of a stub def; `self` dropped from methods."""
    a = fn.args
    positional = a.posonlyargs + a.args
    pos_defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    params = [
        (p.arg, _KIND["posonly" if i < len(a.posonlyargs) else "args"], _default(d))
        for i, (p, d) in enumerate(zip(positional, pos_defaults, strict=True))
    ]
    if a.vararg:
        params.append((a.vararg.arg, _KIND["vararg"], _NO_DEFAULT))
    params += [
        (p.arg, _KIND["kwonly"], _default(d))
        for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True)
    ]
    if a.kwarg:
        params.append((a.kwarg.arg, _KIND["kwarg"], _NO_DEFAULT))
    return params[1:] if method else params


def _runtime_params(sig: inspect.Signature, *, method: bool) -> list[tuple[str, object, object]]:
    params = [(p.name, p.kind, p.default) for p in sig.parameters.values()]
    return params[1:] if method else params


def _signature(obj) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _check_signature(
    where: str,
    stub_fns: list[ast.FunctionDef],
    sig: inspect.Signature,
    *,
    method: bool,
    names_of_positional_only: bool = True,
) -> list[str]:
    """Differences between a runtime signature and the stub's def (or overloads): every
    overload must have the runtime's parameter names and kinds; a default an overload gives
    must be the runtime's, and each runtime default must appear in some overload (an overload
    may narrow a parameter by requiring it)."""
    errors = []
    rt = _runtime_params(sig, method=method)

    def shape(params):
        return [
            (kind, None if kind == _KIND["posonly"] and not names_of_positional_only else name)
            for name, kind, _ in params
        ]

    def show(params):
        return ", ".join(
            f"{n}[{k.description}]" + ("" if d is _NO_DEFAULT else f"={d!r}") for n, k, d in params
        )

    stubs = [_stub_params(fn, method=method) for fn in stub_fns]
    for st in stubs:
        if shape(st) != shape(rt):
            errors.append(f"{where}: stub ({show(st)}) != runtime ({show(rt)})")
    if errors:
        return errors
    for i, (name, _, rt_default) in enumerate(rt):
        given = [st[i][2] for st in stubs if st[i][2] is not _NO_DEFAULT]
        if rt_default is _NO_DEFAULT and given:
            errors.append(f"{where}: {name} has no default at run time, stub gives {given[0]!r}")
        elif rt_default is not _NO_DEFAULT and not given:
            errors.append(f"{where}: {name}={rt_default!r} at run time, no default in stub")
        for g in given:
            if rt_default is not _NO_DEFAULT and (type(g), g) != (type(rt_default), rt_default):
                errors.append(f"{where}: {name}={g!r} in stub, {rt_default!r} at run time")
    return errors


# ------------------------------------------------------------------------------- (1) names


def test_stub_is_next_to_py_typed():
    assert STUB_PATH.is_file()
    assert STUB_PATH.with_name("py.typed").is_file()


def test_every_exported_name_is_in_the_stub():
    missing = sorted(set(cp.__all__) - set(TOP))
    assert not missing, f"in corepy.__all__ but not in {STUB_PATH.name}: {missing}"


def test_every_public_stub_name_exists_at_runtime():
    public = sorted(n for n in TOP if not _is_private(n))
    absent = [n for n in public if not hasattr(cp, n)]
    assert not absent, f"declared in {STUB_PATH.name} but not at run time: {absent}"


def test_stub_names_have_the_runtime_kind_and_value():
    """Functions are callables, classes classes (with the runtime's bases), modules modules,
    aliases the same objects, literal constants equal (type included) to the runtime's."""
    errors = []
    for name, nodes in TOP.items():
        if _is_private(name) or not hasattr(cp, name):
            continue
        obj = getattr(cp, name)
        node = nodes[0]
        if isinstance(node, ast.FunctionDef):
            if not callable(obj) or isinstance(obj, type):
                errors.append(f"{name}: a function in the stub, {type(obj).__name__} at run time")
        elif isinstance(node, ast.ClassDef):
            if not isinstance(obj, type):
                errors.append(f"{name}: a class in the stub, {type(obj).__name__} at run time")
                continue
            # A typing.NamedTuple class derives from tuple at run time.
            stub_bases = [
                "tuple" if ast.unparse(b) == "NamedTuple" else ast.unparse(b) for b in node.bases
            ] or ["object"]
            rt_bases = [b.__name__ for b in obj.__bases__]
            if stub_bases != rt_bases:
                errors.append(f"{name}: bases {stub_bases} in the stub, {rt_bases} at run time")
        elif isinstance(node, ast.ImportFrom | ast.Import):
            if not isinstance(obj, types.ModuleType):
                errors.append(f"{name}: a module in the stub, {type(obj).__name__} at run time")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            if isinstance(value, ast.Name) and value.id in TOP:
                # An alias: `sub = subtract`, `Array: TypeAlias = Tensor`.
                if obj is not getattr(cp, value.id, None):
                    errors.append(f"{name}: an alias of {value.id} in the stub, not at run time")
            elif value is not None:
                expected = ast.literal_eval(value)
                if (type(obj), obj) != (type(expected), expected):
                    errors.append(f"{name} = {expected!r} in the stub, {obj!r} at run time")
            else:
                ann = ast.unparse(node.annotation)
                for typ in (str, int, float):
                    if ann in (typ.__name__, f"Final[{typ.__name__}]") and type(obj) is not typ:
                        errors.append(f"{name}: {ann} in the stub, {obj!r} at run time")
    assert not errors, "\n".join(errors)


# ------------------------------------------------------------------------------- (2) Tensor


def _runtime_tensor_members() -> set[str]:
    """Public attributes, plus the dunders Tensor defines itself (operators, conversions, the
    array API's protocols), minus class metadata and the documented exemptions."""
    members = {n for n in dir(cp.Tensor) if not n.startswith("_")}
    members |= {n for n in vars(cp.Tensor) if n.startswith("__") and n.endswith("__")}
    if sys.version_info < (3, 12):
        # The buffer protocol is a C slot that Python shows as methods only from 3.12.
        memoryview(cp.Tensor([1.0])).release()
        members |= {"__buffer__", "__release_buffer__"}
    return members - TENSOR_METADATA - set(TENSOR_NOT_IN_STUB)


TENSOR_STUB = _definitions(_class("Tensor").body)


def test_tensor_exemptions_still_hold():
    t = cp.Tensor([1.0, 2.0])
    assert "__delitem__" in dir(cp.Tensor)
    with pytest.raises(NotImplementedError):
        del t[0]


def test_tensor_members_match():
    runtime = _runtime_tensor_members()
    stub = {n for n in TENSOR_STUB if not _is_private(n)} - {"__init__"}
    assert not runtime - stub, f"Tensor members missing from the stub: {sorted(runtime - stub)}"
    assert not stub - runtime, f"Tensor members in the stub only: {sorted(stub - runtime)}"


def test_tensor_array_api_dunders_are_declared():
    required = {
        "__array_namespace__",
        "__array__",
        "__dlpack__",
        "__dlpack_device__",
        "__getitem__",
        "__setitem__",
        "__len__",
        "__bool__",
        "__int__",
        "__float__",
        "__complex__",
        "__index__",
        "__buffer__",
        "__eq__",
        "__ne__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__matmul__",
        "__rmatmul__",
        "__neg__",
        "__pos__",
    }
    for op in ("add", "sub", "mul", "truediv"):
        required |= {f"__{op}__", f"__r{op}__", f"__i{op}__"}
    assert not required - set(TENSOR_STUB), sorted(required - set(TENSOR_STUB))


def test_tensor_properties_and_methods_match():
    errors = []
    for name in sorted(_runtime_tensor_members() - {"__hash__"}):
        if name not in vars(cp.Tensor):
            continue
        is_property = inspect.isdatadescriptor(vars(cp.Tensor)[name])
        fns = [n for n in TENSOR_STUB.get(name, []) if isinstance(n, ast.FunctionDef)]
        stub_property = bool(fns) and all("property" in _decorators(f) for f in fns)
        if is_property != stub_property:
            kind = "a property" if is_property else "a method"
            errors.append(f"Tensor.{name}: {kind} at run time, not in the stub")
    assert cp.Tensor.__hash__ is None and "__hash__" in TENSOR_STUB
    assert not errors, "\n".join(errors)


def test_tensor_method_signatures_match():
    ctor = _signature(cp.Tensor)
    assert ctor is not None, "Tensor's constructor lost its text signature"
    # The class's signature has no `self`; the stub's __init__ has: give it one to drop.
    self_param = inspect.Parameter("self", _KIND["posonly"])
    ctor = ctor.replace(parameters=[self_param, *ctor.parameters.values()])
    errors = _check_signature("Tensor()", _functions(TENSOR_STUB, "__init__"), ctor, method=True)
    checked = 0
    for name in sorted(_runtime_tensor_members()):
        attr = vars(cp.Tensor).get(name)
        if attr is None or inspect.isdatadescriptor(attr) or name == "__hash__":
            continue
        sig = _signature(attr)
        if sig is None:
            continue
        checked += 1
        errors += _check_signature(
            f"Tensor.{name}",
            _functions(TENSOR_STUB, name),
            sig,
            method=True,
            # Slot wrappers (operators) name their operand `value`; it is positional-only.
            names_of_positional_only=not isinstance(attr, types.WrapperDescriptorType),
        )
    assert checked >= 40, f"only {checked} Tensor signatures were readable"
    assert not errors, "\n".join(errors)


# ------------------------------------------------------------------------------- (3) functions


def _runtime_functions() -> dict[str, object]:
    """The public functions of corepy/_api.py and corepy._core, and every other function the
    namespace exports (profile, tune, load_ipython_extension)."""
    out = {
        n: f
        for n, f in vars(_api).items()
        if inspect.isfunction(f) and f.__module__ == _api.__name__ and not _is_private(n)
    }
    out |= {
        n: f
        for n, f in vars(_core).items()
        if isinstance(f, types.BuiltinFunctionType) and not _is_private(n)
    }
    for n in cp.__all__:
        f = getattr(cp, n)
        if isinstance(f, types.FunctionType | types.BuiltinFunctionType):
            out[n] = f
    return out


def test_runtime_functions_are_exported():
    not_exported = sorted(set(_runtime_functions()) - set(cp.__all__))
    assert not not_exported, f"public functions missing from corepy.__all__: {not_exported}"


@pytest.mark.parametrize("name", sorted(_runtime_functions()))
def test_function_signature_matches(name):
    fn = _runtime_functions()[name]
    sig = _signature(fn)
    if sig is None:
        pytest.skip(f"{name}: inspect cannot read the runtime signature")
    errors = _check_signature(name, _functions(TOP, name), sig, method=False)
    assert not errors, "\n".join(errors)


def test_aliases_are_the_same_functions():
    for alias, target in (("sub", "subtract"), ("mul", "multiply"), ("div", "divide")):
        assert getattr(cp, alias) is getattr(cp, target)
        assert _functions(TOP, alias) == _functions(TOP, target)


def _returned_class(function: str) -> ast.ClassDef:
    (fn,) = _functions(TOP, function)
    assert isinstance(fn.returns, ast.Name), f"{function} should return a stub class"
    return _class(fn.returns.id)


def test_namespace_info_matches():
    info = cp.__array_namespace_info__()
    stub = _definitions(_returned_class("__array_namespace_info__").body)
    runtime = {n for n in dir(info) if not n.startswith("_")}
    stub_names = {n for n in stub if not n.startswith("_")}
    assert runtime == stub_names
    assert runtime >= {"capabilities", "default_device", "default_dtypes", "devices", "dtypes"}
    errors = []
    for name in sorted(runtime):
        errors += _check_signature(
            f"info.{name}",
            _functions(stub, name),
            inspect.signature(getattr(type(info), name)),
            method=True,
        )
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(("function", "arg"), [("finfo", "float32"), ("iinfo", "int8")])
def test_dtype_info_fields_match(function, arg):
    fields = [
        n.target.id
        for n in _returned_class(function).body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    ]
    assert fields == list(getattr(cp, function)(arg)._fields)


def _typed_dict_keys(name: str) -> set[str]:
    (node,) = TOP[name]
    assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
    assert ast.unparse(node.value.func) == "TypedDict", f"{name} is not a TypedDict"
    fields = node.value.args[1]
    assert isinstance(fields, ast.Dict)
    return {ast.literal_eval(k) for k in fields.keys if k is not None}


@pytest.mark.parametrize("method", ["capabilities", "default_dtypes"])
def test_namespace_info_dict_keys_match(method):
    (fn,) = _functions(_definitions(_returned_class("__array_namespace_info__").body), method)
    assert isinstance(fn.returns, ast.Name)
    runtime = getattr(cp.__array_namespace_info__(), method)()
    assert _typed_dict_keys(fn.returns.id) == set(runtime)


# ------------------------------------------------------------------------------- (4) submodules
# The standard's extensions are real submodules (`from corepy import fft`), each with a stub of
# its own beside it (fft.pyi), re-exported by the package stub as `from . import fft as fft`.
SUBMODULES = ["fft"]


@pytest.mark.parametrize("module", SUBMODULES)
def test_submodule_stub_matches(module):
    mod = getattr(cp, module)
    assert isinstance(mod, types.ModuleType) and module in cp.__all__
    assert any(isinstance(n, ast.ImportFrom) for n in TOP.get(module, [])), (
        f"{STUB_PATH.name} does not re-export {module}"
    )
    path = STUB_PATH.with_name(f"{module}.pyi")
    defs = _definitions(ast.parse(path.read_text(), filename=str(path)).body)
    (all_node,) = defs["__all__"]
    assert sorted(ast.literal_eval(all_node.value)) == sorted(mod.__all__)
    public = sorted(n for n in defs if not _is_private(n) and n != "__all__")
    assert public == sorted(mod.__all__), f"{path.name} declares {public}"
    errors = []
    for name in mod.__all__:
        sig = _signature(getattr(mod, name))
        assert sig is not None, f"{module}.{name}: no readable signature"
        errors += _check_signature(f"{module}.{name}", _functions(defs, name), sig, method=False)


# ------------------------------------------------------------------------------- (4) corepy.linalg

LINALG_STUB_PATH = STUB_PATH.with_name("linalg.pyi")
LINALG_STUB = ast.parse(LINALG_STUB_PATH.read_text(), filename=str(LINALG_STUB_PATH))
LINALG = _definitions(LINALG_STUB.body)


def test_linalg_stub_names_match():
    (node,) = LINALG["__all__"]
    assert isinstance(node, ast.Assign)
    assert ast.literal_eval(node.value) == cp.linalg.__all__
    public = {n for n in LINALG if not _is_private(n)} - {"__all__"}
    assert public == set(cp.linalg.__all__)


@pytest.mark.parametrize("name", sorted(cp.linalg.__all__))
def test_linalg_stub_matches_runtime(name):
    obj = getattr(cp.linalg, name)
    node = LINALG[name][0]
    if isinstance(node, ast.ClassDef):
        assert isinstance(obj, type)
        bases = [ast.unparse(b) for b in node.bases]
        if bases == ["NamedTuple"]:
            fields = [
                n.target.id
                for n in node.body
                if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
            ]
            assert fields == list(obj._fields)
        else:
            assert bases == [b.__name__ for b in obj.__bases__]
        return
    sig = _signature(obj)
    assert sig is not None, f"linalg.{name}: no readable signature"
    errors = _check_signature(f"linalg.{name}", _functions(LINALG, name), sig, method=False)
    assert not errors, "\n".join(errors)
