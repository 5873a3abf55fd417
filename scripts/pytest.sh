#!/usr/bin/env bash
# pytest with the project's conventions: two workers (one moto server each),
# and "no tests collected" (exit 5) reported as an error with a clear message,
# never silently passed.
set -uo pipefail
workers=${HP_PYTEST_WORKERS:-2}
pytest -n "$workers" "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "[pytest] no tests were collected from: $*" >&2
  exit 1
fi
exit "$rc"
