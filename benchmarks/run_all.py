"""`make bench`: run every benchmark module (benchmarks/*_bench.py) and print its figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    only = set(sys.argv[1:])
    for path in sorted(Path(__file__).parent.glob("*_bench.py")):
        if only and path.stem not in only:
            continue
        print(f"\n== {path.stem} ==", flush=True)
        importlib.import_module(f"benchmarks.{path.stem}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
