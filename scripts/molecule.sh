#!/usr/bin/env bash
# Run the molecule scenarios. The platform scenario gets an emulator of its own
# (a fresh moto server, never the demo lab's), stopped again on exit, with the
# forwarders that let a scenario's containers reach it (lab.sh expose).
#   scripts/molecule.sh [scenario ...]     default: every scenario under molecule/
# HP_MOLECULE_STATE: state folder of that emulator (default .lab/molecule), so
# that two runs on one machine do not share (and stop) one emulator.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export HP_LAB_STATE="${HP_MOLECULE_STATE:-$ROOT/.lab/molecule}"
export CONTAINERS_CONF="$ROOT/.lab/containers.conf"
"$ROOT/scripts/lab.sh" image

unset AWS_ENDPOINT_URL
trap '"$ROOT/scripts/lab.sh" stop' EXIT
"$ROOT/scripts/lab.sh" up
AWS_ENDPOINT_URL=$("$ROOT/scripts/lab.sh" endpoint)
export AWS_ENDPOINT_URL

if [ "$#" -eq 0 ]; then
  mapfile -t scenarios < <(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort)
else
  scenarios=("$@")
fi
for scenario in "${scenarios[@]}"; do
  echo "=== molecule test -s $scenario"
  "$ROOT/scripts/lab.sh" reset >/dev/null
  molecule test -s "$scenario"
done
