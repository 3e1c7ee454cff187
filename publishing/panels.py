"""The publish area that publishing adds to the designer's editor (see ``designer.panels``)."""

from __future__ import annotations

from designer.panels import Panel, PanelRequest
from publishing.selectors import publish_state


def publish_area(asked: PanelRequest) -> Panel:
    """Return the editor's publish area: the Publish button, why it is disabled, the last result."""
    state = publish_state(
        draft=asked.draft, problems=asked.problems, user=asked.request.user, current_hash=asked.current_hash
    )
    return Panel(template="publishing/publish.html#publish-area", context=state)
