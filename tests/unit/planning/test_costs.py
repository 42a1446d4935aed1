"""Cost totals against sums worked by hand."""

from __future__ import annotations

from scheduler.planning.costs import CostLine, CostTotal, totals

LINES = [
    CostLine(1, "travel", 1200.50, 1310.25),
    CostLine(1, "interpreters", 800.0, None),
    CostLine(2, "accommodation", 2400.10, 2380.0),
    CostLine(3, "venue", None, 150.0),
]


def test_totals_per_partner_target_and_provider_match_hand_sums() -> None:
    partners = {1: ["MK"], 2: ["MK"], 3: ["RS"]}
    assert totals(LINES, partners) == [
        # 1200.50 + 800 + 2400.10 = 4400.60 planned; 1310.25 + 2380 = 3690.25 actual,
        # against 1200.50 + 2400.10 = 3600.60 planned for the lines paid (not the
        # interpreters, whose actual is not known yet).
        CostTotal("MK", 4400.6, 3690.25, 2, 3600.6),
        CostTotal("RS", 0.0, 150.0, 1, 0.0),
    ]
    # Event 2 serves two targets: it counts in both.
    targets = {1: ["Light infantry"], 2: ["Light infantry", "Border"], 3: []}
    assert totals(LINES, targets) == [
        CostTotal("Light infantry", 4400.6, 3690.25, 2, 3600.6),
        CostTotal("Border", 2400.1, 2380.0, 1, 2400.1),
    ]
    assert totals(LINES, partners)[0].difference == 89.65  # 3690.25 - 3600.60
    # NCA: 2400.10 planned; 2380 + 150 = 2530 actual: 129.90 over.
    assert totals(LINES, {1: ["The cell"], 2: ["NCA"], 3: ["NCA"]})[0].difference == 129.9
