"""Pretrained universal ML interatomic potentials whose weights ship inside their wheels.

Only models that load offline are offered: CHGNet 0.3.0 (Deng et al., Nat. Mach. Intell. 5, 1031
(2023)) ships its weights in the ``chgnet`` wheel. Models that fetch weights from a hub at run time
cannot work in this project's offline environment and are not wrapped here.

>>> from reviewlib import mlip
>>> atoms.calc = mlip.chgnet_calculator()  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

CHGNET_VERSION = "0.3.0"


@cache
def load_chgnet(*, model_name: str = CHGNET_VERSION) -> Any:
    """The pretrained CHGNet model on the CPU, loaded once per process (weights from the wheel)."""
    try:
        from chgnet.model import CHGNet
    except ImportError as exc:  # pragma: no cover - chgnet is a dependency
        raise ImportError("CHGNet is not installed: run `make test` or `pip install chgnet`") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CHGNet.load(model_name=model_name, use_device="cpu", verbose=False)


def chgnet_calculator(*, model_name: str = CHGNET_VERSION, stress_weight: float | None = None) -> Any:
    """An ASE calculator for the CHGNet model (energies in eV, forces in eV/Å, stress in eV/Å^3).

    ``stress_weight`` converts CHGNet's GPa stress to ASE's eV/Å^3 (CHGNet's default when None).
    """
    from chgnet.model.dynamics import CHGNetCalculator

    kwargs = {} if stress_weight is None else {"stress_weight": stress_weight}
    return CHGNetCalculator(load_chgnet(model_name=model_name), use_device="cpu", **kwargs)
