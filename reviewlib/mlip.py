"""Pretrained universal ML interatomic potentials whose weights ship inside their wheels.

Only models that load offline are offered:

- CHGNet 0.3.0 (Deng et al., Nat. Mach. Intell. 5, 1031 (2023)), weights in the ``chgnet`` wheel;
- SevenNet-0 (11Jul2024) (Park et al., J. Chem. Theory Comput. 20, 4857 (2024)), weights in the
  ``sevenn`` wheel.

Both were trained on the Materials Project relaxation trajectories (MPtrj, PBE/PBE+U), so their
energies are on the Materials Project's GGA(+U) scale. Models that fetch weights from a hub at run
time cannot work in this project's offline environment and are not wrapped here.

>>> from reviewlib import mlip
>>> atoms.calc = mlip.calculator(model="chgnet")  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

CHGNET_VERSION = "0.3.0"
SEVENNET_VERSION = "7net-0"
MODELS = ("chgnet", "sevennet")


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


def chgnet_calculator(
    *, model_name: str = CHGNET_VERSION, stress_weight: float | None = None, stress: bool = True
) -> Any:
    """An ASE calculator for the CHGNet model (energies in eV, forces in eV/Å, stress in eV/Å^3).

    ``stress_weight`` converts CHGNet's GPa stress to ASE's eV/Å^3 (CHGNet's default when None).
    ``stress=False`` gives energies and forces only (CHGNet task ``"ef"``, no magnetic moments):
    the strain derivative is not built, which cuts the peak memory of one force call on a
    64-atom H3S cell at 150 GPa from 6.4 to 4.1 GB (``benchmarks/mlip_memory.py``); use it for
    fixed-cell work such as phonons.
    """
    from chgnet.model.dynamics import CHGNetCalculator

    kwargs = {} if stress_weight is None else {"stress_weight": stress_weight}
    cls = CHGNetCalculator if stress else _chgnet_forces_only_class()
    return cls(load_chgnet(model_name=model_name), use_device="cpu", **kwargs)


@cache
def _chgnet_forces_only_class() -> type:
    from chgnet.model.dynamics import CHGNetCalculator

    class CHGNetForcesCalculator(CHGNetCalculator):
        """CHGNet energies and forces only (task ``"ef"``); asking for a stress raises."""

        implemented_properties = ("energy", "free_energy", "forces")

        def calculate(self, atoms=None, properties=None, system_changes=None, task="ef"):  # noqa: D102
            super().calculate(atoms=atoms, properties=properties, system_changes=system_changes, task="ef")

    return CHGNetForcesCalculator


def sevennet_calculator(*, model_name: str = SEVENNET_VERSION) -> Any:
    """An ASE calculator for SevenNet-0 on the CPU (eV, eV/Å, eV/Å^3; weights from the wheel)."""
    try:
        from sevenn.calculator import SevenNetCalculator
    except ImportError as exc:  # pragma: no cover - sevenn is a dependency
        raise ImportError("SevenNet is not installed: run `make test` or `pip install sevenn`") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SevenNetCalculator(model_name, device="cpu")


@cache
def _cached_calculator(model: str, stress: bool = True) -> Any:
    if model == "chgnet":
        return chgnet_calculator(stress=stress)
    return sevennet_calculator()


def calculator(*, model: str = "chgnet", cached: bool = True, stress: bool = True) -> Any:
    """The ASE calculator of ``model`` (``"chgnet"`` or ``"sevennet"``), one per process if cached.

    ``stress=False`` asks for energies and forces only, for fixed-cell work on large cells: CHGNet
    then skips its strain derivative (a third less memory, see :func:`chgnet_calculator`);
    SevenNet computes the stress at little extra cost and is returned unchanged.
    """
    if model not in MODELS:
        raise ValueError(f"unknown MLIP {model!r}; choose one of {MODELS}")
    stress = stress or model != "chgnet"  # only CHGNet has a forces-only variant: no second SevenNet
    if cached:
        return _cached_calculator(model, stress)
    return _cached_calculator.__wrapped__(model, stress)


@cache
def supported_elements(*, model: str = "chgnet") -> frozenset[str]:
    """Chemical symbols the model was trained on (others are refused before any calculation)."""
    from ase.data import chemical_symbols

    if model == "chgnet":
        # CHGNet's atom embedding covers Z = 1..94 (its MPtrj training set spans 89 of them)
        return frozenset(chemical_symbols[1:95])
    if model == "sevennet":
        calc = calculator(model="sevennet")
        return frozenset(chemical_symbols[int(z)] for z in calc.type_map)
    raise ValueError(f"unknown MLIP {model!r}; choose one of {MODELS}")


def author_reported_accuracy(
    *, model: str = "chgnet", model_name: str = CHGNET_VERSION
) -> dict[str, float | str]:
    """Test-set mean absolute errors the authors ship with the weights (read from the model card).

    Only CHGNet ships a model card with its errors (``chgnet/pretrained/<version>/README.md``,
    MPtrj test split). Returns ``energy_mae_meV_per_atom``, ``force_mae_meV_per_A``,
    ``stress_mae_GPa``, ``magmom_mae_muB`` and the ``source`` file.
    """
    if model != "chgnet":
        raise ValueError(f"no model card with test errors ships with {model!r}; only 'chgnet' has one")
    from importlib import resources

    card = resources.files("chgnet") / "pretrained" / model_name / "README.md"
    text = card.read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0].lower() == "test" and len(cells) >= 5:
            energy, force, stress, magmom = (float(c) for c in cells[1:5])
            return {
                "energy_mae_meV_per_atom": energy,
                "force_mae_meV_per_A": force,
                "stress_mae_GPa": stress,
                "magmom_mae_muB": magmom,
                "source": str(card),
            }
    raise ValueError(f"{card}: no 'Test' row in the MAE table of the CHGNet model card")
