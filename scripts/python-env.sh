#!/usr/bin/env bash
# The project-local Python with the references (POT, scipy, numpy), for the fixture generator
# and the benchmarks; never needed by `npm start` or `npm test`. Creates .venv on first use and
# prints the interpreter's path.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
if ! { [ -x "$py" ] && "$py" -c 'import ot, scipy, numpy' 2>/dev/null; }; then
  echo "[python-env] installing POT, scipy and numpy into .venv (once)" >&2
  [ -x "$py" ] || python3 -m venv .venv
  "$py" -m pip install -q pot scipy numpy >&2
fi
echo "$PWD/$py"
