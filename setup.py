"""Build the optional compiled solver (src/scalinglab/fit/_sumpow.c); everything else is in
pyproject.toml. Both extensions are optional: without a C compiler the install still works
and fits use the NumPy solver."""

import platform
import sys

from setuptools import Extension, setup

SOURCE = ["src/scalinglab/fit/_sumpow.c"]
extensions = [
    Extension(
        "scalinglab.fit._sumpow",
        SOURCE,
        extra_compile_args=["-O3", "-fno-math-errno", "-fopenmp-simd"] if sys.platform != "win32" else ["/O2"],
        optional=True,
    )
]
if sys.platform == "linux" and platform.machine() == "x86_64":
    # AVX-512 with glibc's vector exp/log (libmvec): chosen at run time only on CPUs that have it
    extensions.append(
        Extension(
            "scalinglab.fit._sumpow_mvec",
            SOURCE,
            define_macros=[("SCALINGLAB_MVEC", "1")],
            extra_compile_args=["-O3", "-fno-math-errno", "-fopenmp-simd", "-march=x86-64-v4", "-mprefer-vector-width=512", "--param=vect-partial-vector-usage=2"],
            extra_link_args=["-lmvec", "-lm"],
            optional=True,
        )
    )

setup(ext_modules=extensions)
