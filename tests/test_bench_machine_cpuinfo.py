"""benchmarks/_machine.py: the CPU line read from a /proc/cpuinfo text says which vector
extensions the CPU has and, on x86-64, which of the builds' two (avx2, avx512f) it lacks."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _machine import cpu_from

AVX2_ONLY = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c avx2 fma bmi2
processor\t: 1
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c avx2 fma bmi2
"""


def test_an_avx2_only_cpu_says_it_has_no_avx512f() -> None:
    line = cpu_from(AVX2_ONLY, fallback="x86_64")
    assert line == "AMD EPYC 7B13, vector extensions sse4_2 avx avx2 fma (no avx512f)"


def test_an_avx512_cpu_names_its_extensions_and_lacks_none() -> None:
    text = AVX2_ONLY.replace("bmi2", "bmi2 avx512f avx512dq avx512bw avx512vl avx512_vnni")
    line = cpu_from(text, fallback="x86_64")
    assert line.endswith("vector extensions sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl")
    assert "no " not in line


def test_a_cpu_without_avx_says_it_lacks_both() -> None:
    line = cpu_from("model name : Old\nflags : fpu sse2 sse4_2\n", fallback="x86_64")
    assert line == "Old, vector extensions sse4_2 (no avx2, no avx512f)"


def test_a_flag_is_matched_whole_not_as_a_prefix() -> None:
    # 'avx512_bf16' or 'avx2_fake' are other flags: they do not stand for avx512f or avx2
    line = cpu_from("model name : Odd\nflags : avx avx512_bf16 avx2_fake\n", fallback="x86_64")
    assert line == "Odd, vector extensions avx (no avx2, no avx512f)"


def test_an_arm64_cpu_is_named_by_its_features_and_the_fallback() -> None:
    line = cpu_from("processor : 0\nFeatures : fp asimd sve sve2\n", fallback="aarch64")
    assert line == "aarch64, vector extensions asimd sve sve2"
