"""Dependencies and governance bodies as graphs: plain Python, no Django.

Dependencies. "A needs B" and "B enables A" say the same thing: B comes first. Each directed
dependency becomes an `Edge(before, after, words)`; "related to" has no direction and is no edge.
A new edge closes a cycle exactly when its `after` already leads, edge by edge, back to its
`before`; `closing_cycle` finds that path, so the refusal can name every link of the cycle in
the words of the dependencies themselves.

Lineage. "A merged into B" and "A superseded by B" say A went on as B; "A split from B" says B
went on, in part, as A. Each entry becomes an `Edge(earlier, later, words)` (`lineage_edge`);
an entry that would make an item go on, through others, as itself closes a loop and is refused
with `closing_cycle`, as a dependency cycle is.

Governance bodies. Each body has at most one parent; a new parent is refused when the body is
that parent or one of its ancestors (`parent_cycle`), and `tree` lays the bodies out as a
nested list with their depth.

Diagram. `layers` gives each node a column: a node sits to the right of everything it needs.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

NEEDS = "needs"
ENABLES = "enables"
RELATED = "related"


@dataclass(frozen=True)
class Edge:
    """`before` has to happen for `after`; `words` says so as the dependency was written."""

    before: Hashable
    after: Hashable
    words: str = ""
    # Written as "after needs before": a cycle through it reads best walked against the arrows.
    backwards: bool = False


def directed(item: Hashable, kind: str, on_item: Hashable | None, words: str = "") -> Edge | None:
    """The edge a dependency of `item` on `on_item` makes, or None (related, or external)."""
    if on_item is None:
        return None
    if kind == NEEDS:
        return Edge(on_item, item, words, backwards=True)
    if kind == ENABLES:
        return Edge(item, on_item, words)
    return None


MERGED_INTO = "merged_into"
SPLIT_FROM = "split_from"
SUPERSEDED_BY = "superseded_by"


def lineage_edge(item: Hashable, kind: str, other: Hashable, words: str = "") -> Edge:
    """The edge a lineage entry makes: from the earlier item to the one it went on as."""
    if kind == SPLIT_FROM:
        return Edge(other, item, words, backwards=True)
    if kind in (MERGED_INTO, SUPERSEDED_BY):
        return Edge(item, other, words)
    raise ValueError(f"Unknown lineage kind: {kind!r}")


def _path(edges: Iterable[Edge], start: Hashable, goal: Hashable) -> list[Edge] | None:
    """The shortest chain of edges from `start` to `goal` (breadth first), or None."""
    outgoing: dict[Hashable, list[Edge]] = defaultdict(list)
    for edge in edges:
        outgoing[edge.before].append(edge)
    came_by: dict[Hashable, Edge | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = []
            while came_by[node] is not None:
                edge = came_by[node]
                chain.append(edge)
                node = edge.before
            return chain[::-1]
        for edge in outgoing[node]:
            if edge.after not in came_by:
                came_by[edge.after] = edge
                queue.append(edge.after)
    return None


def closing_cycle(edges: Iterable[Edge], new: Edge) -> list[Edge] | None:
    """The cycle `new` would close among `edges`, or None: `new` first, then the rest in the
    order that reads as a chain from it ("D needs A, A needs B, B needs C and C needs D").

    An edge from a node to itself is a cycle of one.
    """
    if new.before == new.after:
        return [new]
    back = _path(edges, new.after, new.before)
    if back is None:
        return None
    return [new, *(reversed(back) if new.backwards else back)]


def cycle_words(cycle: list[Edge]) -> str:
    """'A needs B, B needs C and C needs A': the cycle in the dependencies' own words."""
    words = [edge.words or f"{edge.before} comes before {edge.after}" for edge in cycle]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def layers(nodes: Iterable[Hashable], edges: Iterable[Edge]) -> dict[Hashable, int]:
    """A column for each node: 0 for a node that needs nothing, else one more than the
    furthest column of what it needs (longest path). Edges to unknown nodes are ignored;
    should the edges hold a cycle anyway (rows written around the services), the nodes on it
    keep the column reached so far rather than looping."""
    nodes = list(dict.fromkeys(nodes))
    known = set(nodes)
    edges = [e for e in edges if e.before in known and e.after in known and e.before != e.after]
    incoming = {node: 0 for node in nodes}
    outgoing: dict[Hashable, list[Hashable]] = defaultdict(list)
    for edge in edges:
        outgoing[edge.before].append(edge.after)
        incoming[edge.after] += 1
    column = {node: 0 for node in nodes}
    queue = deque(node for node in nodes if incoming[node] == 0)
    while queue:
        node = queue.popleft()
        for after in outgoing[node]:
            column[after] = max(column[after], column[node] + 1)
            incoming[after] -= 1
            if incoming[after] == 0:
                queue.append(after)
    return column


# --- governance bodies: a forest ------------------------------------------------------------


def parent_cycle(
    parents: Mapping[Hashable, Hashable | None], node: Hashable, new_parent: Hashable | None
) -> list[Hashable] | None:
    """The loop that giving `node` the parent `new_parent` would make: [node, new_parent, …,
    node], or None. `parents` maps each node to its current parent (None at the top)."""
    if new_parent is None:
        return None
    chain = [node, new_parent]
    seen = {node}
    current = new_parent
    while current is not None:
        if current == node:
            return chain
        if current in seen:  # an old loop not through `node`: not this change's doing
            return None
        seen.add(current)
        current = parents.get(current)
        if current is not None:
            chain.append(current)
    return None


@dataclass
class TreeNode:
    key: Hashable
    depth: int
    children: list[TreeNode] = field(default_factory=list)


def tree(
    parents: Mapping[Hashable, Hashable | None], order: Iterable[Hashable] | None = None
) -> list[TreeNode]:
    """The nodes as a forest, roots first, children in `order` (default: the mapping's).
    A node whose parent is not among the nodes is a root; nodes caught in a loop (written
    around the services) are shown as roots once, so every node appears exactly once."""
    order = list(order) if order is not None else list(parents)
    position = {key: n for n, key in enumerate(order)}
    children: dict[Hashable, list[Hashable]] = defaultdict(list)
    roots = []
    for key in order:
        parent = parents.get(key)
        if parent is None or parent not in position:
            roots.append(key)
        else:
            children[parent].append(key)
    placed: set[Hashable] = set()

    def build(key: Hashable, depth: int) -> TreeNode:
        placed.add(key)
        node = TreeNode(key, depth)
        for child in sorted(children[key], key=position.__getitem__):
            if child not in placed:
                node.children.append(build(child, depth + 1))
        return node

    forest = [build(key, 0) for key in roots]
    for key in order:  # a loop has no root: break it where it starts in `order`
        if key not in placed:
            forest.append(build(key, 0))
    return forest


def depth_of(parents: Mapping[Hashable, Hashable | None], node: Hashable) -> int:
    """How many ancestors `node` has (0 at the top), stopping should a loop be met."""
    depth, seen, current = 0, {node}, parents.get(node)
    while current is not None and current not in seen:
        seen.add(current)
        depth += 1
        current = parents.get(current)
    return depth
