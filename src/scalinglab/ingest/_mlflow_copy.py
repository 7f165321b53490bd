"""The private copy of an MLflow store that ingest reads, and the checks of the user's
files made before MLflow sees them (a cut metric line, a broken ``meta.yaml``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._signatures import SQLITE

__all__ = ["private_copy"]

#: Folders of a run MLflow reads; ``artifacts`` is not one.
_READ = ("metrics", "params", "tags")
#: Folders of an experiment that hold no runs (MLflow 3's ``RESERVED_EXPERIMENT_FOLDERS``)
#: and that reading runs never opens; ``tags`` and ``datasets`` (a run's inputs) are read.
_NOT_RUNS = ("traces", "models")


def _database_tables(path: Path) -> set[str]:
    """Tables of a SQLite file, read through a read-only connection (the file is not touched)."""
    import sqlite3

    with path.open("rb") as handle:
        head = handle.read(16)
    if not head:
        raise DataError(
            "an empty file, not an MLflow database", source=str(path),
            hint="point at the mlflow.db your MLflow tracking server writes",
        )  # fmt: skip
    if not SQLITE.found_in(head):
        raise DataError(
            "not a SQLite file, so not an MLflow database", source=str(path),
            hint="point at an mlruns/ folder or an MLflow SQLite database (mlflow.db)",
        )  # fmt: skip
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            con.close()
    except sqlite3.Error as err:
        raise DataError(
            f"cannot read the SQLite file ({err})", source=str(path),
            hint="check the file is a complete copy of the MLflow database",
        ) from None  # fmt: skip
    return {str(row[0]) for row in rows}


def _copy_database(database: Path, folder: Path) -> Path:
    tables = _database_tables(database)
    missing = sorted({"experiments", "runs", "metrics", "alembic_version"} - tables)
    if missing:
        raise DataError(
            f"a SQLite file, but not an MLflow database (no {', '.join(missing)} table)",
            source=str(database),
            hint="point at the mlflow.db your MLflow tracking server writes",
        )
    copy = folder / "mlflow.db"
    shutil.copyfile(database, copy)
    for suffix in ("-wal", "-journal"):  # uncommitted pages live beside the file
        side = database.with_name(database.name + suffix)
        if side.is_file():
            shutil.copyfile(side, folder / f"mlflow.db{suffix}")
    return copy


def _skip_unread(root: Path) -> Callable[[str, list[str]], set[str]]:
    """A ``copytree`` filter leaving out what MLflow's run reads never open: each run's
    ``artifacts`` (checkpoints and plots there can be gigabytes) and, in each experiment,
    MLflow 3's ``traces`` (every span's inputs and outputs) and ``models`` (logged models,
    whose artifacts are their weights). Metrics, params and tags are all ingest reads; a
    run's ``artifacts`` folder itself is kept, empty: MLflow takes a run without one for no
    run at all."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        inside = here.relative_to(root).parts
        if len(inside) == 1 and (here / "meta.yaml").is_file():  # an experiment
            return set(names) & set(_NOT_RUNS)
        # a run folder holds meta.yaml; a metric named artifacts/x does not
        if (
            here.name == "artifacts"
            and (here.parent / "meta.yaml").is_file()
            and not set(inside) & set(_READ)
        ):
            return set(names)
        return set()

    return ignore


def private_copy(path: Path, folder: Path) -> Path:
    """A copy, in ``folder``, of the user's MLflow store to read: MLflow migrates a database
    to its own schema version and adds folders to a file store, and the user's files stay
    as they were. A file store is copied without its artifacts, traces and logged models."""
    database = path if path.is_file() else path / "mlflow.db"
    if database.is_file():
        return _copy_database(database, folder)
    _check_experiments(path)
    _check_meta_files(path)
    _check_metric_files(path)
    copy = folder / "mlruns"
    shutil.copytree(path, copy, symlinks=True, ignore=_skip_unread(path))
    return copy


def _check_metric_files(root: Path) -> None:
    """Refuse a metric file whose lines are not ``timestamp value step``: MLflow reads a last
    line cut short by a crash as step 0 (or a NaN) without a word."""
    for path in sorted(root.glob("*/*/metrics/**/*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        lines = data.split(b"\n")
        cut = bool(data) and not data.endswith(b"\n")
        for k, line in enumerate(lines[:-1] if not cut else lines, start=1):
            fields = line.split()
            if len(fields) != 3 or (cut and k == len(lines)):
                why = "is cut off" if cut and k == len(lines) else "is not 'timestamp value step'"
                raise DataError(
                    f"the MLflow metric line {why}", source=str(path), row=k,
                    hint="remove the broken line (a run killed mid-write can leave one), "
                    "then ingest again",
                )  # fmt: skip


def _check_meta_files(root: Path) -> None:
    """Refuse an experiment's or a run's ``meta.yaml`` that is not YAML, naming the file and
    the place, where MLflow's message names neither (``while parsing a flow node``)."""
    try:
        import yaml
    except ImportError:  # no mlflow either: reading the store says how to install it
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    metas = sorted([*root.glob("*/meta.yaml"), *root.glob("*/*/meta.yaml")])
    # models/ holds registered models, which ingest does not read
    for path in (p for p in metas if p.relative_to(root).parts[0] != "models"):
        try:
            yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            mark = getattr(err, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(err, "problem", None) or str(err).splitlines()[0]
            raise DataError(
                f"the MLflow file is not valid YAML{where} ({problem})", source=str(path),
                hint="restore this meta.yaml from the tracking server or a backup (a run "
                "killed mid-write can leave it cut), or move its folder out of the store",
            ) from None  # fmt: skip


def _check_experiments(root: Path) -> None:
    """Refuse a file store with an experiment folder MLflow would skip (no ``meta.yaml``)."""
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.name.startswith(".") or child.name == "models":
            continue
        if not (child / "meta.yaml").is_file():
            raise DataError(
                f"the experiment folder {child.name!r} has no meta.yaml, so MLflow cannot "
                "read its runs", source=str(child),
                hint="restore meta.yaml from the tracking server, or move the folder out",
            )  # fmt: skip
