"""Every ```python block of the README runs as written, and prints what its comments say.

Each block runs in a fresh namespace in a temporary working directory whose ``../shared/data``
is the shared data (resolved from the repository root), after the earlier blocks of its
README section (``## ...``) in the same namespace, as a reader pasting them into a notebook
would. A block that needs PyTorch (the ladder's) is skipped where it is absent, and so is a
block that reads ``../shared/data`` where that is absent. Fits run on the AVX2 build, the one
the README's numbers come from (its collapsed-E digits differ by build); on a CPU without it
the blocks still run, and their stated values are not compared.

The rule for a stated value, one top-level statement at a time:

* an expression statement whose value is not ``None``: its inline comment, else the first
  full-line comment directly below it, states a value where it starts with one (a quoted
  string, a number, a bracket, ``Name(...)``, ``True``/``False``/``None``, holding a digit or
  a quote unless it is empty brackets), or several such joined by ``", "``; the rest of the
  comment is prose. That value must be found in ``repr(value)``;
* a ``print(...)`` call: each full-line comment directly below it, up to the next code line,
  is a line it prints and must be found in what it printed;
* ``#`` followed by two or more spaces is a remark, never a stated value.

Texts are compared with runs of whitespace as one space, and each number the comment writes
must be the printed number at the comment's precision: within half a unit of its last digit.
"""

from __future__ import annotations

import ast
import contextlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared" / "data"

# blocks over ~20 s (measured with --durations: benchmarks/RESULTS.md), keyed by a line
# of the block; each key must be in exactly one block
SLOW = {
    "spec = get_recipe(": "trains chinchilla-tiny's rungs on the CPU (minutes)",
    "with LocalBackend() as backend:": "trains chinchilla-tiny's rungs in subprocesses (minutes)",
    "from scalinglab.curves import cooldown_resamples": "two curve fits and a refit (~35 s)",
    'ds = "../shared/data/overtraining/"': "four downstream fits and a backtest (~15-60 s)",
}
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Block:
    """One ```python block: its README section, first line number and source."""

    section: str
    line: int
    source: str


def readme_blocks() -> list[Block]:
    """The README's ```python blocks, in order."""
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks, section, i = [], "", 0
    while i < len(lines):
        if lines[i].startswith("## "):
            section = lines[i][3:].strip()
        if lines[i].strip() == "```python":
            end = lines.index("```", i + 1)
            blocks.append(Block(section, i + 2, "\n".join(lines[i + 1 : end])))
            i = end
        i += 1
    return blocks


BLOCKS = readme_blocks()


def _close(text: str, start: int) -> int:
    """The index just past the bracket or quote item opened at ``text[start]``, or -1."""
    opener = text[start]
    if opener in "'\"":
        end = text.find(opener, start + 1)
        return -1 if end < 0 else end + 1
    depth = 0
    for k in range(start, len(text)):
        depth += text[k] in "([{"
        depth -= text[k] in ")]}"
        if depth == 0:
            return k + 1
    return -1


def _item(text: str, start: int) -> int:
    """The end of a value-like item at ``text[start:]``, or -1 where none starts there."""
    rest = text[start:]
    if m := re.match(r"(True|False|None)\b", rest):
        return start + m.end()
    if m := NUMBER.match(rest):
        return start + m.end()
    if m := re.match(r"[A-Z]\w*(?=\()", rest):
        end = _close(text, start + m.end())
    elif rest[:1] in ("'", '"', "(", "[", "{"):
        end = _close(text, start)
    else:
        return -1
    if end < 0:
        return -1
    body = text[start:end]
    empty = body in ("()", "[]", "{}")
    return end if empty or re.search(r"[\d'\"]", body) else -1


def stated_value(comment: str) -> str | None:
    """The value a comment starts with (see the module docstring), or ``None`` for prose."""
    end = _item(comment, 0)
    if end < 0:
        return None
    while comment.startswith(", ", end) and (more := _item(comment, end + 2)) > 0:
        end = more
    return comment[:end]


def _digits_unit(token: str) -> float:
    """One unit in the last digit of a number as written: 0.001 for 1.809, 1e5 for 2.5e6."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def said_in(stated: str, printed: str) -> bool:
    """Whether ``stated`` is found in ``printed``, its numbers at their written precision."""
    stated, printed = " ".join(stated.split()), " ".join(printed.split())
    numbers = NUMBER.findall(stated)
    pieces = NUMBER.split(stated)
    pattern = re.escape(pieces[0]) + "".join(
        rf"(?<![\d.])({NUMBER.pattern})(?!\d)" + re.escape(p) for p in pieces[1:]
    )
    for start in range(len(printed)):
        m = re.compile(pattern).match(printed, start)
        if m and all(
            math.isclose(float(got), float(want), abs_tol=0.5 * _digits_unit(want) * (1 + 1e-9))
            for got, want in zip(m.groups(), numbers, strict=True)
        ):
            return True
    return False


def _comment_of(line: str) -> str | None:
    """The inline comment of a code line, outside quotes; ``None`` where it has none."""
    quote = None
    for k, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return line[k + 1 :].strip()
    return None


def _comments_below(lines: list[str], last: int) -> list[str]:
    """The full-line comments right below line ``last`` (0-based), remarks left out."""
    out = []
    for line in lines[last + 1 :]:
        if not line.startswith("#"):
            break
        if not line.startswith("#  "):
            out.append(line[1:].strip())
    return out


def _is_print(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "print"
    )


def run_block(block: Block, namespace: dict[str, object], *, check: bool) -> int:
    """Runs ``block`` statement by statement in ``namespace``; where ``check``, asserts each
    stated value (see the module docstring). Returns how many were checked."""
    lines = block.source.splitlines()
    checked = 0
    for node in ast.parse(block.source).body:
        where = f"README.md line {block.line + node.lineno - 1}"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if isinstance(node, ast.Expr) and not _is_print(node):
                value = eval(compile(ast.Expression(node.value), where, "eval"), namespace)
            else:
                exec(compile(ast.Module([node], []), where, "exec"), namespace)
                value = None
        assert node.end_lineno is not None
        if not check:
            continue
        if _is_print(node):
            for said in _comments_below(lines, node.end_lineno - 1):
                assert said_in(said, out.getvalue()), (
                    f"{where}: printed\n{out.getvalue()}\nnot\n{said}"
                )
                checked += 1
        elif isinstance(node, ast.Expr) and value is not None:
            inline = _comment_of(lines[node.end_lineno - 1])
            below = _comments_below(lines, node.end_lineno - 1)
            comment = inline if inline and stated_value(inline) else (below[:1] or [inline])[0]
            said = stated_value(comment) if comment else None
            if said is not None:
                assert said_in(said, repr(value)), f"{where}: the value is\n{value!r}\nnot\n{said}"
                checked += 1
    return checked


def _params() -> list[object]:
    params = []
    for k, block in enumerate(BLOCKS):
        earlier = [b for b in BLOCKS[:k] if b.section == block.section]
        slow = [key for key in SLOW if any(key in b.source for b in [*earlier, block])]
        marks = [pytest.mark.slow] if slow else []
        params.append(pytest.param(k, marks=marks, id=f"line{block.line}"))
    return params


def test_slow_keys_name_one_block_each() -> None:
    for key in SLOW:
        assert sum(key in b.source for b in BLOCKS) == 1, key


def test_the_readme_has_its_python_blocks() -> None:
    assert len(BLOCKS) >= 10
    assert all(b.source.strip() for b in BLOCKS)


@pytest.mark.parametrize("index", _params())
@pytest.mark.heavy
def test_readme_python_block(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = BLOCKS[index]
    section = [b for b in BLOCKS[: index + 1] if b.section == block.section]
    text = "\n".join(b.source for b in section)
    if "scalinglab.ladder" in text or "scalinglab.execute" in text:
        pytest.importorskip("torch", reason="the ladder's blocks need the train extra (PyTorch)")
    if "../shared/data" in text and not SHARED.is_dir():
        pytest.skip(f"the block reads ../shared/data, which is not here ({SHARED})")
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "shared").mkdir()
    if SHARED.is_dir():
        (tmp_path / "shared" / "data").symlink_to(SHARED, target_is_directory=True)
    monkeypatch.chdir(work)
    from scalinglab import _builds
    from scalinglab._errors import ConfigError

    monkeypatch.setenv("SCALINGLAB_SOLVER", "avx2")
    try:
        avx2 = _builds.library() is not None
    except ConfigError:
        avx2 = False
        monkeypatch.delenv("SCALINGLAB_SOLVER")
    namespace: dict[str, object] = {"__name__": "__main__"}
    for earlier in section[:-1]:
        run_block(earlier, namespace, check=False)
    run_block(block, namespace, check=avx2)
    if not avx2:
        pytest.skip("ran; its stated values are the AVX2 build's, which this CPU cannot run")
