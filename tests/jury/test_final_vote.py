"""The final vote counted by hand: Schulze's own worked example and small cases, no database.

The numbers come from the method's definition, worked out in the comments, not from the
code: they are the specification of `jury.scoring_math.final_vote`.
"""

import pytest

from jury.scoring_math.final_vote import Ballot, FirstPreferences, plurality, schulze


def strict(juror_id, order):
    """A ballot without ties: `order` best first."""
    return Ballot.from_groups(juror_id, [[nominee] for nominee in order])


def cell(matrix, shortlist, x, y):
    """matrix[x][y], by the nominees' names."""
    return matrix[shortlist.index(x)][shortlist.index(y)]


# Schulze's own example (Wikipedia, "Schulze method"): 45 voters, five candidates.
#   5 A>C>B>E>D    5 A>D>E>C>B    8 B>E>D>A>C    3 C>A>B>E>D
#   7 C>A>E>B>D    2 C>B>A>D>E    7 D>C>E>B>A    8 E>B>A>D>C
GROUPS = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]
BALLOTS_45 = [
    strict(f"v{voter}", order)
    for voter, order in enumerate((order for count, order in GROUPS for _ in range(count)), 1)
]

# d[x][y], by the groups (in the order above) ranking x over y; every ballot is strict, so
# d[y][x] = 45 − d[x][y]:
#   A>B 5+5+3+7 = 20          B>A 8+2+7+8 = 25
#   A>C 5+5+8+8 = 26          C>A 3+7+2+7 = 19
#   A>D 5+5+3+7+2+8 = 30      D>A 8+7 = 15
#   A>E 5+5+3+7+2 = 22        E>A 8+7+8 = 23
#   B>C 8+8 = 16              C>B 5+5+3+7+2+7 = 29
#   B>D 5+8+3+7+2+8 = 33      D>B 5+7 = 12
#   B>E 5+8+3+2 = 18          E>B 5+7+7+8 = 27
#   C>D 5+3+7+2 = 17          D>C 5+8+7+8 = 28
#   C>E 5+3+7+2+7 = 24        E>C 5+8+8 = 21
#   D>E 5+2+7 = 14            E>D 5+8+3+7+8 = 31
D_45 = (
    (0, 20, 26, 30, 22),
    (25, 0, 16, 33, 18),
    (19, 29, 0, 17, 24),
    (15, 12, 28, 0, 14),
    (23, 27, 21, 31, 0),
)
# Links (winning votes: d[x][y] where it beats d[y][x]):
#   A→C 26, A→D 30, B→A 25, B→D 33, C→B 29, C→E 24, D→C 28, E→A 23, E→B 27, E→D 31.
# Strongest paths (the best path's weakest link):
#   from A: B A→D→C→B 28 (A→C→B only 26); C A→D→C 28; D 30; E A→D→C→E 24
#   from B: A 25; C B→D→C 28; D 33; E B→D→C→E 24
#   from C: A C→B→A 25; B 29; D C→B→D 29; E 24
#   from D: A D→C→B→A 25; B D→C→B 28; C 28; E D→C→E 24
#   from E: A E→B→A 25 (E→A only 23); B E→D→C→B 28 (E→B only 27); C E→D→C 28; D 31
P_45 = (
    (0, 28, 28, 30, 24),
    (25, 0, 28, 33, 24),
    (25, 29, 0, 29, 24),
    (25, 28, 28, 0, 24),
    (25, 28, 28, 31, 0),
)
# E beats A 25:24, B 28:24, C 28:24, D 31:24; A beats C 28:25, B 28:25, D 30:25; C beats B
# 29:28, D 29:28; B beats D 33:28. So E > A > C > B > D.
# First preferences: A 5+5 = 10, B 8, C 3+7+2 = 12, D 7, E 8: plurality elects C.


def test_schulze_classic_example_elects_e():
    result = schulze("ABCDE", BALLOTS_45)
    assert result.shortlist == ("A", "B", "C", "D", "E")
    assert result.ballot_count == 45
    assert result.preferences == D_45
    assert result.strongest_paths == P_45
    assert cell(result.preferences, "ABCDE", "E", "A") == 23
    assert cell(result.strongest_paths, "ABCDE", "E", "A") == 25
    assert result.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert result.potential_winners == ("E",)
    assert result.winner == "E"
    assert not result.tie_broken


def test_plurality_classic_example_elects_c_not_the_schulze_winner():
    result = plurality("ABCDE", BALLOTS_45)
    assert result.first_preferences == (
        FirstPreferences("A", 10),
        FirstPreferences("B", 8),
        FirstPreferences("C", 12),
        FirstPreferences("D", 7),
        FirstPreferences("E", 8),
    )
    assert result.winners == ("C",)
    assert not result.tied
    assert schulze("ABCDE", BALLOTS_45).winner == "E"


TIED_BALLOTS = [strict("j1", "ABC"), strict("j2", "BAC")]


def test_schulze_tie_is_broken_by_the_supplied_order():
    """A>B>C and B>A>C: d A>B 1, B>A 1, A>C 2, B>C 2; C beats nobody.

    Links A→C 2, B→C 2; A–B has none (1 is not more than 1), so p[A][B] = p[B][A] = 0:
    A and B both remain potential winners. The jury's normalised scores put B, C, A.
    """
    result = schulze("ABC", TIED_BALLOTS, tie_break_order=["B", "C", "A"])
    assert result.preferences == ((0, 1, 2), (1, 0, 2), (0, 0, 0))
    assert result.strongest_paths == ((0, 0, 2), (0, 0, 2), (0, 0, 0))
    assert result.ranking == (("A", "B"), ("C",))
    assert result.potential_winners == ("A", "B")
    assert result.winner == "B"
    assert result.tie_broken
    assert plurality("ABC", TIED_BALLOTS).winners == ("A", "B")
    assert plurality("ABC", TIED_BALLOTS).tied


def test_schulze_tie_break_order_does_not_overrule_a_single_potential_winner():
    # E wins the classic example outright; an order that puts E last changes nothing.
    result = schulze("ABCDE", BALLOTS_45, tie_break_order="DCBAE")
    assert result.potential_winners == ("E",)
    assert result.winner == "E"
    assert not result.tie_broken


def test_schulze_tie_without_an_order_has_no_winner():
    # A cycle A>B>C, B>C>A, C>A>B: every link is 2 to 1, every strongest path 2.
    ballots = [
        strict("j1", "ABC"),
        strict("j2", "BCA"),
        strict("j3", "CAB"),
    ]
    result = schulze("ABC", ballots)
    assert result.strongest_paths == ((0, 2, 2), (2, 0, 2), (2, 2, 0))
    assert result.potential_winners == ("A", "B", "C")
    assert result.winner is None
    assert not result.tie_broken


def test_schulze_ballots_with_tied_groups_and_missing_nominees():
    """j1 A > B=C > D (D unlisted); j2 D > A > B=C (B, C unlisted); j3 B=C > A > D; j4 empty.

    d: A>B j1 j2 = 2, B>A j3 = 1; A>C 2, C>A 1; A>D j1 j3 = 2, D>A j2 = 1; B–C 0 both ways
    (tied on every ballot); B>D j1 j3 = 2, D>B j2 = 1; C>D 2, D>C 1. The empty ballot ties
    everyone and adds nothing. A beats everyone; B and C beat D and tie with each other.
    """
    ballots = [
        Ballot.from_groups("j1", [["A"], ["B", "C"]]),
        Ballot.from_groups("j2", [["D"], ["A"]]),
        Ballot.from_groups("j3", [["B", "C"], [], ["A"]]),
        Ballot.from_groups("j4", []),
    ]
    result = schulze("ABCD", ballots)
    assert result.ballot_count == 4
    assert result.preferences == ((0, 2, 2, 2), (1, 0, 0, 2), (1, 0, 0, 2), (1, 1, 1, 0))
    assert result.strongest_paths == ((0, 2, 2, 2), (0, 0, 0, 2), (0, 0, 0, 2), (0, 0, 0, 0))
    assert result.ranking == (("A",), ("B", "C"), ("D",))
    assert result.winner == "A"

    # First preferences: A 1 (j1), D 1 (j2), B and C half each (j3), nothing from j4.
    counted = plurality("ABCD", ballots)
    assert counted.first_preferences == (
        FirstPreferences("A", 1.0),
        FirstPreferences("B", 0.5),
        FirstPreferences("C", 0.5),
        FirstPreferences("D", 1.0),
    )
    assert counted.winners == ("A", "D")
    assert counted.tied


def test_schulze_without_ballots_has_no_winner():
    result = schulze("AB", [], tie_break_order="AB")
    assert result.ballot_count == 0
    assert result.winner is None
    assert not result.tie_broken
    assert plurality("AB", []).winners == ()


@pytest.mark.parametrize(
    ("shortlist", "ballots", "tie_break_order", "message"),
    [
        ("AB", [strict("j1", "AX")], None, "X, not shortlisted"),
        ("AB", [Ballot.from_groups("j1", [["A"], ["A", "B"]])], None, "ranks A twice"),
        ("AB", [strict("j1", "AB")] * 2, None, "two ballots"),
        ("AA", [], None, "twice"),
        ("AB", [], "A", "tie-break order"),
        ("AB", [], "AC", "tie-break order"),
    ],
)
def test_schulze_rejects_inconsistent_input(shortlist, ballots, tie_break_order, message):
    with pytest.raises(ValueError, match=message):
        schulze(shortlist, ballots, tie_break_order=tie_break_order)


def test_schulze_abstaining_ballot_counts_neither_for_nor_against():
    # Juror 1 has a conflict on C: their ballot compares A and B only.
    ballots = [
        Ballot.from_groups(1, [["A"], ["B"]], abstains=["C"]),
        strict(2, "CAB"),
    ]

    result = schulze(["A", "B", "C"], ballots)

    # Rows and columns A, B, C: juror 1 adds A>B only; juror 2 adds C>A, C>B, A>B.
    assert result.preferences == ((0, 2, 0), (0, 0, 0), (1, 1, 0))
    assert result.winner == "C"


def test_schulze_refuses_a_ballot_ranking_what_it_abstains_on():
    with pytest.raises(ValueError, match="abstain"):
        schulze(["A", "B"], [Ballot.from_groups(1, [["A"], ["B"]], abstains=["A"])])
