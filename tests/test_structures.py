"""CIF reading checks and the lossless array form of structures used by the 3DSC structure cache."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pymatgen.core import Lattice, Species, Structure

from reviewlib.data import fetch, manifest_files
from reviewlib.features.cache import cached
from reviewlib.structures import (
    StructureReadError,
    read_cif,
    read_cif_text,
    structures_from_arrays,
    structures_to_arrays,
)


def _same(a: Structure, b: Structure) -> bool:
    return json.dumps(a.as_dict(), sort_keys=True) == json.dumps(b.as_dict(), sort_keys=True)


def test_round_trip_of_real_cifs_is_exact(mirror):
    folder = fetch("3dsc_mp_cifs", progress=False)
    names = manifest_files("3dsc_mp_cifs")[::150]  # 39 CIFs, ordered and disordered
    parsed = [read_cif(folder / n) for n in names]
    assert any(not s.is_ordered for s in parsed)
    back = structures_from_arrays(structures_to_arrays(parsed))
    assert len(back) == len(parsed) and all(_same(a, b) for a, b in zip(parsed, back, strict=True))


def test_round_trip_through_the_cache_file_keeps_species_charge_and_periodicity(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    lattice = Lattice(np.diag([3.0, 4.0, 5.0]), pbc=(True, True, False))
    mixed = Structure(
        lattice,
        [{"Ba": 0.6, "K": 0.4}, Species("Fe", 2), "As"],
        [[0, 0, 0], [0.5, 0.5, 0.25], [0.5, 0, 0.1]],
        charge=2.0,
        labels=["A1", "Fe1", "As1"],
    )
    plain = Structure(Lattice.cubic(3.3), ["Nb"], [[0, 0, 0]])
    arrays = cached("test-structures", key={"n": 2}, compute=lambda: structures_to_arrays([mixed, plain]))
    again = cached("test-structures", key={"n": 2}, compute=lambda: pytest.fail("not read from the cache"))
    assert set(again) == set(arrays) and all(np.array_equal(arrays[k], again[k]) for k in arrays)
    back = structures_from_arrays(again)
    assert back[0].as_dict() == mixed.as_dict() and back[1].as_dict() == plain.as_dict()  # 1 == 1.0
    assert back[0].lattice.pbc == (True, True, False) and back[0].charge == 2.0


def test_structures_with_properties_are_refused_not_silently_stripped():
    s = Structure(Lattice.cubic(3.0), ["Fe"], [[0, 0, 0]], site_properties={"magmom": [2.2]})
    with pytest.raises(ValueError, match="properties"):
        structures_to_arrays([s])


_CIF_HEAD = """data_x
_cell_length_a 3
_cell_length_b 3
_cell_length_c 3
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'P 1'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
"""


def test_unknown_element_in_a_cif_names_the_file():
    cif = _CIF_HEAD + "Xq1 Xq 0 0 0 1\nNb1 Nb 0.5 0.5 0.5 1\n"
    with pytest.raises(StructureReadError, match=r"^bad\.cif: "):
        read_cif_text(cif, label="bad.cif")


# --- issue 22 case 8: pymatgen's real reason, not "Invalid CIF file with no structures!" -----------


@pytest.mark.parametrize(
    ("atoms", "reason"),
    [
        ("Nb1 Nb 0 0 0 1\nNb2 Nb 0 0 0 1\n", r"Some occupancies \(\[2\.0\]\) sum to > 1"),  # duplicate atom
        ("Nb1 Nb 0 0 0 1.5\n", r"Some occupancies \(\[1\.5\]\) sum to > 1"),  # occupancy above 1
    ],
)
def test_occupancy_problems_give_pymatgens_reason_and_the_file(tmp_path, atoms, reason):
    path = tmp_path / "bad.cif"
    path.write_text(_CIF_HEAD + atoms)
    for read in (lambda: read_cif(path), lambda: read_cif_text(path.read_text(), label=str(path))):
        with pytest.raises(StructureReadError, match=reason) as info:
            read()
        text = str(info.value)
        assert text.startswith(f"{path}: not a readable CIF: ") and "exceeded tolerance" in text
        assert "the same atom listed twice on one site" in text


@pytest.mark.filterwarnings(
    "ignore:No _symmetry_equiv_pos_as_xyz", "ignore:Issues encountered while parsing CIF"
)
def test_a_good_cif_reads_as_before(tmp_path):
    path = tmp_path / "good.cif"
    path.write_text(_CIF_HEAD + "Nb1 Nb 0 0 0 1\nNb2 Nb 0.5 0.5 0.5 1\n")
    assert _same(read_cif(path), Structure.from_file(str(path)))
    assert _same(read_cif_text(path.read_text(), label="x"), Structure.from_str(path.read_text(), fmt="cif"))
