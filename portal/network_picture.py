"""A seller network drawn as SVG on the server (no script, no CDN, within the strict CSP): sellers on a circle,
each shared identifier a labelled line between the sellers it ties."""

from __future__ import annotations

import math
from dataclasses import dataclass

from evidence.selectors import Network

SIZE = 640
RADIUS = 230
PLATFORM_COLOURS = {
    "alibaba": "#c8621b", "aliexpress": "#b8322f", "taobao": "#d9822b", "1688": "#a25b16", "amazon": "#1b2a41",
    "ebay": "#2f6f4f",
}  # fmt: skip


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    label: str
    platform: str
    colour: str
    seller_id: int


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    strong: bool

    @property
    def mid(self) -> tuple[float, float]:
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2


def picture(network: Network) -> tuple[list[Node], list[Edge]]:
    count = len(network.sellers)
    nodes: list[Node] = []
    for n, seller in enumerate(network.sellers):
        angle = 2 * math.pi * n / max(count, 1) - math.pi / 2
        x = SIZE / 2 + (RADIUS * math.cos(angle) if count > 1 else 0)
        y = SIZE / 2 + (RADIUS * math.sin(angle) if count > 1 else 0)
        nodes.append(Node(round(x, 1), round(y, 1), seller.store_name[:28], seller.get_platform_display(),
                          PLATFORM_COLOURS.get(seller.platform, "#555555"), seller.pk))  # fmt: skip
    where = {node.seller_id: node for node in nodes}
    edges: list[Edge] = []
    for tie in network.ties:
        members = tie.seller_ids
        for a, b in zip(members, members[1:], strict=False):  # a chain is enough to show who is tied
            first, second = where[a], where[b]
            edges.append(Edge(first.x, first.y, second.x, second.y, tie.label, tie.strong))
    return nodes, edges
