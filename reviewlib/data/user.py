"""The registry dataset or your own files: one call returns the data and what was skipped.

>>> ds = load_structures(cif_dir="my_cifs/", tc_csv="my_cifs/tc.csv")  # doctest: +SKIP
>>> show_skipped(ds)                                                  # doctest: +SKIP
>>> ds = load_supercon_table(path="my_table.csv")                     # doctest: +SKIP
>>> ds = load_formula_tc_table(path="my_table.csv")                   # doctest: +SKIP

Items that cannot be used (malformed CIF, unknown element, no Tc row, a name that is not a plain
formula) are not fatal: they are listed in ``Dataset.skipped`` with a reason naming the file. A
table that cannot be used as a whole (missing, empty, missing column, a Tc that is not a number
in 0-400 K, the range declared in :mod:`reviewlib.data.schema`, duplicate id) raises ``ValueError``
naming the file, the column and the 1-based line (as an editor shows it), before any model sees it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reviewlib.data._util import read_tc_table, read_user_csv, require_columns, subsample
from reviewlib.data.schema import check_value
from reviewlib.structures import StructureReadError, read_cif


def _try_read(path: Path):
    try:
        return read_cif(path), ""
    except StructureReadError as exc:
        return None, str(exc)


def _read_tc_by_stem(tc_csv: Path, id_column: str, tc_column: str) -> tuple[dict[str, float], dict[str, int]]:
    """Tc (K) and the file line of its row, keyed by CIF stem (``Nb.cif`` and ``Nb`` name the same file)."""
    table = read_tc_table(tc_csv, id_column=id_column, tc_column=tc_column)
    out: dict[str, float] = {}
    lines: dict[str, int] = {}
    for ident, value, line in table.itertuples(index=False, name=None):
        key = ident[:-4] if ident.lower().endswith(".cif") else ident
        if key in out:
            raise ValueError(
                f"{tc_csv}: line {line}, column {id_column!r}: duplicate {ident!r} "
                f"(the same CIF as line {lines[key]})"
            )
        out[key], lines[key] = value, line
    return out, lines


def _duplicate_of(rows: list[dict]) -> dict[int, int]:
    """Row index -> index of the first earlier row holding the same structure.

    Same structure: pymatgen's ``StructureMatcher`` without volume scaling and with tight
    tolerances (lattice lengths 1 %, angles 1 degree, sites 0.05 of (V/n)^(1/3)): any origin,
    setting or cell choice of one crystal matches, while the same structure type at another
    lattice constant (another pressure, another doping) does not. Compared only within one
    reduced formula, so a folder of N structures does not cost N^2 matches.
    """
    from pymatgen.analysis.structure_matcher import StructureMatcher

    matcher = StructureMatcher(ltol=0.01, stol=0.05, angle_tol=1.0, scale=False)
    by_formula: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_formula.setdefault(row["formula"], []).append(i)
    out: dict[int, int] = {}
    for members in by_formula.values():
        kept: list[int] = []
        for i in members:
            first = next((k for k in kept if matcher.fit(rows[k]["structure"], rows[i]["structure"])), None)
            if first is None:
                kept.append(i)
            else:
                out[i] = first
    return out


def load_structure_folder(
    cif_dir: str | Path,
    tc_csv: str | Path | None = None,
    *,
    id_column: str = "file",
    tc_column: str = "tc_K",
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every ``*.cif`` in ``cif_dir`` and attach Tc (K) from ``tc_csv``.

    ``tc_csv`` has one row per structure: ``id_column`` holds the CIF file name (with or without
    ``.cif``), ``tc_column`` the Tc in K. Without ``tc_csv`` every ``tc_K`` is NaN on purpose
    (structures for prediction only). Returns ``(frame, skipped)``: ``frame`` has columns
    ``file``, ``structure`` (pymatgen), ``formula`` (reduced), ``tc_K``; ``skipped`` has columns
    ``file``, ``reason``. Rows of the CSV without a CIF are listed in
    ``frame.attrs["unmatched_rows"]``. Raises ``ValueError`` when nothing usable remains.

    Duplicates: CIFs holding the same structure (pymatgen ``StructureMatcher``, tight tolerances and
    no volume scaling, see ``_duplicate_of``) keep the first by file name; each later one
    is skipped with a reason naming the kept file, both Tc values and their lines in ``tc_csv``,
    and saying when the Tc values differ. One is kept rather than the folder refused so that the
    rest can be used; a duplicate kept twice would weigh double and leak across CV folds.
    """
    folder = Path(cif_dir)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a directory of CIF files")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".cif")
    if not paths:
        raise ValueError(f"{folder}: no .cif files")
    tc_table, tc_lines = (
        _read_tc_by_stem(Path(tc_csv), id_column, tc_column) if tc_csv is not None else (None, {})
    )

    if n_jobs == 1 or len(paths) < 50:
        results = [_try_read(p) for p in paths]
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs)(delayed(_try_read)(p) for p in paths)

    rows, skipped = [], []
    for path, (structure, error) in zip(paths, results, strict=True):
        if structure is None:
            skipped.append({"file": path.name, "reason": error})
            continue
        tc = math.nan
        if tc_table is not None:
            if path.stem not in tc_table:
                skipped.append(
                    {
                        "file": path.name,
                        "reason": f"{path}: no row with {id_column}={path.name!r} in {tc_csv}",
                    }
                )
                continue
            tc = tc_table[path.stem]
        rows.append(
            {
                "file": path.name,
                "structure": structure,
                "formula": structure.composition.reduced_formula,
                "tc_K": tc,
            }
        )
    duplicates = _duplicate_of(rows)
    for i, k in sorted(duplicates.items()):
        this, first = rows[i], rows[k]
        reason = (
            f"{folder / this['file']}: the same structure as {first['file']} (pymatgen StructureMatcher, "
            "lattice within 1 %); "
            f"{first['file']}, the first by file name, is kept"
        )
        if tc_table is not None:
            tc_this, tc_first = this["tc_K"], first["tc_K"]
            line_first, line_this = (tc_lines[Path(r["file"]).stem] for r in (first, this))
            lines = f"{Path(tc_csv).name} lines {line_first} and {line_this}"
            if tc_this == tc_first:
                reason += f" (both Tc {tc_first:g} K, {lines})"
            else:
                reason += (
                    f"; their Tc differ: {first['file']} {tc_first:g} K, {this['file']} {tc_this:g} K "
                    f"({lines}): correct the table or remove one of the files"
                )
        skipped.append({"file": this["file"], "reason": reason})
    rows = [row for i, row in enumerate(rows) if i not in duplicates]
    skipped_frame = pd.DataFrame(skipped, columns=["file", "reason"])
    if not rows:
        reasons = "; ".join(skipped_frame["reason"].head(5))
        raise ValueError(f"{folder}: no usable structures ({len(skipped)} skipped: {reasons})")
    frame = pd.DataFrame(rows, columns=["file", "structure", "formula", "tc_K"])
    frame["tc_K"] = frame["tc_K"].astype(float)
    frame.attrs["source"] = str(folder)
    stems = {p.stem for p in paths}
    frame.attrs["unmatched_rows"] = sorted(set(tc_table) - stems) if tc_table is not None else []
    return frame, skipped_frame


@dataclass
class Dataset:
    """What a chapter trains on: the rows, the items left out and why, and where they came from.

    ``skipped`` has columns ``item`` (file or name) and ``reason``; ``user`` is True for the
    user's own files (nothing is then recorded against the review); ``population`` is the whole
    registry table before any subsample (None for user files).
    """

    frame: pd.DataFrame
    skipped: pd.DataFrame
    label: str
    user: bool
    source: str
    population: pd.DataFrame | None = None


def _skipped(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["item", "reason"])


def load_supercon_table(*, path: str | Path | None = None, min_rows: int = 10) -> Dataset:
    """The SuperCon table of Stanev et al. (registry) or a user's CSV with columns ``name``, ``Tc`` (K).

    A user's file is checked first with ``reviewlib.data._util.read_tc_table`` (errors name the
    file, column and 1-based line). Names that do not parse as plain formulas are skipped with their reason;
    ``frame`` holds the parsed rows (columns of :func:`reviewlib.data.supercon.load_stanev`).
    Raises ``ValueError`` naming the file when fewer than ``min_rows`` rows parse.
    """
    from reviewlib.data.supercon import load_stanev

    if path is not None:
        read_tc_table(path, id_column="name", tc_column="Tc", unique=False)
    table = load_stanev(path, warn=False)
    skipped = _skipped(list(table.attrs["unparsed"]))
    frame = table[table["composition"].notna()].reset_index(drop=True)
    source = table.attrs["source"]
    if len(frame) < min_rows:
        raise ValueError(
            f"{source}: only {len(frame)} of {len(table)} names parse as formulas; at least {min_rows} "
            f"are needed (unparsed, first ones: {skipped['item'].head(5).tolist()})"
        )
    label = f"your table {path}" if path is not None else "SuperCon (Stanev et al. 2018)"
    return Dataset(frame=frame, skipped=skipped, label=label, user=path is not None, source=source)


def load_formula_tc_table(
    *, path: str | Path, min_rows: int = 10, pressure_column: str = "pressure_GPa"
) -> Dataset:
    """A user's CSV of compounds: ``formula``, ``tc_K`` (K) and optionally ``pressure_column`` (GPa).

    The file is checked with ``reviewlib.data._util.read_tc_table`` (``formula`` as the id, the
    same formula may repeat): a missing file or column, an empty formula, or a Tc that is empty,
    not a plain number or outside 0-400 K raises ``ValueError`` naming the file, the 1-based line
    (as an editor shows it), the column and the fix. When the table has ``pressure_column``, every
    value must be a pressure in GPa in 0-600 (:mod:`reviewlib.data.schema`; a blank cell, a unit or
    kbar raises the same way). Formulas that do not parse (:func:`reviewlib.chem.parse_formula`:
    unknown element, not a formula) are skipped, each listed in ``skipped`` as
    ``line N: formula`` with the reason. ``frame`` has columns ``formula`` (as written),
    ``composition`` (pymatgen ``Composition``), ``tc_K`` (float, K), ``pressure_GPa`` (float, GPa;
    only when the table has the column) and ``line``. Raises ``ValueError`` naming the file when
    fewer than ``min_rows`` formulas parse.
    """
    from reviewlib.chem import parse_formula

    src = Path(path)
    table = read_tc_table(src, id_column="formula", tc_column="tc_K", unique=False)
    expected = f"a CSV with columns formula, tc_K (K), optionally {pressure_column} (GPa)"
    raw, lines = read_user_csv(src, expected=expected)
    has_pressure = pressure_column in raw.columns
    rows, skipped = [], []
    for i, (formula, tc, line) in enumerate(table.itertuples(index=False, name=None)):
        where = f"{src}: line {line}"
        pressure = None
        if has_pressure:
            pressure = check_value(
                "pressure_GPa",
                raw[pressure_column].iloc[i],
                where=f"{where}, column {pressure_column!r} ({formula})",
            )
        try:
            comp = parse_formula(formula, where=f"{where}, column 'formula'")
        except ValueError as exc:
            skipped.append((f"line {line}: {formula}", str(exc)))
            continue
        row = {"formula": formula, "composition": comp, "tc_K": tc, "line": line}
        if has_pressure:
            row["pressure_GPa"] = pressure
        rows.append(row)
    columns = ["formula", "composition", "tc_K", *(["pressure_GPa"] if has_pressure else []), "line"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame) < min_rows:
        first = [item for item, _ in skipped[:5]]
        raise ValueError(
            f"{src}: only {len(frame)} of {len(table)} rows have a formula that parses; at least "
            f"{min_rows} are needed (skipped, first ones: {first}); fix those formulas or add rows"
        )
    frame["tc_K"] = frame["tc_K"].astype(float)
    return Dataset(
        frame=frame, skipped=_skipped(skipped), label=f"your table {src}", user=True, source=str(src)
    )


def load_structures(
    *,
    cif_dir: str | Path | None = None,
    tc_csv: str | Path | None = None,
    n: int | None = None,
    seed: int = 0,
    n_jobs: int = 1,
) -> Dataset:
    """3DSC_MP structures from the registry (a seeded subsample of ``n``) or a user's CIF folder.

    Registry: the 3DSC_MP table (:func:`reviewlib.data.supercon.load_3dsc_mp`), ``n`` rows drawn with
    ``seed`` (all when ``n`` is None), then their CIFs parsed with ``n_jobs`` processes. User
    folder: :func:`load_structure_folder` with Tc (K) from ``tc_csv`` (required: a chapter trains
    on Tc); unreadable CIFs and CIFs without a Tc row are skipped with the reason. ``frame`` has
    columns ``cif``, ``structure``, ``tc_K``, ``family`` and ``mp_id`` (None for user files).
    """
    from reviewlib.data.supercon import load_3dsc_mp, material_family
    from reviewlib.structures import read_cifs

    if cif_dir is None:
        if tc_csv is not None:
            raise ValueError(f"tc_csv={tc_csv} was given without cif_dir: set cif_dir to your CIF folder")
        population = load_3dsc_mp(with_structures=False)
        folder = Path(population.attrs["source"])
        frame = subsample(population, n=n, seed=seed)
        frame["structure"] = read_cifs([folder / c for c in frame["cif"]], n_jobs=n_jobs, progress=False)
        label = f"3DSC_MP ({len(frame)} of {len(population)} structures)"
        return Dataset(
            frame=frame,
            skipped=_skipped([]),
            label=label,
            user=False,
            source=str(folder),
            population=population,
        )
    if tc_csv is None:
        raise ValueError(
            f"cif_dir={cif_dir} needs tc_csv: a CSV with columns file and tc_K (Tc in K) for its CIFs"
        )
    frame, skipped = load_structure_folder(cif_dir, tc_csv, n_jobs=n_jobs)
    frame = frame.rename(columns={"file": "cif"})
    frame["family"] = [material_family(str(e) for e in s.composition.elements) for s in frame["structure"]]
    frame["mp_id"] = None
    frame = subsample(frame, n=n, seed=seed)
    return Dataset(
        frame=frame,
        skipped=skipped.rename(columns={"file": "item"}),
        label=f"your folder {cif_dir}",
        user=True,
        source=str(cif_dir),
    )


def load_spectra_folder(
    path: str | Path,
    *,
    units: str | None = None,
    column: int | None = None,
) -> Dataset:
    """Every file in the folder ``path`` read as an alpha2F spectrum (EPW ``prefix.a2f``, QE ``a2F.dos*``).

    ``units`` and ``column`` go to :func:`reviewlib.tc.spectra_io.read_a2f` when given. ``units``
    None: each file's unit comes from its header (there is no default unit: a file whose header
    names none, or several, is skipped with a reason saying to pass ``units``); a given ``units``
    is used for every file. A file that cannot be read is skipped with the reason; hidden files are
    ignored. ``frame`` has columns ``file``, ``spectrum`` (:class:`reviewlib.tc.eliashberg.Spectrum`,
    omega in K), ``units`` (the frequency unit used), ``units_source`` ("header" or "argument"),
    ``lambda``, ``omega_log_K``, ``omega_2_K``. Raises ``ValueError`` naming the folder when it is
    missing, empty or nothing in it can be read.
    """
    from reviewlib.tc.spectra_io import read_a2f

    folder = Path(path)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a directory of alpha2F files")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise ValueError(f"{folder}: no files")
    options = {k: v for k, v in {"units": units, "column": column}.items() if v is not None}
    rows, skipped = [], []
    for file in files:
        try:
            spectrum, info = read_a2f(file, with_info=True, **options)
        except ValueError as exc:
            skipped.append((file.name, str(exc)))
            continue
        rows.append(
            {
                "file": file.name,
                "spectrum": spectrum,
                "units": info.units,
                "units_source": info.units_source,
                "lambda": spectrum.lam,
                "omega_log_K": spectrum.omega_log_K,
                "omega_2_K": spectrum.omega_2_K,
            }
        )
    if not rows:
        reasons = "; ".join(reason for _, reason in skipped[:5])
        raise ValueError(f"{folder}: no readable alpha2F file ({len(skipped)} skipped: {reasons})")
    columns = ["file", "spectrum", "units", "units_source", "lambda", "omega_log_K", "omega_2_K"]
    frame = pd.DataFrame(rows, columns=columns)
    return Dataset(
        frame=frame, skipped=_skipped(skipped), label=f"your folder {folder}", user=True, source=str(folder)
    )


def load_structure_set(
    cif_dir: str | Path,
    *,
    descriptor_csv: str | Path | None = None,
    descriptors: dict[str, tuple[float, float]] | None = None,
    id_column: str = "file",
    n_jobs: int = 1,
) -> Dataset:
    """A user's CIF folder of structures to *predict* (no Tc needed), with optional descriptors.

    Every ``*.cif`` in ``cif_dir`` is read (:func:`load_structure_folder` without a Tc table:
    unreadable files and duplicate structures are skipped with the reason). With
    ``descriptor_csv``, each structure also needs a row of that CSV (``id_column`` = the CIF file
    name, with or without ``.cif``) holding the columns named in ``descriptors``, a mapping
    column -> closed range ``(low, high)`` of a plausible value; a CIF without a row is skipped
    by name. ``frame`` has columns ``file``, ``structure``, ``formula`` and the descriptor
    columns (floats). Raises ``ValueError`` naming the file, the column and the 1-based line for a
    missing column, an empty or duplicate id, or a descriptor that is empty, not a plain number,
    not finite or outside its range, before any model sees it.
    """
    frame, skipped = load_structure_folder(cif_dir, n_jobs=n_jobs)
    frame = frame.drop(columns="tc_K")
    descriptors = dict(descriptors or {})
    if descriptor_csv is not None:
        path = Path(descriptor_csv)
        expected = f"a CSV file with a header line naming the columns {[id_column, *descriptors]}"
        if not path.is_file():
            raise ValueError(f"{path}: descriptor table not found; expected {expected}")
        raw, lines = read_user_csv(path, expected=expected)
        require_columns(raw, [id_column, *descriptors], source=path)
        values: dict[str, dict[str, float]] = {}
        first_line: dict[str, int] = {}
        for i, line in enumerate(lines):
            ident = str(raw[id_column].iloc[i]).strip()
            if not ident:
                raise ValueError(f"{path}: line {line}, column {id_column!r}: empty; every row names a CIF")
            key = ident[:-4] if ident.lower().endswith(".cif") else ident
            if key in first_line:
                raise ValueError(
                    f"{path}: line {line}, column {id_column!r}: duplicate {ident!r} "
                    f"(first on line {first_line[key]})"
                )
            first_line[key] = line
            row = {}
            for column, (low, high) in descriptors.items():
                text = str(raw[column].iloc[i]).strip()
                where = f"{path}: line {line}, column {column!r} ({ident})"
                try:
                    value = float(text)
                except ValueError:
                    raise ValueError(f"{where}: {text!r} is not a plain number") from None
                if not math.isfinite(value) or not low <= value <= high:
                    raise ValueError(f"{where}: {text!r} is outside {low:g}-{high:g}")
                row[column] = value
            values[key] = row
        keep = []
        extra = []
        for file in frame["file"]:
            stem = Path(file).stem
            if stem in values:
                keep.append(True)
            else:
                keep.append(False)
                extra.append({"file": file, "reason": f"no row with {id_column}={file!r} in {path}"})
        frame = frame[keep].reset_index(drop=True)
        if frame.empty:
            raise ValueError(
                f"{path}: no row matches a CIF of {cif_dir}; {id_column} holds the CIF file names"
            )
        for column in descriptors:
            frame[column] = [values[Path(f).stem][column] for f in frame["file"]]
        skipped = pd.concat([skipped, pd.DataFrame(extra, columns=["file", "reason"])], ignore_index=True)
    return Dataset(
        frame=frame,
        skipped=skipped.rename(columns={"file": "item"}),
        label=f"your folder {cif_dir}",
        user=True,
        source=str(cif_dir),
    )


def show_skipped(dataset: Dataset, *, what: str = "items", head: int = 10) -> None:
    """Print how many items were read and skipped, a count per kind of reason, and the first few in full."""
    from IPython.display import display

    print(f"{len(dataset.frame)} {what} read from {dataset.label}; {len(dataset.skipped)} skipped")
    if len(dataset.skipped):
        kinds = dataset.skipped["reason"].str.split(": ", n=1).str[-1].str.split(" [(]").str[0]
        if kinds.nunique() < len(kinds):  # a count per kind of reason, where reasons repeat
            display(kinds.value_counts().rename("skipped, by reason").to_frame())
        for item, reason in dataset.skipped.head(head).itertuples(index=False, name=None):
            print(f"  skipped {item}: {reason}")
        if len(dataset.skipped) > head:
            print(f"  ... and {len(dataset.skipped) - head} more")


def load_hydride_table(
    *, path: str | Path | None = None, binary_only: bool = False, need: tuple[str, ...] = ()
) -> Dataset:
    """The Osaka hydride DB (registry) or a user's CSV of hydrides: formula, pressure_GPa, tc_K.

    A user's file goes through :func:`reviewlib.data.hydride_table.load_user_hydrides` (rows with an
    unparseable formula, an unknown element, no hydrogen or a value outside its physical range
    are skipped with the file, line and column). ``need`` names optional inputs a chapter cannot
    do without (``space_group``, ``mu_star``): a user file without such a column raises
    ``ValueError`` naming the file and the column; rows with a blank value are skipped with the
    reason. ``binary_only`` skips every hydride with more than one non-H element, by name, with
    the reason. ``population`` holds every row read (before these two selections), for
    look-ups of parent compounds. ``skipped`` has columns ``item`` and ``reason``.
    """
    from reviewlib.data.hydride_table import OPTIONAL, load_user_hydrides

    unknown = [c for c in need if c not in OPTIONAL]
    if unknown:
        raise ValueError(f"need: unknown column(s) {unknown}; choose from {list(OPTIONAL)}")
    if path is None:
        from reviewlib.data.hydrides import load_osaka_hydrides

        table = load_osaka_hydrides()
        skipped: list[tuple[str, str]] = [(str(f), str(e)) for f, e in table.attrs.get("unparsed", [])]
        label, source = "Osaka hydride DB", str(table.attrs.get("source", "registry"))
    else:
        table, bad = load_user_hydrides(path)
        missing = [c for c in need if c not in table.columns]
        if missing:
            raise ValueError(
                f"{path}: this chapter needs the column(s) {missing} (space_group: number 1-230 or a "
                "Hermann-Mauguin symbol such as Fm-3m; mu_star: the Coulomb pseudopotential, 0-0.3)"
            )
        skipped = [(f"line {r.line}: {r.formula}", r.reason) for r in bad.itertuples()]
        label, source = f"your table {path}", str(path)
    population = table.reset_index(drop=True)
    keep = pd.Series(True, index=population.index)
    for column in need:
        blank = population[column].isna()
        skipped += [
            (str(f), f"no {column} (an input of this chapter's model)")
            for f in population.loc[blank, "formula"]
        ]
        keep &= ~blank
    if binary_only:
        multi = keep & (population["n_elements"] > 2)
        skipped += [
            (str(f), "not a binary hydride (more than one element besides H): this chapter models binaries")
            for f in population.loc[multi, "formula"]
        ]
        keep &= ~multi
    frame = population[keep].reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"{source}: no usable hydride row left ({len(skipped)} skipped)")
    return Dataset(
        frame=frame,
        skipped=_skipped(skipped),
        label=label,
        user=path is not None,
        source=source,
        population=population,
    )
