"""Regenerate ``reviewlib/data/registry/records.json`` and the folder manifests from the mirror.

Provenance (repository, commit, license, citation) is written here by hand from the SOURCES.md
files of ``../shared/data``; sizes and sha256 are computed from the mirror and cross-checked
against each area's SHA256SUMS. Run it only when the mirror gains a dataset:

    REVIEWLIB_DATA_MIRROR=../shared/data python scripts/build_registry.py
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reviewlib" / "data" / "registry"

_3DSC = ("aimat-lab/3DSC", "8d69ca9c94b83d387378549225d3b7c3af85ca42")
_SODNET = ("pincher-chen/SODNet", "9c8fcb5b4b0423deccff458be369372033e72f76")
_JARVIS = ("usnistgov/jarvis_leaderboard", "57afc55f94c8a6f4562f73a3173968cd4b2f83b1")
_MATSML = ("huantd/matsml", "41b575022172bc41c5cf6504446bda0d8746a8a3")
_HYLLIOS = ("hyllios/utils", "2d8b8ff801c7e90468e6556517571be1e7955832")
_HENNIG = ("henniggroup/symbolic-regression-utilities", "11cf1f31888afe3a29140557dc7b3871102b8204")
_JL = "jarvis_leaderboard"
_SP = f"{_JL}/benchmarks/AI/SinglePropertyPrediction"

# name, area, (repo, commit), path, kind, license, citation, description, extra
SPEC: list[tuple] = [
    # --- supercon -------------------------------------------------------------------------
    (
        "stanev_supercon",
        "supercon",
        _3DSC,
        "superconductors_3D/data/source/SuperCon/raw/Supercon_data_by_2018_Stanev.csv",
        "file",
        "CC-BY-4.0",
        "r39_stanev2018",
        "SuperCon extract of Stanev et al. 2018 as redistributed by 3DSC: 16,414 formulas with Tc (K)",
        {},
    ),
    (
        "3dsc_mp_cifs",
        "supercon",
        _3DSC,
        "superconductors_3D/data/final/MP/cifs",
        "folder",
        "CC-BY-4.0",
        "sommer2023_3dsc",
        "3DSC_MP: 5,773 Materials Project CIFs matched to SuperCon entries (3,437 synthetically doped)",
        {},
    ),
    (
        "3dsc_icsd_ids",
        "supercon",
        _3DSC,
        "superconductors_3D/data/final/ICSD/3DSC_ICSD_only_IDs.csv",
        "file",
        "CC-BY-4.0",
        "sommer2023_3dsc",
        "3DSC_ICSD without structures: formula, Tc (K) and ICSD id, 86,490 rows",
        {},
    ),
    (
        "3dsc_license",
        "supercon",
        ("aimat-lab/3DSC", "eb620aff8948a7f6f0563ea977b94e3f7c1b3ba8"),
        "LICENSE.md",
        "license",
        "CC-BY-4.0 (data) / MIT (code)",
        "sommer2023_3dsc",
        "License of the 3DSC repository",
        {},
    ),
    (
        "3dsc_mp_id_prop",
        "supercon",
        ("WyattBunstine/ML_SC_Project", "10f66529b8fb90aa0c020f9c2ff7ca6e83617a1f"),
        "database/MP/id_prop.csv",
        "file",
        "none stated (extract of CC-BY-4.0 3DSC_MP)",
        "sommer2023_3dsc",
        "CIF name -> Tc (K) for the 5,773 3DSC_MP rows; rebuilt from a search index, NOT byte-verified "
        "against upstream: cross-check only, never downloaded",
        {"download": False},
    ),
    (
        "supercon3d_table",
        "supercon",
        ("pincher-chen/SODNet", "f9c1c5d9e0a3fc7660f6f88e620a81a006111ab1"),
        "datasets/SuperCon/SuperCon_11949.csv",
        "file",
        "none (local research only; cite the paper)",
        "chen2024_sodnet",
        "SuperCon3D composition table: 11,949 formulas, Tc (K), materials family",
        {},
    ),
    (
        "supercon3d_references",
        "supercon",
        ("pincher-chen/SODNet", "ed36d3e2b27279d4505624c251c0941b51a52e93"),
        "datasets/SuperCon/reference_part.csv",
        "file",
        "none (local research only; cite the paper)",
        "chen2024_sodnet",
        "SuperCon3D literature references for 835 CIFs",
        {},
    ),
    # --- hydrides -------------------------------------------------------------------------
    (
        "tranvu_lambda",
        "hydrides",
        _MATSML,
        "examples/ex5_supercond1/data_lambda.csv",
        "file",
        "GPL-3.0",
        "r22_tran2023",
        "Tran & Vu 2023: lambda and 40 Matminer structure features, 584 rows",
        {},
    ),
    (
        "tranvu_omega_log",
        "hydrides",
        _MATSML,
        "examples/ex5_supercond1/data_omlog.csv",
        "file",
        "GPL-3.0",
        "r22_tran2023",
        "Tran & Vu 2023: omega_log (K) and 38 Matminer structure features, 567 rows",
        {},
    ),
    (
        "matsml_license",
        "hydrides",
        _MATSML,
        "LICENSE",
        "license",
        "GPL-3.0",
        "r22_tran2023",
        "License of huantd/matsml",
        {},
    ),
    (
        "jarvis_hydride_tc",
        "hydrides",
        _JARVIS,
        f"{_SP}/dft_3d_Tc_supercon_hydride.json.zip",
        "file",
        "NIST",
        "wines2024_hydride",
        "JARVIS hydride Tc benchmark: 953 entries (K) with train/val/test split",
        {"member": "dft_3d_Tc_supercon_hydride.json"},
    ),
    (
        "jarvis_hydride_plus_bulk_tc",
        "hydrides",
        _JARVIS,
        f"{_SP}/dft_3d_Tc_supercon_hydride_plus_bulk.json.zip",
        "file",
        "NIST",
        "wines2024_hydride",
        "JARVIS hydride + ambient bulk Tc benchmark: 1,993 entries (K) with split",
        {"member": "dft_3d_Tc_supercon_hydride_plus_bulk.json"},
    ),
    (
        "jarvis_dft3d_tc",
        "hydrides",
        _JARVIS,
        f"{_SP}/dft_3d_Tc_supercon.json.zip",
        "file",
        "NIST",
        "r28_choudhary2022",
        "JARVIS dft_3d_Tc_supercon (Choudhary & Garrity 2022): 616 ids -> Tc (K)",
        {"member": "dft_3d_Tc_supercon.json"},
    ),
    (
        "jarvis_atomgen_structures",
        "hydrides",
        _JARVIS,
        f"{_JL}/benchmarks/AI/AtomGen/dft_3d_Tc_supercon.json.zip",
        "file",
        "NIST",
        "r28_choudhary2022",
        "JARVIS AtomGen: 1,056 POSCAR structures of the Choudhary & Garrity set",
        {"member": "dft_3d_Tc_supercon.json"},
    ),
    (
        "alignn_hydride_predictions",
        "hydrides",
        _JARVIS,
        f"{_JL}/contributions/alignn_hydride_supercon/AI-SinglePropertyPrediction-Tc_supercon_hydride-dft_3d-test-mae.csv.zip",
        "file",
        "NIST",
        "wines2024_hydride",
        "ALIGNN test-set predictions for the 95 hydride test entries (K)",
        {"member": "AI-SinglePropertyPrediction-Tc_supercon_hydride-dft_3d-test-mae.csv"},
    ),
    (
        "alignn_hydride_plus_bulk_predictions",
        "hydrides",
        _JARVIS,
        f"{_JL}/contributions/alignn_hydride_supercon_plusbulk/AI-SinglePropertyPrediction-Tc_supercon_hydride_plus_bulk-dft_3d-test-mae.csv.zip",
        "file",
        "NIST",
        "wines2024_hydride",
        "ALIGNN test-set predictions for the 199 hydride+bulk test entries (K)",
        {"member": "AI-SinglePropertyPrediction-Tc_supercon_hydride_plus_bulk-dft_3d-test-mae.csv"},
    ),
    (
        "jarvis_license",
        "hydrides",
        _JARVIS,
        "LICENSE.rst",
        "license",
        "NIST",
        "wines2024_hydride",
        "License of usnistgov/jarvis_leaderboard",
        {},
    ),
    (
        "alexandria_ds_a",
        "hydrides",
        _HYLLIOS,
        "models/supercond_modnet_model/DS-A.pk.bz2",
        "file",
        "MIT",
        "cerqueira2024_alexandria",
        "Alexandria DS-A: 7,220 structures with Tc, lambda, omega_log, DOS(E_F), Debye T (pickle)",
        {"pickle": True},
    ),
    (
        "alexandria_ds_b",
        "hydrides",
        _HYLLIOS,
        "models/supercond_modnet_model/DS-B.pk.bz2",
        "file",
        "MIT",
        "cerqueira2024_alexandria",
        "Alexandria DS-B: 1,033 structures with Tc, lambda, omega_log, DOS(E_F), Debye T (pickle)",
        {"pickle": True},
    ),
    (
        "hyllios_license",
        "hydrides",
        _HYLLIOS,
        "LICENSE",
        "license",
        "MIT",
        "cerqueira2024_alexandria",
        "License of hyllios/utils",
        {},
    ),
    (
        "htsc2025",
        "hydrides",
        ("xqh19970407/HTSC-2025", "56586221ccdc9f7ea1c5f02d06e7a90ac8fc4232"),
        "HTSC-2025.json",
        "file",
        "none (all rights reserved until stated)",
        "han2025_htsc",
        "HTSC-2025: 140 ambient-pressure predicted superconductors, CIF + Tc (K)",
        {},
    ),
    (
        "sodnet_hydride_table",
        "hydrides",
        _SODNET,
        "datasets/SuperCon/df_all_data1202.csv",
        "file",
        "none (local research only; cite the paper)",
        "chen2024_sodnet",
        "SuperCon3D CIF table: 1,578 rows (CIF name, Tc K, family, formula, order), 103 literature hydrides",
        {},
    ),
    (
        "sodnet_hydride_cifs",
        "hydrides",
        _SODNET,
        "datasets/SuperCon/cif",
        "folder",
        "none (local research only; cite the paper)",
        "chen2024_sodnet",
        "SuperCon3D: the 88 non-ICSD literature hydride CIFs",
        {},
    ),
    (
        "allen_dynes_43",
        "hydrides",
        _HENNIG,
        "datasets/AllenDynes/data.csv",
        "file",
        "Apache-2.0",
        "r38_allen1975",
        "Allen & Dynes 1975 reference set (via Xie et al. 2019): 43 materials, Tc, omega_log, lambda, mu*",
        {},
    ),
    (
        "hennig_license",
        "hydrides",
        _HENNIG,
        "LICENSE",
        "license",
        "Apache-2.0",
        "xie2019_functional",
        "License of henniggroup/symbolic-regression-utilities",
        {},
    ),
    # --- hydrides2 ------------------------------------------------------------------------
    (
        "osaka_hydrides",
        "hydrides2",
        ("nakanishi-akitaka/python", "d11e5b9cf4dd57f51938d3638ff74c102380e624"),
        "database/superconductivity.csv",
        "file",
        "none (values are facts from the cited papers)",
        "r24_ishikawa2019",
        "Osaka hydride Tc database: 936 rows (formula, space group, P, lambda, omega_log, mu*, Tc, DOI)",
        {},
    ),
]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> int:
    mirror = Path(os.environ.get("REVIEWLIB_DATA_MIRROR", ROOT.parent / "shared" / "data")).resolve()
    sums: dict[str, str] = {}
    for area in ("supercon", "hydrides", "hydrides2"):
        for line in (mirror / area / "SHA256SUMS").read_text().splitlines():
            digest, rel = line.split(maxsplit=1)
            sums[f"{area}/{rel.removeprefix('./')}"] = digest
    OUT.mkdir(parents=True, exist_ok=True)
    records = []
    for name, area, (repo, commit), path, kind, lic, cite, desc, extra in SPEC:
        local = f"{area}/{repo.replace('/', '+')}/{path}"
        rec = {
            "name": name,
            "area": area,
            "repo": repo,
            "commit": commit,
            "path": path,
            "kind": kind,
            "license": lic,
            "citation": cite,
            "description": desc,
        }
        if kind == "folder":
            files = sorted(p for p in (mirror / local).iterdir() if p.is_file())
            rows = []
            for p in files:
                digest = sha256(p)
                if sums[f"{local}/{p.name}"] != digest:
                    raise SystemExit(f"{local}/{p.name}: sha256 differs from SHA256SUMS")
                rows.append((p.name, p.stat().st_size, digest))
            manifest = OUT / f"{name}.csv"
            with manifest.open("w", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(["file", "size", "sha256"])
                writer.writerows(rows)
            rec["n_files"] = len(rows)
            rec["size"] = sum(r[1] for r in rows)
            rec["sha256"] = hashlib.sha256(
                "".join(d + "\n" for d in sorted(r[2] for r in rows)).encode()
            ).hexdigest()
            rec["manifest"] = manifest.name
        else:
            p = mirror / local
            rec["size"] = p.stat().st_size
            rec["sha256"] = sha256(p)
            if sums[local] != rec["sha256"]:
                raise SystemExit(f"{local}: sha256 differs from SHA256SUMS")
        rec.update(extra)
        records.append(rec)
    (OUT / "records.json").write_text(json.dumps(records, indent=1) + "\n")
    print(f"{len(records)} records written to {OUT / 'records.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
