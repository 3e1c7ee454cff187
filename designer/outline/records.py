"""The records an edit's answer carries to editor.js; each renders its own markup (see :mod:`designer.outline`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class Markup:
    """A record that renders itself: ``{{ record }}`` in a template puts its markup, unescaped."""

    __slots__ = ()

    def __html__(self) -> SafeString:
        raise NotImplementedError

    def __str__(self) -> SafeString:
        return self.__html__()


@dataclass(frozen=True, slots=True)
class NodeBadges(Markup):
    """One row's problem badges, as :class:`BadgeSync` carries them."""

    key: UUID
    html: SafeString

    def __html__(self) -> SafeString:
        return format_html('<div data-for="{}">{}</div>', self.key, self.html)


@dataclass(frozen=True, slots=True)
class BadgeSync(Markup):
    """Every row's problem badges after an edit that can change any of them (a new process due date)."""

    version: int
    badges: tuple[NodeBadges, ...]

    def __html__(self) -> SafeString:
        return format_html(
            '<div id="badge-sync" hidden hx-swap-oob="true" data-version="{}"><template>{}</template></div>',
            self.version,
            format_html_join("", "{}", ((b,) for b in self.badges)),
        )


@dataclass(frozen=True, slots=True)
class PlacedItem(Markup):
    """A moved, added, restored or edited item: its ``<li>`` (with its subtree) and where it now sits."""

    parent: UUID
    index: int
    html: SafeString

    def __html__(self) -> SafeString:
        return format_html('<div data-parent="{}" data-index="{}">{}</div>', self.parent, self.index, self.html)


@dataclass(frozen=True, slots=True)
class GroupHeader(Markup):
    """A group whose size, badges, name or mode may have changed: its new ``.row`` ("" for the root)."""

    key: UUID
    size: int
    parallel: bool
    row: SafeString

    def __html__(self) -> SafeString:
        return format_html(
            '<div data-group="{}" data-size="{}" data-parallel="{}">{}</div>',
            self.key,
            self.size,
            "true" if self.parallel else "false",
            self.row,
        )


@dataclass(frozen=True, slots=True)
class OutlinePatch(Markup):
    """What an accepted edit changed in the outline, built from the changed nodes only."""

    version: int
    selected: UUID | None = None
    focus: UUID | None = None
    placed: tuple[PlacedItem, ...] = ()
    groups: tuple[GroupHeader, ...] = ()
    removed: tuple[UUID, ...] = ()
    all_badges: bool = False

    def __html__(self) -> SafeString:
        return format_html(
            '<div id="outline-patch" hidden hx-swap-oob="true" data-version="{}" data-focus="{}" '
            'data-selected="{}"{} data-removed="{}"><template>{}{}</template></div>',
            self.version,
            self.focus or "",
            self.selected or "",
            mark_safe(' data-badges="all"') if self.all_badges else "",
            " ".join(str(key) for key in self.removed),
            format_html_join("", "{}", ((item,) for item in self.placed)),
            format_html_join("", "{}", ((group,) for group in self.groups)),
        )
