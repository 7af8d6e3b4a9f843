"""Run every benchmark script in bench/ and print their figures, one section per script."""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [
    "assign.py",
    "ranking.py",
    "jury.py",
    "queries_per_page.py",
    "upload_memory.py",
    "deadline_surge.py",
    "http_vs_bare_flask.py",
]


def main(names: list[str]) -> int:
    failed = 0
    for name in names or SCRIPTS:
        path = BENCH / name
        if not path.exists():
            print(f"# {name}: missing")
            failed += 1
            continue
        print(f"# {name}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(path)], cwd=BENCH, text=True,
                                capture_output=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            failed += 1
            sys.stdout.write(result.stderr[-3000:])
        print(f"# {name}: {time.monotonic() - started:.0f} s, exit {result.returncode}\n",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
