"""reliability's part 3: a store with curves damaged in many ways, each x every command that
reads or writes a store (see ``reliability.py``'s docstring)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

#: ``reliability.run_cli``: a command line run in this process -> (exit code, stdout, stderr)
RunCli = Callable[[list[str]], tuple[int, str, str]]


def variants(n: int) -> list[tuple[str, object]]:
    """The damage done to a store, by name: fixed hand edits and foreign files, then zeroed
    blocks, truncation and flipped bytes at ``n`` places each."""

    def zero(at: float):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            data = bytearray(p.read_bytes())
            k = int(len(data) * at)
            data[k : k + 256 * 1024] = bytes(len(data[k : k + 256 * 1024]))
            p.write_bytes(bytes(data))

        return f

    def cut(at: float):  # type: ignore[no-untyped-def]
        return lambda p: p.write_bytes(p.read_bytes()[: int(p.stat().st_size * at)])

    def flip(at: float):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            data = bytearray(p.read_bytes())
            k = int(len(data) * at)
            for j in range(k, min(k + 2048, len(data)), 61):
                data[j] ^= 0xA5
            p.write_bytes(bytes(data))

        return f

    def sql(statement: str):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            import duckdb

            con = duckdb.connect(str(p))
            con.execute(statement)
            con.close()

        return f

    def foreign(p: Path) -> None:
        import duckdb

        p.unlink()
        con = duckdb.connect(str(p))
        con.execute("CREATE TABLE invoices (id INT)")
        con.close()

    fixed: list[tuple[str, object]] = [
        (
            "version 2.0-beta",
            sql("UPDATE meta SET value = '2.0-beta' WHERE key = 'schema_version'"),
        ),
        ("version 99", sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")),
        ("no curves table", sql("DROP TABLE curves")),
        ("no version row", sql("DELETE FROM meta")),
        ("foreign DuckDB file", foreign),
        ("random bytes", lambda p: p.write_bytes(os.urandom(1 << 20))),
        ("0-byte file", lambda p: p.write_bytes(b"")),
    ]
    fracs = [0.1 + 0.8 * k / max(n - 1, 1) for k in range(n)]
    kinds = [("zeroed 256 KB at", zero), ("truncated to", cut), ("bytes flipped at", flip)]
    made = [(f"{name} {f:.0%}", make(f)) for f in fracs for name, make in kinds]
    return fixed + made[: max(0, n * 3)]


def _content(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = [con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM {t}").fetchall()
                for t in ("runs", "curves")]  # fmt: skip
    finally:
        con.close()
    return repr(rows)


def damaged(folder: Path, per_kind: int, *, run_cli: RunCli) -> Counter[str]:
    """Each of :func:`variants` (``per_kind`` places) x every store command, through
    ``run_cli``, counted by outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    from tests.test_store_safety import _store  # the same store the unit test damages

    pristine = folder / "pristine.duckdb"
    _store(pristine, runs=80, points=3000)
    intact = _content(pristine)
    table = folder / "runs.csv"
    table.write_text("run,params,tokens,loss\na,1e6,2e7,3.5\nb,2e6,4e7,3.2\n", encoding="utf-8")
    counts: Counter[str] = Counter()
    made = variants(per_kind)
    counts["variants"] = len(made)
    for name, damage in made:
        path = folder / "s.duckdb"
        shutil.copyfile(pristine, path)
        damage(path)  # type: ignore[operator]
        try:  # damage that hit unused space leaves every row as it was: commands may go on
            harmless = _content(path) == intact
        except Exception:
            harmless = False
        counts["damage in unused space (every row intact)" if harmless else "damaged"] += 1
        s = str(path)
        commands = [["runs", "--store", s], ["fit", "--store", s, "--bootstrap", "0"],
                    ["report", "--store", s, "--out", str(folder / "r.html")],
                    ["ladder", "status", "--store", s], ["envelope", "--store", s],
                    ["ingest", str(table), "--store", s]]  # fmt: skip
        for args in commands:
            before = hashlib.sha256(path.read_bytes()).hexdigest()
            code, out, err = run_cli(args)
            counts["commands"] += 1
            if "Traceback" in out + err:
                counts["TRACEBACK"] += 1
            elif code == 2 and s in err and len(err.strip().splitlines()) <= 2:
                counts["refused, naming the file"] += 1
            elif code == 0:
                ok = harmless or (args[0] == "ingest" and "0-byte" in name)  # a store to create
                counts["exit 0, store intact" if ok else "SILENT (exit 0 on damage)"] += 1
                if not ok:
                    print(f"  !! {name}: {args[0]} exited 0 on a damaged store", flush=True)
                if ok:
                    continue  # an ingest that went on wrote the store, as it should
            else:
                counts[f"EXIT {code}"] += 1
                print(f"  !! {name}: {args[0]} -> {code}: {err.strip()[:200]}", flush=True)
            if hashlib.sha256(path.read_bytes()).hexdigest() != before:
                counts["FILE CHANGED"] += 1
                print(f"  !! {name}: {args[0]} changed the file", flush=True)
    return counts
