"""The one walk over a Process JSON tree and the one grammar of its paths.

A node's path names its child wrapper: ``root`` for the root group, ``root.children[2]`` for the
third child of the root, ``root.children[2].group.children[0]`` for the first child of that group.
A group's own object sits at ``<path>.group`` (``root`` for the root group), a job's at
``<path>.job``. These are the paths the API's error targets use and the paths of a payload's path
map; they are built and read only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

ROOT = "root"


def child_path(parent_path: str, index: int) -> str:
    """Return the path of child ``index`` of the group at ``parent_path``."""
    return f"{body_path(parent_path, 'group')}.children[{index}]"


def body_path(path: str, kind: str) -> str:
    """Return the path of the group or job object of the node at ``path`` (the root is its own)."""
    return path if path == ROOT else f"{path}.{kind}"


def normalise_target(target: str) -> str:
    """Return an error target as a dotted path: a JSON pointer or a ``$.`` prefix is rewritten."""
    target = target.strip()
    if target.startswith("/"):  # JSON pointer: /root/children/2/group
        out = ""
        for part in target.strip("/").split("/"):
            out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
        target = out
    return re.sub(r"^\$\.?", "", target)


def target_prefixes(target: str) -> Iterator[str]:
    """Yield ``target`` (normalised) and each shorter path above it, deepest first."""
    path = normalise_target(target)
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return
        path = path[:cut]


Step = tuple[Any, str, str | None, Any, Any, int, int]
"""One node met by :func:`walk`: ``(node, path, parent, kind, wrapper, position, depth)``.

``node`` is the group or job object (anything, when the document is malformed), ``path`` its path,
``parent`` the parent's path (None for the root), ``kind`` the wrapper's ``type`` as written
(``"group"`` for the root), ``wrapper`` the child wrapper (None for the root), ``position`` the
index among its siblings and ``depth`` 0 for the root. A plain tuple, unpacked by its readers:
a named tuple costs a third more per node.
"""


def walk(root: Any) -> Iterator[Step]:
    """Yield every node under the root group object ``root`` in document order, parents first.

    Malformed parts are yielded as they are (a wrapper that is not an object, an unknown ``type``,
    a body that is not an object) and not entered; a group's children are read only after its
    step was yielded, so a caller that raises on a bad step never sees what lies under it. The
    walk keeps its own stack, so no depth of nesting can exhaust Python's.
    """
    yield (root, ROOT, None, "group", None, 0, 0)
    if not isinstance(root, dict):
        return
    stack: list[Iterator[Step]] = [_children(root, ROOT, 1)]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            continue
        yield step
        body, node_path, _, kind, _, _, depth = step
        if kind == "group" and isinstance(body, dict):
            stack.append(_children(body, node_path, depth + 1))


def _children(group: dict[str, Any], path: str, depth: int) -> Iterator[Step]:
    """Yield the steps of ``group``'s own children (not their children)."""
    children = group.get("children")
    if not isinstance(children, list):
        return
    prefix = child_path(path, 0).removesuffix("0]")
    for index, wrapper in enumerate(children):
        if isinstance(wrapper, dict):
            kind = wrapper.get("type")
            body = wrapper.get(kind) if isinstance(kind, str) else None
        else:
            kind = body = None
        yield (body, f"{prefix}{index}]", path, kind, wrapper, index, depth)
