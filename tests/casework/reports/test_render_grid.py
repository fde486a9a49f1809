"""The table grids every paged or spreadsheet rendering draws: each grid position belongs to
exactly one cell, and every total is the sum of the cells it names."""

from __future__ import annotations

import pytest

from casework.reports.render.grid import Grid, Role, grids
from tests.casework.reports.render_support import rich_document

GRIDS = grids(rich_document().figures)


@pytest.mark.parametrize("grid", GRIDS, ids=[g.key for g in GRIDS])
def test_the_cells_tile_the_grid(grid: Grid) -> None:
    covered: list[tuple[int, int]] = []
    for cell in grid.cells:
        covered += [
            (r, c)
            for r in range(cell.row, cell.row + cell.rows)
            for c in range(cell.col, cell.col + cell.cols)
        ]
    assert sorted(covered) == [(r, c) for r in range(grid.n_rows) for c in range(grid.n_cols)]
    assert len(grid.widths) == grid.n_cols


@pytest.mark.parametrize("grid", GRIDS[1:], ids=[g.key for g in GRIDS[1:]])  # 二 has none
def test_each_total_is_the_sum_of_the_cells_it_names(grid: Grid) -> None:
    numbers = {(c.row, c.col): c.number for c in grid.cells if c.role is Role.NUMBER}
    totals = [c for c in grid.cells if c.sum_of is not None]
    assert totals
    for total in totals:
        block = total.sum_of
        assert block is not None
        parts = [
            numbers[(r, c)]
            for r in range(block.first, block.last + 1)
            for c in range(block.left, block.right + 1)
        ]
        assert len(parts) > 1 and total.number == sum(p or 0 for p in parts)
