"""Build the optional compiled solver (src/scalinglab/fit/_sumpow.c, and the multi-power
law's drop sums, _dropsum.c, linked into the same extensions); everything else is in
pyproject.toml. Every extension is optional: without a C compiler the install still works
and fits use the NumPy solver (and the multi-power law its NumPy drop sums).

One set of sources, several builds, chosen at run time by the CPU's flags (scalinglab/_builds.py):

    _sumpow          portable C (-O3), scalar exp/log         any CPU
    _sumpow_avx512   x86-64-v4, glibc's vector exp/log        x86-64 with AVX-512
    _sumpow_avx2     x86-64-v3 (AVX2 + FMA), vector exp/log   x86-64 with AVX2 (most cloud CPUs)
    _sumpow_neon     ARM64 Advanced SIMD, vector exp/log      ARM64 Linux whose gcc and glibc
                                                              have libmvec's AdvSIMD variants
"""

import platform
import sys

from setuptools import Extension, setup

SOURCE = ["src/scalinglab/fit/_sumpow.c", "src/scalinglab/fit/_dropsum.c"]
# the libmvec declarations both sources include (also listed in MANIFEST.in for the sdist)
DEPENDS = ["src/scalinglab/fit/_mvec.h"]
BASE = ["-O3", "-fno-math-errno", "-fopenmp-simd"]


def vector_build(name: str, flags: list[str]) -> Extension:
    """A build whose loops call glibc's libmvec (SCALINGLAB_MVEC) for exp and log."""
    return Extension(
        f"scalinglab.fit.{name}",
        SOURCE,
        depends=DEPENDS,
        define_macros=[("SCALINGLAB_MVEC", "1"), ("SCALINGLAB_MODULE", name)],
        extra_compile_args=BASE + flags,
        extra_link_args=["-lmvec", "-lm"],
        optional=True,
    )


extensions = [
    Extension(
        "scalinglab.fit._sumpow",
        SOURCE,
        depends=DEPENDS,
        extra_compile_args=[*BASE, "-fno-trapping-math"] if sys.platform != "win32" else ["/O2"],
        optional=True,
    )
]
machine = platform.machine().lower()
if sys.platform == "linux" and machine in ("x86_64", "amd64"):
    # partial vectors let the tail of each loop run masked instead of as scalar code
    extensions.append(
        vector_build(
            "_sumpow_avx512",
            [
                "-march=x86-64-v4",
                "-mprefer-vector-width=512",
                "--param=vect-partial-vector-usage=2",
            ],
        )
    )
    # -fno-trapping-math: without AVX-512's masks GCC may only if-convert the loops' guarded
    # divisions when they cannot trap; measured 25% faster here (nothing reads FP exceptions)
    extensions.append(
        vector_build(
            "_sumpow_avx2",
            ["-march=x86-64-v3", "-mprefer-vector-width=256", "-fno-trapping-math"],
        )
    )
elif sys.platform == "linux" and machine in ("aarch64", "arm64"):
    # needs gcc >= 14 (AArch64 SIMD clones) and glibc >= 2.38 (AdvSIMD libmvec); an older
    # toolchain fails to build it (optional) or builds scalar calls, and the portable build stays
    extensions.append(vector_build("_sumpow_neon", ["-march=armv8-a"]))

setup(ext_modules=extensions)
