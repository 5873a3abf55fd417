#!/usr/bin/env bash
# The local lab: an AWS API emulator (moto server) for the control plane and
# podman containers with systemd for the instances. Called by the Makefile;
# every subcommand is safe to run again.
#
#   scripts/lab.sh deps          host packages (apt) the lab needs
#   scripts/lab.sh up            start the emulator (or adopt $AWS_ENDPOINT_URL)
#   scripts/lab.sh reset         empty the emulator
#   scripts/lab.sh down          stop what `up` started, remove lab containers/networks
#   scripts/lab.sh stop          stop the emulator only
#   scripts/lab.sh image         build (debootstrap) or load the instance image
#   scripts/lab.sh endpoint      print the endpoint in use
#   scripts/lab.sh expose NET    let the containers on podman network NET reach
#                                the emulator; print the URL they use
#   scripts/lab.sh sanity-pip    write ansible-test's offline pip bootstrap stand-in
#
# State lives in $HP_LAB_STATE (default .lab/ in the repository, git-ignored):
#   endpoint  moto.pid  moto.port  moto.log  recorder.jsonl
#   expose-NET.pid  expose-NET.url  expose-NET.log   (one per exposed network)
# and .lab/containers.conf holds the lab's podman settings (CONTAINERS_CONF).
# The instance image is cached as a zstd archive in $HP_LAB_CACHE.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${HP_LAB_STATE:-$ROOT/.lab}
CACHE=${HP_LAB_CACHE:-/var/cache/healthplatform-lab}
VENV=${HP_VENV:-$ROOT/.venv}
IMAGE=${HP_LAB_IMAGE:-localhost/healthplatform-debian12-systemd:latest}
IMAGE_MAX_AGE_DAYS=${HP_LAB_IMAGE_MAX_AGE_DAYS:-14}
DEB_MIRROR=${HP_LAB_DEB_MIRROR:-http://deb.debian.org/debian}
DEB_SECURITY=${HP_LAB_DEB_SECURITY:-http://deb.debian.org/debian-security}
# Extra CA certificates to trust inside the instance image (corporate proxies,
# TLS-inspecting egress). Every *.crt in this folder is added to the image.
EXTRA_CA_DIR=${HP_LAB_EXTRA_CA_DIR:-/usr/local/share/ca-certificates}
# Containers and networks the lab owns carry this label; `down` removes them.
LABEL=io.healthplatform.lab=true
BIND=${HP_LAB_BIND:-127.0.0.1}
# podman settings for the lab (one file per checkout, whatever the state folder)
CONTAINERS_CONF_FILE="$ROOT/.lab/containers.conf"

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

# gpg signs the instance scenario's stand-in agent packages (tests/fixtures/packages).
HOST_PACKAGES=(podman runc conmon netavark aardvark-dns iptables catatonit
               debootstrap zstd python3-venv ca-certificates uidmap gpg socat)

cmd_deps() {
  if dpkg -s "${HOST_PACKAGES[@]}" >/dev/null 2>&1; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "host packages missing (${HOST_PACKAGES[*]}); run as root or install them"
  log "installing host packages: ${HOST_PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${HOST_PACKAGES[@]}" >/dev/null
}

# podman settings for the lab only: never the host's global configuration.
# runc because crun cannot run systemd on this host's hybrid cgroups; explicit
# ulimits because root podman's defaults exceed the host's hard limits.
write_containers_conf() {
  mkdir -p "$(dirname "$CONTAINERS_CONF_FILE")"
  cat > "$CONTAINERS_CONF_FILE" <<'EOF'
# Written by scripts/lab.sh for the lab's podman calls (CONTAINERS_CONF).
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]

[engine]
runtime = "runc"

[network]
# Debian's podman ships a CNI config but not the CNI plugins; netavark +
# aardvark-dns give user-defined networks with container-name DNS.
network_backend = "netavark"
EOF
}

free_port() {
  python3 - "$BIND" <<'EOF'
import socket, sys
with socket.socket() as s:
    s.bind((sys.argv[1], 0))
    print(s.getsockname()[1])
EOF
}

wait_http() {
  local url=$1 tries=${2:-100}
  for _ in $(seq "$tries"); do
    if python3 - "$url" <<'EOF' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/moto-api/data.json", timeout=2).read(1)
EOF
    then return 0; fi
    sleep 0.2
  done
  return 1
}

moto_running() {
  [ -s "$STATE/moto.pid" ] && kill -0 "$(cat "$STATE/moto.pid")" 2>/dev/null
}

cmd_up() {
  mkdir -p "$STATE"
  write_containers_conf
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
    log "AWS_ENDPOINT_URL is set: using $AWS_ENDPOINT_URL, not starting an emulator"
    printf '%s\n' "$AWS_ENDPOINT_URL" > "$STATE/endpoint"
    rm -f "$STATE/moto.pid"
    return 0
  fi
  if moto_running; then
    # ours and alive: reuse it (it keeps the lab's state); one that does not
    # answer within 30 s is stopped, never orphaned
    if [ -s "$STATE/endpoint" ] && wait_http "$(cat "$STATE/endpoint")" 150; then
      log "emulator already running at $(cat "$STATE/endpoint") (pid $(cat "$STATE/moto.pid"))"
      return 0
    fi
    log "emulator (pid $(cat "$STATE/moto.pid")) does not answer: restarting it"
    cmd_stop
  fi
  [ -x "$VENV/bin/moto_server" ] || die "moto_server not found in $VENV (run: make venv)"
  local port url
  port=$(free_port)
  url="http://$BIND:$port"
  : > "$STATE/recorder.jsonl"
  # AWS-managed IAM policies (AmazonSSMManagedInstanceCore, ...) only exist
  # in moto when it loads them. The recorder file is used by the benchmark.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true \
  MOTO_RECORDER_FILEPATH="$STATE/recorder.jsonl" \
    setsid "$VENV/bin/moto_server" -H "$BIND" -p "$port" >"$STATE/moto.log" 2>&1 < /dev/null &
  echo $! > "$STATE/moto.pid"
  echo "$port" > "$STATE/moto.port"
  printf '%s\n' "$url" > "$STATE/endpoint"
  wait_http "$url" 150 || { tail -20 "$STATE/moto.log" >&2; die "emulator did not answer at $url"; }
  log "emulator up at $url (pid $(cat "$STATE/moto.pid"), state $STATE)"
}

cmd_endpoint() {
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then echo "$AWS_ENDPOINT_URL"; return; fi
  [ -s "$STATE/endpoint" ] || die "lab is not up (run: make lab-up)"
  cat "$STATE/endpoint"
}

# The emulator listens on the host's loopback, which containers cannot reach.
# `expose NET` starts a TCP forwarder (socat) on the gateway address of podman
# network NET (the host's side of that bridge; nothing outside this machine
# reaches it) to the emulator, so that instances on NET reach it at
# http://GATEWAY:PORT (Secrets Manager, the S3 download buckets, ...).
# ip-freebind lets it bind before the bridge interface exists (netavark creates
# it with the first container). `stop` and `down` stop the forwarders.
cmd_expose() {
  local network=${1:-}
  [ -n "$network" ] || die "usage: $0 expose NETWORK"
  mkdir -p "$STATE"
  write_containers_conf
  export CONTAINERS_CONF="$CONTAINERS_CONF_FILE"
  local target host port gateway url pidfile
  target=$(cmd_endpoint)
  host=${target#*://}
  host=${host%%/*}
  port=${host##*:}
  host=${host%%:*}
  gateway=$(podman network inspect "$network" --format '{{range .Subnets}}{{.Gateway}} {{end}}' 2>/dev/null) \
    || die "podman network $network does not exist"
  gateway=${gateway%% *}
  [ -n "$gateway" ] || die "podman network $network has no gateway address"
  url="http://$gateway:$port"
  pidfile="$STATE/expose-$network.pid"
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null \
     && [ "$(cat "$STATE/expose-$network.url" 2>/dev/null)" = "$url" ]; then
    echo "$url"
    return 0
  fi
  if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  # A network removed and created again (one molecule scenario after another) gets the same
  # gateway address: the forwarder of the old network still holds it. One forwarder per address.
  local other
  for other in "$STATE"/expose-*.url; do
    [ -e "$other" ] && [ "$other" != "$STATE/expose-$network.url" ] || continue
    [ "$(cat "$other")" = "$url" ] || continue
    local old_pid; old_pid=$(cat "${other%.url}.pid" 2>/dev/null || true)
    if [ -n "$old_pid" ] && kill "$old_pid" 2>/dev/null; then
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$other" "${other%.url}.pid"
    log "stopped the forwarder of $(basename "${other%.url}") (same address $url)"
  done
  # socat: one forked child per connection; ip-freebind binds before the bridge exists.
  setsid socat "TCP-LISTEN:$port,bind=$gateway,fork,reuseaddr,ip-freebind" "TCP:$host:$port" \
    >"$STATE/expose-$network.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  sleep 0.3
  kill -0 "$(cat "$pidfile")" 2>/dev/null \
    || die "the forwarder to $url did not start: $(cat "$STATE/expose-$network.log")"
  printf '%s\n' "$url" > "$STATE/expose-$network.url"
  log "emulator exposed to podman network $network at $url (pid $(cat "$pidfile"))"
  echo "$url"
}


stop_forwarders() {
  local pidfile pid
  for pidfile in "$STATE"/expose-*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      log "emulator forwarder (pid $pid) stopped"
    fi
    rm -f "$pidfile" "${pidfile%.pid}.url"
  done
}

cmd_reset() {
  local url; url=$(cmd_endpoint)
  python3 - "$url" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/moto-api/reset", method="POST", data=b"")
urllib.request.urlopen(req, timeout=30).read()
EOF
  log "emulator at $url reset"
}

cmd_stop() {
  stop_forwarders
  if moto_running; then
    local pid; pid=$(cat "$STATE/moto.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "emulator (pid $pid) stopped"
  fi
  rm -f "$STATE/moto.pid" "$STATE/endpoint" "$STATE/moto.port"
}

cmd_down() {
  cmd_stop
  if command -v podman >/dev/null 2>&1; then
    export CONTAINERS_CONF="$CONTAINERS_CONF_FILE"
    local ids; ids=$(podman ps -aq --filter "label=$LABEL" 2>/dev/null || true)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      podman rm -f -t 2 $ids >/dev/null
      log "removed lab containers: $(echo "$ids" | wc -w)"
    fi
    local nets; nets=$(podman network ls -q --filter "label=$LABEL" 2>/dev/null || true)
    if [ -n "$nets" ]; then
      # shellcheck disable=SC2086
      podman network rm -f $nets >/dev/null
      log "removed lab networks: $nets"
    fi
  fi
}

build_image() {
  local rootfs; rootfs=$(mktemp -d /var/tmp/hp-lab-rootfs.XXXXXX)
  log "building $IMAGE with debootstrap (about a minute)"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,python3,python3-apt,sudo,ca-certificates,iproute2,gnupg \
    bookworm "$rootfs" "$DEB_MIRROR" >/dev/null
  cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $DEB_MIRROR bookworm main
deb $DEB_MIRROR bookworm-updates main
deb $DEB_SECURITY bookworm-security main
EOF
  if compgen -G "$EXTRA_CA_DIR/*.crt" >/dev/null; then
    cp "$EXTRA_CA_DIR"/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null
  fi
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  # An emptied list folder must look stale, or apt's cache_valid_time skips the update.
  touch -d '2000-01-01' "$rootfs/var/lib/apt/lists"
  : > "$rootfs/etc/machine-id"
  tar -C "$rootfs" --numeric-owner -c . | podman import \
    --change 'CMD ["/sbin/init"]' --change 'STOPSIGNAL SIGRTMIN+3' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
}

save_image() {
  podman save "$IMAGE" | zstd -q -T0 -3 -o "$1.tmp"
  mv -f "$1.tmp" "$1"
  log "cached $IMAGE as $1"
}

cmd_image() {
  write_containers_conf
  export CONTAINERS_CONF="$CONTAINERS_CONF_FILE"
  local tarball; tarball="$CACHE/$(printf %s "$IMAGE" | tr '/:' '__').tar.zst"
  mkdir -p "$CACHE"
  if podman image exists "$IMAGE"; then
    # keep the cache: a later clone or CI run on this machine loads it in seconds
    [ -s "$tarball" ] || save_image "$tarball"
    return 0
  fi
  if [ -n "$(find "$tarball" -mtime -"$IMAGE_MAX_AGE_DAYS" 2>/dev/null)" ]; then
    log "loading $IMAGE from $tarball"
    zstd -qdc "$tarball" | podman load >/dev/null
  else
    build_image
    save_image "$tarball"
  fi
  podman run --rm "$IMAGE" /bin/true || die "podman cannot run $IMAGE"
}

# ansible-test bootstraps pip in its venvs with a script it downloads from an
# Ansible CI host. That host is not reachable from this network, so we place a
# stand-in at the cache path ansible-test looks at first: it installs pip with
# ensurepip, then the requested packages with that pip. Workaround for
# offline/air-gapped machines only; harmless where the download would work.
cmd_sanity_pip() {
  local version cache
  version=$("$VENV/bin/python" - <<'EOF'
from ansible_test._internal.python_requirements import get_venv_packages
class P:  # minimal stand-in for PythonConfig
    version = "3.11"
print(get_venv_packages(P())["pip"])
EOF
)
  cache="$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
  [ -s "$cache" ] && grep -q healthplatform "$cache" && return 0
  mkdir -p "$(dirname "$cache")"
  cat > "$cache" <<'EOF'
# Offline stand-in for get-pip.py, written by healthplatform.aws scripts/lab.sh.
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.run([sys.executable, "-m", "ensurepip", "--default-pip"], check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, "-m", "pip", "install", "-q"] + args, check=True)
EOF
  log "wrote ansible-test pip bootstrap stand-in: $cache"
}

case "${1:-}" in
  deps) cmd_deps ;;
  up) cmd_up ;;
  reset) cmd_reset ;;
  down) cmd_down ;;
  stop) cmd_stop ;;
  image) cmd_image ;;
  endpoint) cmd_endpoint ;;
  expose) cmd_expose "${2:-}" ;;
  sanity-pip) cmd_sanity_pip ;;
  *) die "usage: $0 deps|up|reset|down|stop|image|endpoint|expose NETWORK|sanity-pip" ;;
esac
