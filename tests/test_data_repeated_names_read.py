"""Repeated column names in the tables hparams and loss2loss read: a column they read
beyond a run table's (a sweep's lr or batch, ``--y``) is refused by its positions, as a
repeated loss is, and the warning for one left out reaches their own warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.downstream import fit_loss_to_loss
from scalinglab.hparams import read_sweep

_LRS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)


def _sweep(path: Path, extra: str, value: str) -> Path:
    rows = [
        f"{n},{20 * n},{lr},{bs},{2.5 + (lr - 1e-3) ** 2 * 1e4 + 1e2 / n**0.3:.5f},{value}\n"
        for n in (1e7, 3e7)
        for lr in _LRS
        for bs in (64, 128, 256)
    ]
    path.write_text(f"params,tokens,lr,bs,loss,{extra}\n" + "".join(rows))
    return path


@pytest.mark.parametrize(("name", "at"), [("lr", "3 and 6"), ("bs", "4 and 6")])
def test_a_repeated_sweep_column_that_is_read_is_refused(
    tmp_path: Path, name: str, at: str
) -> None:
    path = _sweep(tmp_path / "sweep.csv", name, "1")
    with pytest.raises(DataError) as caught:
        read_sweep(path)
    assert str(caught.value) == (
        f"{path}, column {name!r}: columns {at} are both named {name!r}, which is read: which "
        "one is meant is not clear (rename or remove the other column of that name)"
    )


def test_a_repeated_column_a_sweep_does_not_read_is_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sweep.csv"
    text = _sweep(path, "note", "a").read_text().splitlines()
    path.write_text("\n".join(f"{line},{'note' if k == 0 else 'b'}" for k, line in enumerate(text)))
    sweep = read_sweep(path)
    assert sweep.batch is not None
    assert sweep.warnings[0] == (
        "columns 6 and 7 are named 'note': not read (no value is read from them), so left out"
    )


def _losses(path: Path, header: str, tail: str) -> Path:
    rows = [
        f"r{k},{1e7 * 2**k:g},{lx:.4f},{0.8 * (lx - 1.5) ** 1.2 + 1.9:.5f}{tail}\n"
        for k, lx in enumerate(2.4 + 0.15 * k for k in range(12))
    ]
    path.write_text(header + "\n" + "".join(rows))
    return path


def test_loss2loss_refuses_a_repeated_y_column(tmp_path: Path) -> None:
    path = _losses(tmp_path / "l.csv", "run,params,loss_c4,loss_code,loss_code", ",1")
    with pytest.raises(DataError) as caught:
        fit_loss_to_loss(path, x="loss_c4", y="loss_code", bootstrap=0)
    assert "columns 4 and 5 are both named 'loss_code', which is read" in str(caught.value)


def test_loss2loss_warns_of_a_repeated_column_left_out(tmp_path: Path) -> None:
    path = _losses(tmp_path / "l.csv", "run,params,loss_c4,loss_code,note,note", ",a,b")
    l2l = fit_loss_to_loss(path, x="loss_c4", y="loss_code", bootstrap=0)
    assert (
        "columns 5 and 6 are named 'note': not read (no value is read from them), so left out"
    ) in l2l.warnings


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fit_by_group_warns_of_a_repeated_column_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The column is the file's, not a group's: one warning for the file, no group before it."""
    rows = _losses(tmp_path / "a.csv", "h", ",a,b,x").read_text().splitlines()[1:]
    rows += [r.replace(",x", ",y").replace("r", "s", 1) for r in rows]
    path = tmp_path / "l.csv"
    path.write_text("run,params,loss_c4,loss_code,note,note,corpus\n" + "\n".join(rows) + "\n")
    said = "columns 5 and 6 are named 'note': not read (no value is read from them), so left out"
    l2l = fit_loss_to_loss(path, x="loss_c4", y="loss_code", group="corpus", bootstrap=0)
    assert list(l2l.fits) == ["x", "y"] and l2l.warnings.count(said) == 1
    assert not [w for w in l2l.warnings if w.endswith(said) and w != said]
    code, out, err = cli(
        capsys, "loss2loss", "fit", str(path), "--x", "loss_c4", "--y", "loss_code",
        "--group", "corpus", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0, err
    assert " ".join((out + err).split()).count("named 'note'") == 1
    fit = tmp_path / "f.json"
    l2l.save(fit)
    code, out, err = cli(capsys, "loss2loss", "predict", "--fit", str(fit), "--loss", "3")
    assert code == 0, err
    assert " ".join((out + err).split()).count("named 'note'") == 1


@pytest.mark.parametrize("via", ["python", "cli"])
def test_a_repeated_column_where_reads_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, via: str
) -> None:
    """``where`` reads its column before the table is built: refused there, not used (the
    second copy) and then warned of as not read."""
    path = _sweep(tmp_path / "sweep.csv", "corpus,corpus", "a,b")
    said = (
        f"{path}, column 'corpus': columns 6 and 7 are both named 'corpus', which is read: "
        "which one is meant is not clear (rename or remove the other column of that name)"
    )
    if via == "python":
        with pytest.raises(DataError) as caught:
            read_sweep(path, where={"corpus": "a"})
        assert str(caught.value) == said
    else:
        code, _, err = cli(capsys, "hparams", "fit", str(path), "--where", "corpus=a")
        assert code == 2 and err.startswith(
            "error: " + said.removesuffix(" (rename or remove the other column of that name)")
        )


@pytest.mark.parametrize("via", ["python", "cli"])
def test_a_repeated_column_where_reads_by_its_mapped_name_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, via: str
) -> None:
    """``--where dataset=a --map dataset=corpus_name`` with ``corpus_name`` twice: refused by
    its positions (was: "no text column 'dataset'", the mapping lost to the repeat)."""
    path = _sweep(tmp_path / "sweep.csv", "corpus_name,corpus_name", "a,b")
    said = (
        f"{path}, column 'corpus_name': columns 6 and 7 are both named 'corpus_name', which is "
        "read: which one is meant is not clear (rename or remove the other column of that name)"
    )
    if via == "python":
        with pytest.raises(DataError) as caught:
            read_sweep(path, where={"dataset": "a"}, columns={"dataset": "corpus_name"})
        assert str(caught.value) == said
    else:
        code, out, err = cli(
            capsys, "hparams", "fit", str(path), "--where", "dataset=a",
            "--map", "dataset=corpus_name", one_line=True,
        )  # fmt: skip
        assert code == 2 and out == ""
        hint = "rename or remove the other column of that name"
        assert err == f"error: {said.removesuffix(f' ({hint})')} hint: {hint}"
