"""What a trail event changed, and how a broken link is named."""

from __future__ import annotations

from reports.trail.domain import Change, changes, problem


def test_changes_list_only_the_fields_that_moved() -> None:
    before = {"status": "sent", "amount_fen": 500}
    after = {"status": "paid", "amount_fen": 500, "bank_reference": "B1"}
    assert changes(before, after) == [Change("bank_reference", None, "B1"), Change("status", "sent", "paid")]
    assert changes(None, {"status": "reported"}) == [Change("status", None, "reported")]
    assert changes(None, None) == []
    assert changes("a", "b") == [Change("value", "a", "b")]


def test_the_first_thing_wrong_is_named() -> None:
    assert problem(hash_ok=True, prev_matches=True, next_matches=True) is None
    assert problem(hash_ok=False, prev_matches=False, next_matches=True) == "content does not match its hash"
    assert problem(hash_ok=True, prev_matches=False, next_matches=True) == "previous-hash link broken"
    assert (
        problem(hash_ok=True, prev_matches=True, next_matches=False)
        == "the next event does not link to this one"
    )
