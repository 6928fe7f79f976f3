"""The evaluation engines give today's numbers: outputs pinned before the refactor into
:mod:`reviewlib.evaluation` (``tests/_evaluation_pins.py`` wrote them) must not move.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _evaluation_pins import outputs  # noqa: E402

PINS = Path(__file__).parent / "data" / "evaluation" / "pins.npz"


@pytest.fixture(scope="module")
def now():
    return outputs()


@pytest.fixture(scope="module")
def pinned():
    with np.load(PINS) as f:
        return {k: f[k] for k in f.files}


def test_same_outputs_as_before_the_refactor(now, pinned):
    assert set(now) == set(pinned)
    for key in sorted(pinned):
        np.testing.assert_array_equal(np.asarray(now[key]), pinned[key], err_msg=key)
