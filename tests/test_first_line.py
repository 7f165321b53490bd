"""``first_line``: the one line of a third-party error a refusal quotes (ingest, the run
store, Parquet and MLflow reads share it)."""

from __future__ import annotations

from scalinglab._errors import first_line


def test_the_first_line_of_a_long_message() -> None:
    err = OSError("\n  Invalid: Parquet magic bytes not found\nIn ../src/arrow/file.cc:123\n")
    assert first_line(err) == "Invalid: Parquet magic bytes not found"


def test_a_message_without_text_is_its_type() -> None:
    assert first_line(ValueError()) == "ValueError"
    assert first_line(RuntimeError("   \n ")) == "RuntimeError"  # blank: no line to quote
