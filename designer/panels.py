"""What the apps built on the designer add to the editor: side-column panels and problems.

The designer never imports the apps above it (``publishing`` uses the designer, not the other way
round). Such an app registers a provider here from its ``AppConfig.ready()``: the editor and its
status request render every panel the panel providers return, in registration order, and show the
problems the problem sources report (on their nodes, in the inspector and in the problems list)
beside lint's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.models import Draft
    from designer.selectors.trees import Tree
    from designer.views.http import Request
    from processes_api.lint import Problem


@dataclass(frozen=True, slots=True)
class PanelRequest:
    """What a provider knows when the editor asks for its panel."""

    request: Request
    draft: Draft
    problems: list[Problem]
    current_hash: Any  # the draft's content hash, possibly lazy: str() it only when needed


@dataclass(frozen=True, slots=True)
class Panel:
    """A template (``"page.html#partial"``) and the context it is rendered with, under ``panel``."""

    template: str
    context: dict[str, Any]


Provider = Callable[[PanelRequest], Panel | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add ``provider`` to the editor's panels (idempotent, so a second ``ready()`` adds nothing)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


ProblemSource = Callable[["Draft"], "list[Problem]"]
_problem_sources: list[ProblemSource] = []


def register_problem_source(source: ProblemSource) -> ProblemSource:
    """Add ``source``, which reports problems of a draft that lint cannot see (idempotent)."""
    if source not in _problem_sources:
        _problem_sources.append(source)
    return source


TreeProblemSource = Callable[["Draft", "Tree"], "list[Problem]"]
_tree_problem_sources: list[TreeProblemSource] = []


def register_tree_problem_source(source: TreeProblemSource) -> TreeProblemSource:
    """Add ``source``, which needs the whole tree (the calendar's date lint): it runs only where the
    caller has the tree loaded already (the workspace, the status), never on a one-row edit (idempotent)."""
    if source not in _tree_problem_sources:
        _tree_problem_sources.append(source)
    return source


def editor_problems(draft: Draft, tree: Tree | None = None) -> list[Problem]:
    """Return the problems every registered source reports on ``draft``, in registration order;
    with ``tree`` (the draft's, already loaded), the tree sources' too."""
    found = [problem for source in _problem_sources for problem in source(draft)]
    if tree is not None:
        found += [problem for source in _tree_problem_sources for problem in source(draft, tree)]
    return found


def editor_panels(*, request: Request, draft: Draft, problems: list[Problem], current_hash: Any) -> list[Panel]:
    """Return the panels every registered provider gives for ``draft``."""
    asked = PanelRequest(request=request, draft=draft, problems=problems, current_hash=current_hash)
    return [panel for provider in _providers if (panel := provider(asked)) is not None]
