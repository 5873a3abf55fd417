#!/usr/bin/env bash
# Run `ansible-test sanity` on the collection. ansible-test needs the collection
# at .../ansible_collections/<namespace>/<name>; we copy the files git knows
# (tracked and new, not ignored) into such a tree under .lab/ and run it there.
# No ignore file is used: every test must pass as is.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Outside the checkout: inside it, ansible-test would ask git and find the copy ignored.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/healthplatform-sanity.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DEST="$WORK/ansible_collections/healthplatform/aws"
cd "$ROOT"
"$ROOT/scripts/lab.sh" sanity-pip
mkdir -p "$DEST"
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -C "$DEST" -xf -
# The collections ours depends on must sit beside it for the import test.
SITE=$(python -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(os.path.dirname(list(m.__path__)[0])))')
for ns in amazon community; do ln -sfn "$SITE/$ns" "$WORK/ansible_collections/$ns"; done
if compgen -G "$DEST/tests/sanity/ignore-*.txt" >/dev/null; then
  echo "sanity ignore files are not allowed: $(ls "$DEST"/tests/sanity/ignore-*.txt)" >&2
  exit 1
fi
cd "$DEST"
ansible-test sanity --venv --python "$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "$@"
