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
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

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


class CHGNetBatch:
    """Energies, forces and stresses of many structures from ONE CHGNet evaluation.

    The structures' crystal graphs (CHGNet's own converter, so the same graphs as
    :class:`chgnet.model.dynamics.CHGNetCalculator`) are assembled into one batched graph with
    vectorised tensor operations (no per-structure Python loop inside the autograd graph), the
    energies come from one forward pass of the model and the forces and stresses from ONE backward
    pass (``torch.autograd.grad`` of the summed energy with respect to all Cartesian positions and
    one strain per structure, without a double-backward graph). CHGNet's own ``predict_graph``
    loops over the structures while batching and differentiates twice with ``create_graph=True``,
    which costs about twice as much per structure on a CPU (``benchmarks/search.py``).

    Results agree with the ASE calculator to float32 precision (``tests/test_mlip.py``). A structure
    whose graph cannot be built (for example isolated atoms when the converter is set to
    ``"error"``) gets the exception in its place; the others are still evaluated. If the batched
    evaluation itself fails, each structure is evaluated alone so that only the culprit fails.

    >>> energies = mlip.CHGNetBatch()(structures)  # doctest: +SKIP
    """

    def __init__(self, *, model_name: str = CHGNET_VERSION) -> None:
        self.model = load_chgnet(model_name=model_name)

    def __call__(self, structures: Sequence[Any], *, stress: bool = True) -> list[Any]:
        """Evaluate pymatgen structures.

        Args:
            structures: pymatgen ``Structure`` objects.
            stress: compute the stress too (the strain derivative).

        Returns:
            One entry per structure: a dict with ``energy`` (eV), ``forces`` (eV/Å, shape (n, 3))
            and ``stress`` (eV/Å^3, symmetric 3x3, ASE's sign: positive = tensile; zeros when
            ``stress=False``), or the exception raised for that structure.
        """
        out: list[Any] = [None] * len(structures)
        graphs, where = [], []
        for i, s in enumerate(structures):
            try:
                graphs.append(self.model.graph_converter(s))
                where.append(i)
            except Exception as exc:  # a broken structure must not stop the batch
                out[i] = exc
        if not graphs:
            return out
        try:
            results = self._predict(graphs, stress=stress)
        except Exception:
            if len(graphs) == 1:
                raise
            results = []
            for g in graphs:
                try:
                    results.append(self._predict([g], stress=stress)[0])
                except Exception as exc:
                    results.append(exc)
        for i, r in zip(where, results, strict=True):
            out[i] = r
        return out

    def _predict(self, graphs: list[Any], *, stress: bool) -> list[dict[str, Any]]:
        import torch
        from ase import units
        from chgnet.model.model import BatchedGraph

        model = self.model
        model.eval()
        dtype = torch.float32
        b = len(graphs)
        n_atoms = torch.tensor([g.atomic_number.shape[0] for g in graphs])
        atom_graphs = [g.atom_graph.reshape(-1, 2) for g in graphs]
        n_directed = torch.tensor([len(a) for a in atom_graphs])
        n_undirected = torch.tensor([len(g.undirected2directed) for g in graphs])
        atom_off = torch.cumsum(n_atoms, 0) - n_atoms
        dir_off = torch.cumsum(n_directed, 0) - n_directed
        und_off = torch.cumsum(n_undirected, 0) - n_undirected
        atom_owner = torch.repeat_interleave(torch.arange(b), n_atoms)
        bond_owner = torch.repeat_interleave(torch.arange(b), n_directed)

        with torch.enable_grad():
            frac = torch.cat([g.atom_frac_coord.detach() for g in graphs]).to(dtype)
            lattice = torch.stack([g.lattice.detach() for g in graphs]).to(dtype)
            strain = torch.zeros((b, 3, 3), dtype=dtype, requires_grad=stress)
            lattice = lattice @ (torch.eye(3, dtype=dtype) + strain)  # CHGNet: L (1 + strain)
            volumes = (lattice[:, 0] * torch.linalg.cross(lattice[:, 1], lattice[:, 2])).sum(-1).detach()
            cart = torch.einsum("ai,aij->aj", frac, lattice[atom_owner])
            if not stress:  # nothing upstream needs a gradient: the forces need one on cart
                cart = cart.detach().requires_grad_(True)
            atom_graph = torch.cat(atom_graphs).long() + atom_off[bond_owner, None]
            image = torch.cat([g.neighbor_image for g in graphs]).to(dtype)
            center = cart[atom_graph[:, 0]]
            neighbor = cart[atom_graph[:, 1]] + torch.einsum("ei,eij->ej", image, lattice[bond_owner])
            # chgnet.model.encoders.BondEncoder.forward, vectorised over the batch
            bond_vectors = center - neighbor
            bond_lengths = torch.norm(bond_vectors, dim=1)
            bond_vectors = bond_vectors / bond_lengths[:, None]
            u2d = torch.cat([g.undirected2directed.long() + dir_off[k] for k, g in enumerate(graphs)])
            und_lengths = torch.index_select(bond_lengths, 0, u2d)
            encoder = model.bond_basis_expansion
            bond_bases_ag = encoder.rbf_expansion_ag(und_lengths)
            bond_bases_bg = encoder.rbf_expansion_bg(und_lengths)
            d2u = torch.cat([g.directed2undirected.long() + und_off[k] for k, g in enumerate(graphs)])
            # angles (chgnet.model.model.BatchedGraph.from_graphs, vectorised)
            bgs = [(k, g.bond_graph.reshape(-1, 5).long()) for k, g in enumerate(graphs) if len(g.bond_graph)]
            if bgs:
                vi = torch.cat([bg[:, 2] + dir_off[k] for k, bg in bgs])
                vj = torch.cat([bg[:, 4] + dir_off[k] for k, bg in bgs])
                angle_bases = model.angle_basis_expansion(bond_vectors[vi], bond_vectors[vj])
                bond_graph = torch.cat(
                    [
                        torch.stack([bg[:, 0] + atom_off[k], bg[:, 1] + und_off[k], bg[:, 3] + und_off[k]], 1)
                        for k, bg in bgs
                    ]
                )
            else:
                angle_bases = torch.tensor([])
                bond_graph = torch.tensor([])
            batched = BatchedGraph(
                atomic_numbers=torch.cat([g.atomic_number for g in graphs]),
                bond_bases_ag=bond_bases_ag,
                bond_bases_bg=bond_bases_bg,
                angle_bases=angle_bases,
                batched_atom_graph=atom_graph.int(),
                batched_bond_graph=bond_graph.int() if bgs else bond_graph,
                atom_owners=atom_owner.int(),
                directed2undirected=d2u.int(),
                atom_positions=[cart],
                strains=[strain],
                volumes=volumes,
            )
            energy = model._compute(batched)["e"]  # eV/atom for the intensive CHGNet
            if model.composition_model is not None:
                energy = energy + model.composition_model(graphs)
            if model.is_intensive:
                energy = energy * n_atoms.to(dtype)
            wrt = [cart, strain] if stress else [cart]
            grads = torch.autograd.grad(energy.sum(), wrt)
        forces = (-grads[0]).detach().numpy().astype(np.float64)
        energies = energy.detach().numpy().astype(np.float64)
        if stress:
            # CHGNet's unit chain: dE/dstrain / V in eV/Å^3 -> GPa (x 160.21766208) -> eV/Å^3 (ASE GPa)
            s = (grads[1] / volumes[:, None, None] * 160.21766208).detach().numpy().astype(np.float64)
            s = 0.5 * (s + s.transpose(0, 2, 1)) * units.GPa
        else:
            s = np.zeros((b, 3, 3))
        bounds = np.concatenate([[0], np.cumsum(n_atoms.numpy())])
        return [
            {"energy": float(energies[k]), "forces": forces[bounds[k] : bounds[k + 1]], "stress": s[k]}
            for k in range(b)
        ]
