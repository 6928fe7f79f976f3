"""Trained pipeline models on disk: one zip (xgboost UBJ files + numpy arrays + JSON) and a card.

``save_bundle`` writes ``<folder>/pipeline_model.zip`` and ``<folder>/pipeline_model.card.json``.
The card lists the training data (registry names and sha256), the split, the retrospective
metrics against their baselines, the library versions, the features and the sha256 and size of
the zip. ``load_bundle`` refuses a zip whose sha256 differs from its card, or whose card names
library versions (xgboost, matminer, pymatgen, numpy, scikit-learn, scipy: major.minor) other
than the installed ones.
No pickle is involved: xgboost's own UBJ format, ``numpy.load(allow_pickle=False)`` and JSON.

The bundle also holds what the applicability domain needs: the training elements, each feature's
training range, and a 16-component PCA embedding of the standardised training features (for the
nearest training entries and the distance threshold: the ``ad_percentile`` of the training
entries' own nearest-neighbour distances).
"""

from __future__ import annotations

import io
import json
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reviewlib._io import atomic_write
from reviewlib.data.registry import sha256_file
from reviewlib.pipeline.route import TARGETS, CouplingTc
from reviewlib.pipeline.uncertainty import IntervalModel

MODEL_FILE = "pipeline_model.zip"
CARD_FILE = "pipeline_model.card.json"
NOTEBOOK = "14_pipeline_future_superconductors"
VERSIONED = ("xgboost", "matminer", "pymatgen", "numpy", "sklearn", "scipy")
N_COMPONENTS = 16


class ModelError(RuntimeError):
    """A pipeline model is missing, altered or was saved with other library versions."""


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries a saved model depends on."""
    import importlib

    out = {}
    for name in VERSIONED:  # pymatgen's version lives in pymatgen.core
        mod = importlib.import_module("pymatgen.core" if name == "pymatgen" else name)
        out[name] = str(mod.__version__)
    return out


def _minor(v: str) -> str:
    return ".".join(str(v).split(".")[:2])


def feature_frame(compositions, pressures_GPa, *, cache: bool = True) -> pd.DataFrame:
    """The pipeline's features: 132 Magpie statistics of the composition plus ``pressure_GPa``."""
    from reviewlib.features.composition import magpie_features

    X = magpie_features(list(compositions), cache=cache, progress=False)
    X["pressure_GPa"] = np.asarray(pressures_GPa, dtype=float)
    return X


@dataclass
class Bundle:
    """A fitted :class:`~reviewlib.pipeline.route.CouplingTc` with its applicability-domain data."""

    coupling: CouplingTc
    feature_names: list[str]
    train: pd.DataFrame  # id, formula, pressure_GPa, dataset, lambda, omega_log_K, tc_K
    elements: list[str]
    feat_min: np.ndarray
    feat_max: np.ndarray
    center: np.ndarray
    scale: np.ndarray
    components: np.ndarray
    embedding: np.ndarray
    nn_threshold: float
    ad_percentile: float
    card: dict[str, Any] = field(default_factory=dict)

    def embed(self, X) -> np.ndarray:
        """PCA coordinates of standardised features (the space of the nearest-neighbour distances)."""
        Z = (np.asarray(X, dtype=float) - self.center) / self.scale
        return (Z @ self.components.T).astype(np.float32)


def _nn_distances(emb: np.ndarray, query: np.ndarray, *, k: int, exclude_self: bool):
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=min(k + int(exclude_self), len(emb))).fit(emb)
    dist, idx = nn.kneighbors(query)
    if exclude_self:
        dist, idx = dist[:, 1:], idx[:, 1:]
    return dist, idx


def fit_bundle(
    X: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    groups=None,
    seed: int,
    rounds: int = 300,
    ad_percentile: float = 95.0,
) -> Bundle:
    """Train the three stages on ``X`` (:func:`reviewlib.pipeline.bundle.feature_frame`) and
    ``frame`` (columns ``id``, ``formula``, ``pressure_GPa``, ``dataset``, ``lambda``,
    ``omega_log_K``, ``tc_K``).
    """
    from reviewlib.chem import parse_formula

    need = ["id", "formula", "pressure_GPa", "dataset", *TARGETS]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(f"fit_bundle: frame lacks columns {missing}")
    Xa = X.to_numpy(dtype=float)
    coupling = CouplingTc(kind="xgb", rounds=rounds, seed=seed).fit(Xa, frame, groups=groups)
    center = Xa.mean(axis=0)
    scale = Xa.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (Xa - center) / scale
    _, _, vt = np.linalg.svd(Z - Z.mean(axis=0), full_matrices=False)
    components = vt[: min(N_COMPONENTS, vt.shape[0])]
    emb = (Z @ components.T).astype(np.float32)
    d, _ = _nn_distances(emb, emb, k=1, exclude_self=True)
    elements = sorted({el.symbol for f in frame["formula"] for el in parse_formula(f).elements})
    return Bundle(
        coupling=coupling,
        feature_names=list(X.columns),
        train=frame[need].reset_index(drop=True),
        elements=elements,
        feat_min=Xa.min(axis=0),
        feat_max=Xa.max(axis=0),
        center=center,
        scale=scale,
        components=components,
        embedding=emb,
        nn_threshold=float(np.percentile(d[:, 0], ad_percentile)),
        ad_percentile=float(ad_percentile),
    )


def save_bundle(bundle: Bundle, folder: str | Path, *, card: dict[str, Any]) -> Path:
    """Write the zip and its card into ``folder``; returns the card path. ``card`` supplies the
    descriptive fields (``data``, ``split``, ``metrics``, ``mode``, ...); hashes, sizes, versions
    and the feature list are added here.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    zpath = folder / MODEL_FILE
    meta = {
        "feature_names": bundle.feature_names,
        "elements": bundle.elements,
        "nn_threshold": bundle.nn_threshold,
        "ad_percentile": bundle.ad_percentile,
        "mu_star_range": list(bundle.coupling.mu_star_range),
        "rho": float(bundle.coupling.rho),
        "rounds": bundle.coupling.rounds,
        "seed": bundle.coupling.seed,
        "train_columns": list(bundle.train.columns),
    }
    arrays = {
        "feat_min": bundle.feat_min,
        "feat_max": bundle.feat_max,
        "center": bundle.center,
        "scale": bundle.scale,
        "components": bundle.components,
        "embedding": bundle.embedding,
    }
    for t, m in bundle.coupling.models.items():
        arrays[f"quantiles_{t}"] = m.quantiles
        if m.kind != "xgb":
            raise ModelError(f"only xgboost stages can be saved (stage {t} is {m.kind!r})")
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)

    def write_zip(fh) -> None:
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for t, m in bundle.coupling.models.items():
                for part, est in (("mean", m.mean_model), ("scale", m.scale_model)):
                    p = Path(tmp) / f"{t}_{part}.ubj"
                    est.save_model(p)
                    zf.write(p, f"models/{t}_{part}.ubj")
            zf.writestr("arrays.npz", buf.getvalue())
            zf.writestr("meta.json", json.dumps(meta))
            zf.writestr("train.csv", bundle.train.to_csv(index=False))

    atomic_write(zpath, write_zip)
    full = {
        **card,
        "notebook": NOTEBOOK,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model_file": MODEL_FILE,
        "model_sha256": sha256_file(zpath),
        "model_size_bytes": zpath.stat().st_size,
        "libraries": library_versions(),
        "features": "132 Magpie statistics of the composition (matminer) + pressure_GPa",
        "targets": {"lambda": "log", "omega_log_K": "log (K)", "tc_K": "log(1 + Tc/K)"},
        "intervals": "empirical quantiles of cross-fitted, normalised grouped out-of-fold residuals "
        "(xgboost mean + scale; no finite-sample correction)",
        "lambda_omega_log_copula_rho": float(bundle.coupling.rho),
        "n_train": len(bundle.train),
        "elements": bundle.elements,
        "applicability_domain": {
            "distance": f"1-NN Euclidean distance in {bundle.components.shape[0]} PCA components "
            "of the standardised features",
            "threshold": bundle.nn_threshold,
            "percentile": bundle.ad_percentile,
        },
    }
    cpath = folder / CARD_FILE
    atomic_write(cpath, json.dumps(full, indent=1) + "\n")
    bundle.card = full
    return cpath


def _card_and_zip(path: Path) -> tuple[Path, Path]:
    path = Path(path)
    if path.is_dir():
        return path / CARD_FILE, path / MODEL_FILE
    if path.name.endswith(".card.json"):
        return path, path.with_name(path.name.replace(".card.json", ".zip"))
    return path.with_name(path.name.replace(".zip", ".card.json")), path


def load_bundle(path: str | Path) -> Bundle:
    """Load a bundle (its folder, zip or card); :class:`ModelError` when the card is missing, the
    zip's sha256 differs from the card, or the card's library versions (major.minor) differ from
    the installed ones.
    """
    from xgboost import XGBRegressor

    cpath, zpath = _card_and_zip(Path(path))
    if not cpath.is_file() or not zpath.is_file():
        raise ModelError(f"{path}: need both {zpath.name} and its card {cpath.name}")
    card = json.loads(cpath.read_text())
    digest = sha256_file(zpath)
    if digest != card.get("model_sha256"):
        raise ModelError(
            f"{zpath}: sha256 {digest[:12]}... differs from its card "
            f"({str(card.get('model_sha256'))[:12]}...); the file was altered or belongs to another card: "
            "retrain it"
        )
    have = library_versions()
    bad = {
        k: (v, have.get(k))
        for k, v in card.get("libraries", {}).items()
        if k in have and _minor(v) != _minor(have[k])
    }
    if bad:
        text = ", ".join(f"{k} {v} (installed {h})" for k, (v, h) in bad.items())
        raise ModelError(f"{zpath}: saved with {text}; retrain the model with the installed libraries")
    with zipfile.ZipFile(zpath) as zf, tempfile.TemporaryDirectory() as tmp:
        meta = json.loads(zf.read("meta.json"))
        arrays = np.load(io.BytesIO(zf.read("arrays.npz")), allow_pickle=False)
        train = pd.read_csv(io.BytesIO(zf.read("train.csv")))
        coupling = CouplingTc(
            kind="xgb",
            rounds=meta["rounds"],
            seed=meta["seed"],
            mu_star_range=tuple(meta["mu_star_range"]),
            rho=float(meta.get("rho", 0.0)),
        )
        for t in TARGETS:
            m = IntervalModel(kind="xgb", rounds=meta["rounds"], seed=meta["seed"])
            for part in ("mean", "scale"):
                p = Path(tmp) / f"{t}_{part}.ubj"
                p.write_bytes(zf.read(f"models/{t}_{part}.ubj"))
                est = XGBRegressor()
                est.load_model(p)
                setattr(m, f"{part}_model", est)
            m.quantiles = arrays[f"quantiles_{t}"]
            m.n_train = len(train)
            coupling.models[t] = m
        return Bundle(
            coupling=coupling,
            feature_names=meta["feature_names"],
            train=train,
            elements=meta["elements"],
            feat_min=arrays["feat_min"],
            feat_max=arrays["feat_max"],
            center=arrays["center"],
            scale=arrays["scale"],
            components=arrays["components"],
            embedding=arrays["embedding"],
            nn_threshold=float(meta["nn_threshold"]),
            ad_percentile=float(meta["ad_percentile"]),
            card=card,
        )


def default_model_dirs() -> list[Path]:
    """Where :func:`reviewlib.pipeline.predict.predict` looks without ``model``: the chapter's published
    full run, then the artifacts of the last local run (:func:`artifacts_dir`).
    """
    from reviewlib import settings

    return [settings.published_dir() / NOTEBOOK / "artifacts" / "model", artifacts_dir() / "model"]


def artifacts_dir() -> Path:
    """Folder for the chapter's files (ranked CSV, model): ``artifacts/`` beside the records folder.

    While ``reviewlib run --publish`` executes the chapter, the records folder is inside the run's
    staging folder, so the files are published with the run; a local ``reviewlib run`` (records in
    ``runs/records``) writes ``runs/artifacts``.
    """
    from reviewlib import settings

    return settings.records_dir().parent / "artifacts"


def find_model(model: str | Path | None = None) -> Path:
    """The model folder to use: ``model`` if given, else the first default that holds a card."""
    if model is not None:
        cpath, zpath = _card_and_zip(Path(model))
        if not cpath.is_file():
            raise ModelError(f"{model}: no model card {cpath.name} there")
        return cpath
    for folder in default_model_dirs():
        if (folder / CARD_FILE).is_file():
            return folder / CARD_FILE
    looked = ", ".join(str(p) for p in default_model_dirs())
    raise ModelError(
        f"no pipeline model found (looked in {looked}); make one with "
        f"`reviewlib run {NOTEBOOK} --mode full` or pass --model PATH"
    )


def list_cards() -> list[dict[str, Any]]:
    """The cards of the models in the default locations (with ``path``)."""
    out = []
    for folder in default_model_dirs():
        p = folder / CARD_FILE
        if p.is_file():
            out.append({"path": str(p), **json.loads(p.read_text())})
    return out
