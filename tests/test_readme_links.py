"""Every in-page link of the README (``[text](#anchor)``) lands on one of its headings, as
GitHub makes a heading's anchor: lower case, punctuation but ``-`` and ``_`` dropped, each
space a ``-`` (so ``Running ladders: `scalinglab ladder plan | run | status` `` is
``running-ladders-scalinglab-ladder-plan--run--status``); and every ``##`` section is listed in
the contents line under the set-up."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _headings(text: str) -> list[tuple[int, str]]:
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"^(#{1,6}) (.+)$", line)):
            out.append((len(m[1]), m[2]))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor of a heading's text."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_slug_follows_githubs_rule() -> None:
    assert slug("The HTML report") == "the-html-report"
    assert slug("Set up and run (two commands, fresh machine, Python ≥ 3.11)") == (
        "set-up-and-run-two-commands-fresh-machine-python--311"
    )
    assert slug("Training model ladders (`scalinglab.ladder`, PyTorch extra)") == (
        "training-model-ladders-scalinglabladder-pytorch-extra"
    )


def test_every_anchor_link_lands_on_a_heading() -> None:
    text = README.read_text(encoding="utf-8")
    anchors = {slug(h) for _, h in _headings(text)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(links) >= 15  # the contents line at least
    assert [a for a in links if a not in anchors] == []


def test_the_contents_line_lists_every_section_after_the_set_up() -> None:
    text = README.read_text(encoding="utf-8")
    sections = [slug(h) for level, h in _headings(text) if level == 2][1:]
    contents = next(p for p in text.split("\n\n") if p.startswith("**Contents:**"))
    assert re.findall(r"\]\(#([^)]+)\)", contents) == sections


def test_every_file_link_of_the_readme_and_docs_lands() -> None:
    """A relative link (``[docs/json.md](docs/json.md)``, ``../README.md#the-same-from-python``)
    names a file of the repository, and its anchor one of that file's headings; an in-page
    link (``#loss-curves``) one of its own page's."""
    root = README.parent
    pages = [README, *sorted((root / "docs").glob("*.md"))]
    assert len(pages) >= 2  # docs/json.md, which the README's Python section links to
    for page in pages:
        text = page.read_text(encoding="utf-8")
        own = {slug(h) for _, h in _headings(text)}
        assert [a for a in re.findall(r"\]\(#([^)]+)\)", text) if a not in own] == [], page.name
        for target in re.findall(r"\]\(((?!https?:|#)[^)\s]+)\)", text):
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve()
            assert linked.is_file(), f"{page.name}: {target}"
            if anchor:
                headings = _headings(linked.read_text(encoding="utf-8"))
                assert anchor in {slug(h) for _, h in headings}, f"{page.name}: {target}"
