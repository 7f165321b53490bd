"""A generated, deterministic corpus of malformed inputs, and a judge of how the CLI met them.

Each case is a file (or a formula) and what must happen: ``"error"`` (exit 2 with a one-line
message: the input is wrong, or would give a silently wrong fit) or ``"any"`` (exit 0 or 2:
a random mutation may still be a valid table). Whatever the case, the CLI must never exit 1
on it, print a traceback, or change the input file. Shared by ``tests/test_fuzz.py`` (a
few dozen cases) and ``benchmarks/reliability.py`` (hundreds).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str  # file extension; "" for a formula
    data: bytes  # file content, or the formula's UTF-8 (surrogates escaped)
    expect: str  # "error" or "any"


def _ladder() -> pd.DataFrame:
    n = np.repeat(np.geomspace(1e7, 1e9, 4), 3)
    d = n * np.tile([5.0, 20.0, 80.0], 4)
    loss = 1.8 + 400 * n**-0.34 + 2000 * d**-0.37
    return pd.DataFrame({"run": [f"r{k}" for k in range(len(n))], "params": n, "tokens": d,
                         "loss": loss})  # fmt: skip


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _parquet(table: object) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink)  # type: ignore[arg-type]
    return sink.getvalue()


def fixed_cases() -> list[Case]:
    """The issue's cases, one each."""
    import pyarrow as pa

    base = _ladder()
    records = base.drop(columns="run").to_dict("records")
    first = json.dumps(records[0])
    cases = [
        Case("json-duplicate-key", ".json",
             ("[" + first[:-1] + ', "loss": 9.0}]').encode(), "error"),
        Case("json-int-1e309", ".json",
             ('[{"params": 1' + "0" * 309 + ', "tokens": 1e9, "loss": 3}]').encode(), "error"),
        Case("json-5000-digits", ".json",
             ('[{"params": ' + "7" * 5000 + ', "tokens": 1e9, "loss": 3}]').encode(), "error"),
        Case("json-nested-100k", ".json", ("[" * 100_000 + "]" * 100_000).encode(), "error"),
        Case("jsonl-1e400", ".jsonl", b'{"params": 1e400, "tokens": 1e9, "loss": 3}\n', "error"),
        Case("params-5e-324", ".csv", _csv(base.assign(params=5e-324 * np.arange(1, 13))),
             "error"),
        Case("flops-overflow", ".csv", _csv(base.assign(params=base.params * 1e150)), "error"),
        Case("loss-1e300", ".csv", _csv(base.assign(loss=1e300)), "error"),
        Case("no-spread", ".csv", _csv(base.assign(params=1e8, tokens=2e9)), "error"),
        Case("empty", ".csv", b"", "error"),
        Case("header-only", ".csv", b"params,tokens,loss\n", "error"),
        Case("not-utf8", ".csv", _csv(base).replace(b"r1,", b"r\xff,"), "error"),
        Case("negative-loss", ".csv", _csv(base.assign(loss=-base.loss)), "error"),
        Case("parquet-cut", ".parquet",
             _parquet(pa.Table.from_pandas(base))[:300], "error"),
    ]  # fmt: skip
    tags = pa.Table.from_pandas(base).append_column(
        "tags", pa.array([["a", "b"]] * len(base), type=pa.list_(pa.string()))
    )
    cases.append(Case("parquet-list-column", ".parquet", _parquet(tags), "any"))
    return cases


def _mutations(rng: np.random.Generator, data: bytes) -> bytes:
    kind = int(rng.integers(6))
    at = int(rng.integers(1, len(data)))
    if kind == 0:  # cut short, as a killed writer leaves it
        return data[:at]
    if kind == 1:  # one byte flipped
        flipped = bytearray(data)
        flipped[at] ^= int(rng.integers(1, 256))
        return bytes(flipped)
    if kind == 2:  # a line repeated
        lines = data.split(b"\n")
        k = int(rng.integers(len(lines)))
        return b"\n".join([*lines[: k + 1], lines[k], *lines[k + 1 :]])
    if kind == 3:  # junk inserted
        junk = rng.choice(list(b'",;{}[]\n\t\\e-+.0123456789 nanNaNinf\x00\xff'), 4).tobytes()
        return data[:at] + junk + data[at:]
    if kind == 4:  # a number replaced by an extreme one
        text = data.decode("utf-8", "replace")
        extreme = str(rng.choice(["1e308", "-0", "0", "1e-320", "inf", "nan", "9" * 400]))
        for token in ("e+07", "e+08", "e+09", "1.8", "2."):
            if token in text:
                return text.replace(token, extreme, 1).encode()
        return data
    return data[:at] + data[at + int(rng.integers(1, 20)) :]  # a few bytes dropped


def mutated_cases(seed: int, count: int) -> Iterator[Case]:
    """``count`` random mutations of valid CSV, JSON, JSONL and Parquet run tables."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    base = _ladder()
    sources = {
        ".csv": _csv(base),
        ".json": base.to_json(orient="records").encode(),
        ".jsonl": base.to_json(orient="records", lines=True).encode(),
        ".parquet": _parquet(pa.Table.from_pandas(base)),
    }
    for k in range(count):
        suffix = list(sources)[k % len(sources)]
        yield Case(f"mutated-{seed}-{k}{suffix}", suffix,
                   _mutations(rng, sources[suffix]), "any")  # fmt: skip


_FORMULA_ATOMS = (
    "N", "D", "C", "A", "E", "alpha", "B", "beta", "+", "-", "*", "/", "**", "^", "(", ")",
    "1e3", "0.5", "exp(", "log(", ",", ".", "[", "]", "lambda", "__class__", " ", "=", "1e999",
    "0x1f", "\udcff", "'", ":", "x", "sqrt(", "9" * 60,
)  # fmt: skip


def formula_cases(seed: int, count: int) -> Iterator[Case]:
    """The issue's formulas, then ``count`` random strings of formula-like atoms."""
    fixed = [
        ("twelve-params", " + ".join(f"A{k}*N**-a{k}" for k in range(6)), "any"),
        ("chained-700", "+".join(["N"] * 700), "error"),
        ("parens-300", "(" * 300 + "N" + ")" * 300, "error"),
        ("digits-1981", "A*N**-a + " + "1" * 1981, "error"),
        ("hex-literal", "A*N**-a + 0x" + "f" * 60, "error"),
        ("non-utf8", "A\udcff*N**-a", "error"),
    ]
    for name, text, expect in fixed:
        yield Case(f"formula-{name}", "", text.encode("utf-8", "surrogateescape"), expect)
    rng = np.random.default_rng(seed)
    for k in range(count):
        atoms = rng.choice(len(_FORMULA_ATOMS), int(rng.integers(1, 14)))
        text = "".join(_FORMULA_ATOMS[a] for a in atoms)
        yield Case(f"formula-{seed}-{k}", "", text.encode("utf-8", "surrogateescape"), "any")


@dataclass(frozen=True)
class Verdict:
    case: str
    code: int
    outcome: str  # ok | refused | traceback | exit1 | silent | modified | long-message


def judge(case: Case, folder: Path, run: Callable[[list[str]], tuple[int, str, str]]) -> Verdict:
    """Run the case through ``run(args) -> (code, stdout, stderr)`` and judge the outcome."""
    if case.suffix:
        path = folder / f"{case.name}{case.suffix}"
        path.write_bytes(case.data)
        args = ["fit", str(path), "--bootstrap", "0"]
        before = hashlib.sha256(path.read_bytes()).hexdigest()
    else:
        table = folder / "ladder.csv"
        if not table.exists():
            table.write_bytes(_csv(_ladder()))
        args = ["fit", str(table), "--law",
                case.data.decode("utf-8", "surrogateescape"), "--bootstrap", "0"]  # fmt: skip
        path, before = table, hashlib.sha256(table.read_bytes()).hexdigest()
    code, out, err = run(args)
    if "Traceback" in out + err:
        outcome = "traceback"
    elif hashlib.sha256(path.read_bytes()).hexdigest() != before:
        outcome = "modified"
    elif code == 1:
        outcome = "exit1"
    elif code == 0:
        outcome = "silent" if case.expect == "error" else "ok"
    elif code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) <= 2:
        outcome = "refused"
    else:
        outcome = "long-message"
    return Verdict(case.name, code, outcome)
