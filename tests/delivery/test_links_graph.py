"""delivery.graph: cycle refusal over needs/enables, the diagram's columns, the governance
forest (no loops, depths). Plain Python: no database."""

from __future__ import annotations

import pytest

from delivery import graph
from delivery.graph import Edge


def needs(a, b):
    return graph.directed(a, "needs", b, f"{a} needs {b}")


def enables(a, b):
    return graph.directed(a, "enables", b, f"{a} enables {b}")


class TestDirected:
    def test_needs_and_enables_point_the_same_way(self):
        assert needs("A", "B") == Edge("B", "A", "A needs B", backwards=True)
        assert enables("B", "A").before == "B" and enables("B", "A").after == "A"

    def test_related_and_external_make_no_edge(self):
        assert graph.directed("A", "related", "B") is None
        assert graph.directed("A", "needs", None) is None


class TestClosingCycle:
    def test_an_item_on_itself_is_a_cycle_of_one(self):
        assert graph.closing_cycle([], needs("A", "A")) == [needs("A", "A")]

    def test_a_two_item_cycle_is_refused(self):
        cycle = graph.closing_cycle([needs("A", "B")], needs("B", "A"))
        assert cycle == [needs("B", "A"), needs("A", "B")]

    def test_needs_and_enables_close_cycles_together(self):
        # A needs B; A enables B means B needs A: a cycle, whatever the words.
        assert graph.closing_cycle([needs("A", "B")], enables("A", "B"))

    def test_a_long_cycle_is_named_link_by_link(self):
        edges = [needs("A", "B"), needs("B", "C"), needs("C", "D")]
        cycle = graph.closing_cycle(edges, needs("D", "A"))
        assert graph.cycle_words(cycle) == "D needs A, A needs B, B needs C and C needs D"

    def test_the_shortest_way_back_is_named(self):
        edges = [needs("A", "B"), needs("B", "C"), needs("A", "C")]
        cycle = graph.closing_cycle(edges, needs("C", "A"))
        assert graph.cycle_words(cycle) == "C needs A and A needs C"

    def test_a_diamond_is_not_a_cycle(self):
        edges = [needs("A", "B"), needs("A", "C"), needs("B", "D")]
        assert graph.closing_cycle(edges, needs("C", "D")) is None

    def test_the_same_direction_twice_is_not_a_cycle(self):
        assert graph.closing_cycle([needs("A", "B")], enables("B", "A")) is None

    def test_unrelated_edges_do_not_matter(self):
        edges = [needs("X", "Y"), needs("Y", "Z")]
        assert graph.closing_cycle(edges, needs("A", "B")) is None


def lineage(a, kind, b):
    return graph.lineage_edge(a, kind, b, f"{a} {kind.replace('_', ' ')} {b}")


class TestLineageLoops:
    def test_merged_and_superseded_point_from_the_earlier_item(self):
        assert lineage("A", "merged_into", "B") == Edge("A", "B", "A merged into B")
        assert lineage("A", "superseded_by", "B").before == "A"

    def test_split_from_points_from_the_item_split(self):
        edge = lineage("A", "split_from", "B")
        assert (edge.before, edge.after) == ("B", "A")

    def test_an_unknown_kind_is_an_error(self):
        with pytest.raises(ValueError, match="Unknown lineage kind"):
            graph.lineage_edge("A", "renamed", "B")

    def test_merged_into_an_item_superseded_by_it_is_a_loop(self):
        loop = graph.closing_cycle(
            [lineage("B", "superseded_by", "A")], lineage("A", "merged_into", "B")
        )
        assert graph.cycle_words(loop) == "A merged into B and B superseded by A"

    def test_a_long_loop_through_a_split_is_named_entry_by_entry(self):
        # B split from A (A went on as B), B merged into C, so C superseded by A loops.
        edges = [lineage("B", "split_from", "A"), lineage("B", "merged_into", "C")]
        loop = graph.closing_cycle(edges, lineage("C", "superseded_by", "A"))
        assert graph.cycle_words(loop) == ("C superseded by A, B split from A and B merged into C")

    def test_two_items_split_from_each_other_is_a_loop(self):
        assert graph.closing_cycle(
            [lineage("A", "split_from", "B")], lineage("B", "split_from", "A")
        )

    def test_a_chain_and_a_fan_are_not_loops(self):
        edges = [lineage("A", "merged_into", "C"), lineage("B", "merged_into", "C")]
        assert graph.closing_cycle(edges, lineage("C", "superseded_by", "D")) is None
        assert graph.closing_cycle(edges, lineage("D", "split_from", "C")) is None


class TestLayers:
    def test_what_is_needed_stands_to_the_left(self):
        edges = [needs("A", "B"), needs("B", "C"), needs("A", "C")]
        assert graph.layers(["A", "B", "C"], edges) == {"C": 0, "B": 1, "A": 2}

    def test_a_loop_written_around_the_services_does_not_hang(self):
        edges = [needs("A", "B"), needs("B", "A")]
        assert set(graph.layers(["A", "B", "C"], edges)) == {"A", "B", "C"}


class TestGovernanceTree:
    PARENTS = {"board": None, "exec": "board", "prog": "exec", "clg": "prog", "audit": "board"}

    def test_depths(self):
        assert [graph.depth_of(self.PARENTS, k) for k in self.PARENTS] == [0, 1, 2, 3, 1]

    def test_nested_in_order(self):
        forest = graph.tree(self.PARENTS)
        assert [n.key for n in forest] == ["board"]
        board = forest[0]
        assert [c.key for c in board.children] == ["exec", "audit"]
        clg = board.children[0].children[0].children[0]
        assert (clg.key, clg.depth) == ("clg", 3)

    def test_a_body_under_itself_is_refused(self):
        assert graph.parent_cycle(self.PARENTS, "board", "board") == ["board", "board"]

    def test_a_body_under_one_below_it_is_refused_and_named(self):
        loop = graph.parent_cycle(self.PARENTS, "exec", "clg")
        assert loop == ["exec", "clg", "prog", "exec"]

    def test_moving_a_body_elsewhere_is_fine(self):
        assert graph.parent_cycle(self.PARENTS, "clg", "audit") is None
        assert graph.parent_cycle(self.PARENTS, "exec", None) is None

    def test_every_body_appears_once_even_in_a_loop(self):
        parents = {"a": "b", "b": "a", "c": None}
        forest = graph.tree(parents)
        keys = []

        def walk(nodes):
            for node in nodes:
                keys.append(node.key)
                walk(node.children)

        walk(forest)
        assert sorted(keys) == ["a", "b", "c"]
        assert graph.depth_of(parents, "a") == 1
