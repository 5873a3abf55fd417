#!/usr/bin/env bash
# The main job on the local lab (called by `make demo`, after the venv, the
# emulator and the instance image are ready): provision with site.yml, set up
# patching, backups and snapshot schedules, give every emulated instance a
# container, configure the instances, audit, and print a short summary.
# Re-runnable.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export ANSIBLE_CONFIG="$ROOT/ansible.cfg"
export CONTAINERS_CONF="$ROOT/.lab/containers.conf"
AWS_ENDPOINT_URL=$("$ROOT/scripts/lab.sh" endpoint)
export AWS_ENDPOINT_URL
LOG="$ROOT/.lab/demo"
mkdir -p "$LOG"

step() {
  local name=$1; shift
  local started=$SECONDS
  printf '[demo] %-28s ' "$name"
  if "$@" > "$LOG/$name.log" 2>&1; then
    printf 'ok   %4ss  %s\n' $((SECONDS - started)) "$(grep -E '^localhost|^i-' "$LOG/$name.log" | grep -oE 'changed=[0-9]+' | paste -sd, -)"
  else
    printf 'FAILED (%ss)\n' $((SECONDS - started))
    tail -30 "$LOG/$name.log" >&2
    echo "[demo] full log: $LOG/$name.log" >&2
    exit 1
  fi
}

step provision ansible-playbook -i inventories/lab playbooks/site.yml
# Day-2 setup: patch baselines and the maintenance window, the backup plan, the
# snapshot schedule (each says in its log what the emulator cannot do).
step patch-baselines ansible-playbook -i inventories/lab playbooks/patch_baselines.yml
step backup ansible-playbook -i inventories/lab playbooks/backup.yml
step snapshot-schedule ansible-playbook -i inventories/lab playbooks/snapshots.yml --tags schedule
step lab-instances ansible-playbook -i inventories/lab playbooks/lab/instances.yml
# The instances install signed stand-ins of AWS's agent packages from the
# emulator's S3 and reach the emulator through the lab network's gateway.
step lab-packages python3 tests/fixtures/packages/build.py publish --endpoint "$AWS_ENDPOINT_URL"
step lab-expose scripts/lab.sh expose hp-lab
step configure-instances ansible-playbook -i inventories/lab playbooks/configure_instances.yml
if [ -f playbooks/audit.yml ]; then
  # report, do not stop the demo: the lab cannot show every control (see the report's "unknown")
  step audit ansible-playbook -i inventories/lab playbooks/audit.yml -e audit_fail_on_failed=false
fi

python3 - "$AWS_ENDPOINT_URL" <<'PY'
import json, subprocess, sys
graph = subprocess.run(["ansible-inventory", "-i", "inventories/lab", "--list"], capture_output=True, text=True, check=True)
inventory = json.loads(graph.stdout)
web = inventory.get("role_web", {}).get("hosts", [])
print()
print("healthplatform lab is up")
print(f"  AWS emulator : {sys.argv[1]}   (export AWS_ENDPOINT_URL={sys.argv[1]})")
print(f"  web instances: {len(web)}  {' '.join(web)}  (podman containers of the same name)")
print("  groups       : " + " ".join(sorted(g for g in inventory if g.startswith(("role_", "patch_group_", "env_")))))
print("  logs         : .lab/demo/*.log")
PY
if [ -f .lab/audit/report.json ]; then
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("  audit        : %(pass)s pass, %(fail)s fail, %(unknown)s unknown (not readable on the lab), %(unchecked)s unchecked" % s)' .lab/audit/report.json
  echo "  audit report : $ROOT/.lab/audit/report.html (JSON: .lab/audit/report.json)"
fi
echo "  stop it all  : make lab-down"
