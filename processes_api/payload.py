"""Translation between a draft and the API's Process JSON, with a map of payload paths to nodes.

Export builds exactly the API's shape: only fields the API defines, unset optional fields omitted,
and the unknown fields a draft kept (``extra``) merged back where they came from. Import checks the
whole document first and creates nothing when any part of it is malformed; its error names the
path and the problem, e.g. ``root.children[3].job.arguments.type: unknown job type "sendTsk"``.
Which fields exist, their JSON types and where a draft keeps them come from ``schema``'s registry;
import walks the document with :func:`~processes_api.walk.walk`, whose grammar every path follows.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from processes_api import schema
from processes_api.walk import ROOT, Step, body_path, child_path, target_prefixes, walk

if TYPE_CHECKING:
    from processes_api.tree import ProcessNode, ProcessTree


# Kinds whose JSON value is a string.
_TEXT_KINDS = frozenset({"string", "text", "date", "user", "file"})


class PayloadError(ValueError):
    """A payload that cannot be imported; ``path`` says where, ``problem`` what.

    The message shortens a path of more than 200 characters (a deep tree's) to its two ends.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = _printable(path)  # both may quote the input, which may not be printable text
        self.problem = _printable(problem)
        shown = self.path if len(self.path) <= 200 else f"{self.path[:60]} … {self.path[-100:]}"
        super().__init__(f"{shown}: {self.problem}" if self.path else self.problem)


def _printable(text: str) -> str:
    """Return ``text`` with NUL and lone surrogates written as escapes, so any page or log can show it."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class PathMap:
    """Payload paths (``root.children[2].group.children[0]``) ↔ node keys."""

    key_by_path: dict[str, UUID] = field(default_factory=dict)

    @property
    def path_by_key(self) -> dict[UUID, str]:
        return {key: path for path, key in self.key_by_path.items()}

    def stored(self) -> dict[str, str]:
        """Return the map as a revision stores it and :func:`content_hash` reads it: key text → path."""
        return {str(key): path for path, key in self.key_by_path.items()}

    def key_for(self, target: str | None) -> UUID | None:
        """Return the key of the deepest node whose path starts ``target``, or None."""
        if not target:
            return None
        for path in target_prefixes(target):
            if path in self.key_by_path:
                return self.key_by_path[path]
        return None


@dataclass
class Payload:
    data: dict[str, Any]
    paths: PathMap
    _hash: str | None = field(default=None, init=False, repr=False, compare=False)

    def to_json(self, *, indent: int | None = 2) -> str:
        return dumps(self.data, indent=indent)

    def content_hash(self) -> str:
        """Return the :func:`content_hash` of this payload and its path map (computed once: a
        payload is read-only once built, and at 3,000 jobs the hash is a 2 MB JSON dump)."""
        if self._hash is None:
            self._hash = content_hash(self.data, self.paths.stored())
        return self._hash


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """The one JSON spelling of a payload: sorted keys, UTF-8 text kept as is."""
    return json.dumps(data, indent=indent, sort_keys=True, ensure_ascii=False)


def content_hash(payload: Mapping[str, Any], paths: Mapping[str, str]) -> str:
    """Return the SHA-256 of a process's content: the payload and which node sits at which path."""
    text = dumps({"payload": payload, "paths": dict(sorted(paths.items()))}, indent=None)
    return hashlib.sha256(text.encode()).hexdigest()


def build_payload(tree: ProcessTree) -> Payload:
    """Return the ``POST /processes`` body for ``tree``'s draft, with its path map.

    The objects are new, but nested values inside job arguments and unknown fields are shared with
    the tree's nodes: treat the payload as read-only (copy it before changing it).
    """
    draft = tree.draft
    data: dict[str, Any] = copy.deepcopy(draft.extra) if draft.extra else {}
    for f in schema.PROCESS_FIELDS:
        if not f.attr:  # kept in ``extra``, copied above
            continue
        value = getattr(draft, f.attr)
        if value is not None:
            data[f.key] = copy.copy(value) if isinstance(value, list) else value
        elif f.required:
            data[f.key] = ""
    paths = PathMap()
    group_fields = [(f.attr, f.key) for f in schema.GROUP_FIELDS if f.attr]
    data["root"] = _group_object(tree, tree.root, ROOT, paths, group_fields)
    return Payload(data=data, paths=paths)


def _group_object(
    tree: ProcessTree, root: ProcessNode, path: str, paths: PathMap, group_fields: list[tuple[str, str]]
) -> dict[str, Any]:
    """Return the group object of ``root`` with everything below it, registering each node's path.

    Iterative (its own stack, document order), so a tree of any depth is built without recursion.
    """
    top: dict[str, Any] = {}
    stack: list[tuple[ProcessNode, str, dict[str, Any]]] = [(root, path, top)]
    while stack:
        node, node_path, obj = stack.pop()
        paths.key_by_path[node_path] = node.key
        extra = node.extra or {}
        if node is not root and node.kind != "group":
            obj.update(_job_object(node))
            continue
        if "node" in extra:
            obj.update(extra["node"])
        for attr, key in group_fields:
            value = getattr(node, attr)
            if value is not None:
                obj[key] = value
        children = []
        below: list[tuple[ProcessNode, str, dict[str, Any]]] = []
        for index, child in enumerate(tree.children(node)):
            child_extra = child.extra or {}
            wrapper: dict[str, Any] = dict(child_extra["wrapper"]) if "wrapper" in child_extra else {}
            wrapper["type"] = child.kind
            body: dict[str, Any] = {}
            wrapper["group" if child.kind == "group" else "job"] = body
            children.append(wrapper)
            below.append((child, child_path(node_path, index), body))
        obj["children"] = children
        stack.extend(reversed(below))
    return top


def _job_object(node: ProcessNode) -> dict[str, Any]:
    extra = node.extra or {}
    jt = schema.job_type(node.job_type)
    args_key = jt.args_key if jt else f"{node.job_type}Args"
    arguments: dict[str, Any] = dict(extra["arguments"]) if "arguments" in extra else {}
    arguments["type"] = node.job_type
    arguments[args_key] = dict(node.arguments)
    obj: dict[str, Any] = dict(extra["node"]) if "node" in extra else {}
    obj["arguments"] = arguments
    return obj


# --- import -------------------------------------------------------------------------------------


@dataclass
class ParsedNode:
    kind: str
    fields: dict[str, Any]
    children: list[ParsedNode] = field(default_factory=list)


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text, raising :class:`PayloadError` with the line and column of a syntax error.

    Text over the API's body limit, ``NaN``/``Infinity`` and nesting deeper than Python can read
    are refused here too, so every import path answers them the same way.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > schema.MAX_BODY_BYTES:
        raise PayloadError("", f"the file is {size / 1e6:.1f} MB; Workiva accepts at most {_MAX_MB} MB")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise PayloadError("", "the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise PayloadError("", f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise PayloadError("", "not valid JSON: it is nested too deeply to read") from None
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        raise PayloadError("", f"not valid JSON: {exc}") from None


_MAX_MB = schema.MAX_BODY_BYTES // 1_000_000


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def check_text(data: Any) -> None:
    """Refuse numbers JSON cannot write and text a database cannot store, naming where they are.

    NUL characters are refused by PostgreSQL and lone surrogates (``"\\ud800"``) cannot be
    encoded at all; ``NaN`` and infinities are not JSON. One C-speed pass finds out whether
    anything is wrong; only then is the document searched for the place.
    """
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except RecursionError:
        raise PayloadError("", "it is nested too deeply to read") from None
    except (ValueError, UnicodeEncodeError):
        _locate_bad_value(data)
        raise PayloadError("", "holds a value JSON cannot carry") from None
    if "\\u0000" in text:
        _locate_bad_value(data)


def _locate_bad_value(data: Any) -> None:
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(f"{path}.{key}" if path else str(key), key, "name")
                stack.append((f"{path}.{key}" if path else str(key), item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(path, value, "text")
        elif isinstance(value, float) and not math.isfinite(value):
            raise PayloadError(path, f"{value} is not a number JSON allows")


def _check_string(path: str, value: Any, what: str) -> None:
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise PayloadError(path, f"the {what} contains a NUL character (\\u0000), which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadError(path, f"the {what} contains a lone surrogate (like \\ud800), which is not text") from None


def parse_payload(data: Any) -> tuple[dict[str, Any], ParsedNode]:
    """Check a Process document; return the draft fields and the parsed tree, or raise.

    The draft fields are keyed by model attribute; fields the registry keeps in ``extra`` are
    checked like the others and returned inside ``extra``.
    """
    if not isinstance(data, dict):
        raise PayloadError("", f"a process must be a JSON object, not {_type_name(data)}")
    check_text(data)
    known = schema.field_by_key(schema.PROCESS_FIELDS)
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key == "root" or key in schema.READ_ONLY_PROCESS_FIELDS:
            continue
        f = known.get(key)
        if f is not None:
            _check_value(f.kind, value, key)
            _check_length(f, value, key)
        if f is not None and f.attr:
            fields[f.attr] = value
        else:
            extra[key] = value
    for f in schema.PROCESS_FIELDS:
        if f.required and f.key not in data:
            raise PayloadError(f.key, "is required")
    fields["extra"] = extra
    if "root" not in data:
        raise PayloadError("root", "is required: a process holds its jobs in one root group")
    return fields, _parse_tree(data["root"])


def _check_value(kind: str, value: Any, path: str) -> None:
    if kind == "bool":
        if not isinstance(value, bool):
            raise PayloadError(path, f"must be true or false, not {_type_name(value)}")
    elif kind == "weekdays":
        if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
            raise PayloadError(path, "must be a list of weekday names")
    elif kind == "principal":
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            raise PayloadError(path, 'must be an object like {"id": "userId1234", "type": "user"}')
    elif not isinstance(value, str):
        raise PayloadError(path, f"must be a string, not {_type_name(value)}")


def _check_length(f: schema.Field, value: Any, path: str) -> None:
    if isinstance(value, str) and len(value) > f.max_length:
        raise PayloadError(path, f"is {len(value):,} characters long; at most {f.max_length:,} characters fit")


def _parse_tree(root: Any) -> ParsedNode:
    groups: dict[str, ParsedNode] = {}
    top: ParsedNode | None = None
    group_fields = schema.field_by_key(schema.GROUP_FIELDS)
    jobs = 0
    for step in walk(root):
        path, parent, depth = step[1], step[2], step[6]
        if depth > schema.MAX_DEPTH:
            raise PayloadError(
                path, f"is nested {depth} levels deep; groups can be nested at most {schema.MAX_DEPTH} levels deep"
            )
        parsed = _parse_step(step, group_fields)
        if parsed.kind == "job":
            jobs += 1
            if jobs > schema.MAX_JOBS:
                raise PayloadError("root", f"holds more than {schema.MAX_JOBS:,} jobs, the most Workiva accepts")
        if parent is None:
            top = parsed
        else:
            groups[parent].children.append(parsed)
        if parsed.kind == "group":
            groups[path] = parsed
    assert top is not None  # the walk always starts at the root
    return top


def _parse_step(step: Step, group_fields: dict[str, schema.Field]) -> ParsedNode:
    node, path, _, kind, wrapper, _, _ = step
    if wrapper is None:
        return _parse_group(node, path, group_fields)
    if not isinstance(wrapper, dict):
        raise PayloadError(path, f"a child must be an object, not {_type_name(wrapper)}")
    if kind not in schema.CHILD_TYPES:
        shown = json.dumps(kind) if kind is not None else "missing"
        raise PayloadError(f"{path}.type", f'must be "job" or "group", not {shown}')
    body = body_path(path, kind)
    if kind not in wrapper:
        raise PayloadError(body, f'is required when type is "{kind}"')
    wrapper_extra = {k: v for k, v in wrapper.items() if k not in ("type", kind)}
    parsed = _parse_group(node, body, group_fields) if kind == "group" else _parse_job(node, body)
    if wrapper_extra:
        parsed.fields["extra"] = parsed.fields["extra"] | {"wrapper": wrapper_extra}
    return parsed


def _parse_group(obj: Any, path: str, known: dict[str, schema.Field]) -> ParsedNode:
    if not isinstance(obj, dict):
        raise PayloadError(path, f"a group must be an object, not {_type_name(obj)}")
    fields: dict[str, Any] = {}
    node_extra: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "children" or key in schema.READ_ONLY_NODE_FIELDS:
            continue
        f = known.get(key)
        if f is not None:
            _check_value(f.kind, value, f"{path}.{key}")
            _check_length(f, value, f"{path}.{key}")
        if f is not None and f.attr:
            fields[f.attr] = value
        else:
            node_extra[key] = value
    children = obj.get("children", [])
    if not isinstance(children, list):
        raise PayloadError(f"{path}.children", f"must be a list, not {_type_name(children)}")
    return ParsedNode(kind="group", fields=fields | {"extra": _extra(node=node_extra)})


def _parse_job(obj: Any, path: str) -> ParsedNode:
    if not isinstance(obj, dict):
        raise PayloadError(path, f"a job must be an object, not {_type_name(obj)}")
    node_extra = {k: v for k, v in obj.items() if k != "arguments" and k not in schema.READ_ONLY_NODE_FIELDS}
    args = obj.get("arguments")
    if not isinstance(args, dict):
        problem = "is required" if args is None else f"must be an object, not {_type_name(args)}"
        raise PayloadError(f"{path}.arguments", problem)
    job_type = args.get("type")
    if not isinstance(job_type, str):
        raise PayloadError(f"{path}.arguments.type", 'is required: the job type, e.g. "sendTask"')
    jt = schema.job_type(job_type)
    if jt is None:
        raise PayloadError(f"{path}.arguments.type", f'unknown job type "{job_type}"')
    if jt.generated:
        raise PayloadError(
            f"{path}.arguments.type",
            f'"{job_type}" jobs are generated by Workiva and cannot be sent; export the process with excludeGeneratedJobs=true',
        )
    other_args = [k for k in args if k.endswith("Args") and k != jt.args_key]
    if other_args:
        raise PayloadError(
            f"{path}.arguments.{other_args[0]}", f'does not match type "{job_type}"; expected {jt.args_key}'
        )
    values = args.get(jt.args_key)
    if not isinstance(values, dict):
        problem = "is required" if values is None else f"must be an object, not {_type_name(values)}"
        raise PayloadError(f"{path}.arguments.{jt.args_key}", problem)
    field_map = jt.field_map
    for name, value in values.items():
        arg = field_map.get(name)
        if arg is None or (isinstance(value, str) and arg.kind in _TEXT_KINDS):  # the common case, checked inline
            continue
        _check_value(arg.kind, value, f"{path}.arguments.{jt.args_key}.{name}")
    args_extra = {k: v for k, v in args.items() if k not in ("type", jt.args_key)}
    return ParsedNode(
        kind="job",
        fields={"job_type": job_type, "arguments": values, "extra": _extra(node=node_extra, arguments=args_extra)},
    )


def _extra(**parts: dict[str, Any]) -> dict[str, Any]:
    return {name: part for name, part in parts.items() if part}


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
