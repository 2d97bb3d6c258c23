"""Pure rules of how a premium is made up: per household or per resident, and the shares of the
household, the district and the township; how a policy's premium splits into them and when it is
paid in full. No web, no session.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from policies.domain import Funding, PaymentChannel
from policies.errors import InvalidProgram


class PremiumBasis(enum.StrEnum):
    HOUSEHOLD = "household"  # premium_fen per household
    RESIDENT = "resident"  # premium_fen per person in the household when the policy is issued


class Share(enum.StrEnum):
    """Who pays a part of a policy's premium; the order is the tie-break of split_premium."""

    HOUSEHOLD = "household"
    DISTRICT = "district"
    TOWNSHIP = "township"


class GovernmentPayer(enum.StrEnum):
    """Who pays a government share for many households at once (GovernmentPayment)."""

    DISTRICT = "district"
    TOWNSHIP = "township"


WHOLE_BPS = 10_000


def check_shares(*, basis: PremiumBasis, funding: Funding, shares: Mapping[Share, int]) -> None:
    """Each share 0..10,000 basis points, together 10,000; a district-funded program keeps the defaults."""
    if any(not 0 <= bps <= WHOLE_BPS for bps in shares.values()) or sum(shares.values()) != WHOLE_BPS:
        raise InvalidProgram(
            "the household, district and township shares must add up to 10000", field="shares"
        )
    if funding is Funding.DISTRICT and (
        basis is not PremiumBasis.HOUSEHOLD or shares[Share.HOUSEHOLD] != WHOLE_BPS
    ):
        raise InvalidProgram("a district-funded program is paid as one lump sum", field="shares")


def premium_due(*, basis: PremiumBasis, premium_fen: int, people: int) -> int:
    """What one household's policy costs: the program's premium, times its people on a per-resident basis."""
    return premium_fen * people if basis is PremiumBasis.RESIDENT else premium_fen


def split_premium(due_fen: int, shares: Mapping[Share, int]) -> dict[Share, int]:
    """Split a premium into whole fen per share by the largest remainder; the parts add up to `due_fen`.

    Each share first takes floor(due × bps / 10,000); the fen still left (fewer than the number of
    shares) go one each to the shares with the largest remainders, ties to the earlier of household,
    district, township. So a 1-fen premium split half and half is owed by the household.
    """
    floors = {share: due_fen * shares.get(share, 0) // WHOLE_BPS for share in Share}
    left = due_fen - sum(floors.values())
    order = sorted(Share, key=lambda s: (-(due_fen * shares.get(s, 0) % WHOLE_BPS), list(Share).index(s)))
    for share in order[:left]:
        floors[share] += 1
    return floors


def policy_shares(due_fen: int, *, blanket: bool, shares: Mapping[Share, int]) -> dict[Share, int]:
    """What each payer owes for one policy: a blanket policy's lump sum is all the district's."""
    if blanket:
        return {Share.HOUSEHOLD: 0, Share.DISTRICT: due_fen, Share.TOWNSHIP: 0}
    return split_premium(due_fen, shares)


def share_of(channel: PaymentChannel) -> Share:
    """Whose share a payment through `channel` pays: finance channels pay the government's."""
    if channel is PaymentChannel.DISTRICT_FINANCE:
        return Share.DISTRICT
    if channel is PaymentChannel.TOWNSHIP_FINANCE:
        return Share.TOWNSHIP
    return Share.HOUSEHOLD


def fully_paid(owed: Mapping[Share, int], paid: Mapping[Share, int]) -> bool:
    """A policy activates only when every share is paid in full, whoever paid first."""
    return all(paid.get(share, 0) >= amount for share, amount in owed.items())
