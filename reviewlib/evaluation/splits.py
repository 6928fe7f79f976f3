"""Splitters named the way the results store names splits.

A split name is ``"random"``, ``"grouped by <what>"`` (``"grouped by chemical system"``; the
bare ``"group"`` / ``"grouped"`` of older code also work) or ``"leave one <what> out"``
(``"leave one element out"``; ``"leave one group out"``). :func:`split_kind` reduces a name to
``random`` / ``grouped`` / ``logo``; :func:`make_splitter` builds the seeded scikit-learn
splitter; :func:`split_indices` returns the ``(train, test)`` index pairs; :func:`holdout` is one
seeded train/test split (grouped or not).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KINDS = ("random", "grouped", "logo")


def split_kind(split: str) -> str:
    """``random``, ``grouped`` or ``logo`` (leave one group out) for a split name."""
    name = str(split).strip().lower()
    if name == "random" or name.startswith("random "):
        return "random"
    if name in ("group", "grouped") or name.startswith("grouped by ") or name.startswith("group "):
        return "grouped"
    if name in ("logo", "leave one group out") or (name.startswith("leave one ") and name.endswith(" out")):
        return "logo"
    raise ValueError(f"split must be 'random', 'grouped by <what>' or 'leave one <what> out', got {split!r}")


def split_name(kind: str, *, by: str | None = None) -> str:
    """The results-store name of a split: ``split_name("grouped", by="compound")`` ->
    ``"grouped by compound"``; ``("logo", by="element")`` -> ``"leave one element out"``.
    """
    if kind == "random":
        return "random"
    if kind == "grouped":
        return f"grouped by {by}" if by else "grouped"
    if kind == "logo":
        return f"leave one {by} out" if by else "leave one group out"
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def make_splitter(split: str, *, n_splits: int | None = 5, seed: int, groups=None, stratify: bool = False):
    """The seeded scikit-learn splitter of a split name.

    ``random``: shuffled ``KFold`` (``StratifiedKFold`` with ``stratify``); ``grouped by ...``:
    shuffled ``GroupKFold`` (``groups`` required, at least ``n_splits`` distinct groups;
    ``n_splits=None`` means leave one group out); ``leave one ... out``: ``LeaveOneGroupOut``.
    """
    from sklearn.model_selection import GroupKFold, KFold, LeaveOneGroupOut, StratifiedKFold

    kind = split_kind(split)
    if kind != "random" and groups is None:
        raise ValueError(f"split={split!r} needs groups (e.g. composition_groups(...) or MP parent ids)")
    if kind == "logo" or (kind == "grouped" and n_splits is None):
        if len(pd.unique(np.asarray(groups, dtype=object))) < 2:
            raise ValueError(f"split={split!r} needs at least 2 groups: 1 group is fewer than that")
        return LeaveOneGroupOut()
    if n_splits is None or n_splits < 2:
        raise ValueError("n_splits must be >= 2")
    if kind == "grouped":
        n_groups = len(pd.unique(np.asarray(groups, dtype=object)))
        if n_groups < n_splits:
            raise ValueError(
                f"split={split!r} needs at least n_splits={n_splits} groups: "
                f"{n_groups} groups are fewer than that"
            )
        return GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    if stratify:
        return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


def split_indices(
    split: str,
    *,
    n_rows: int,
    n_splits: int | None = 5,
    seed: int,
    groups=None,
    y=None,
    stratify: bool = False,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``(train, test)`` row indices of every fold of a named split."""
    splitter = make_splitter(split, n_splits=n_splits, seed=seed, groups=groups, stratify=stratify)
    g = None if split_kind(split) == "random" else np.asarray(groups, dtype=object)
    if g is not None and len(g) != n_rows:
        raise ValueError(f"groups has {len(g)} entries but there are {n_rows} rows")
    return list(splitter.split(np.zeros((n_rows, 1)), y, g))


def holdout(
    *, n_rows: int | None = None, groups=None, test_fraction: float = 0.2, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(train_idx, test_idx)``, sorted: about ``test_fraction`` of the rows held out (seeded).

    With ``groups`` whole groups are held out (``GroupShuffleSplit``; no label on both sides; at
    least two distinct groups), otherwise ``n_rows`` rows at random (``ShuffleSplit``).
    """
    from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit

    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    if groups is None:
        if n_rows is None or n_rows < 2:
            raise ValueError("holdout needs n_rows >= 2 or groups")
        split = ShuffleSplit(n_splits=1, test_size=test_fraction, random_state=seed)
        train, test = next(split.split(np.zeros(n_rows)))
        return np.sort(train), np.sort(test)
    g = np.asarray(groups, dtype=object)
    if len(pd.unique(g)) < 2:
        raise ValueError("a grouped holdout needs at least two distinct groups")
    split = GroupShuffleSplit(n_splits=1, test_size=test_fraction, random_state=seed)
    train, test = next(split.split(np.zeros(len(g)), groups=g))
    return np.sort(train), np.sort(test)
