#!/usr/bin/env bash
# Type tests of pkg/index.d.ts: tests/types/valid.ts compiles under `tsc --strict`, and every
# `// @ts-expect-error` in tests/types/invalid.ts is an error on its line, for the stated reason.
# The same for the server entry's pkg/server/index.d.ts with tests/types/server/.
# Assumes pkg/ is built and the root node_modules installed (make test does both first).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f pkg/index.d.ts ] || { echo "pkg/index.d.ts is missing: run make pkg" >&2; exit 1; }
TSC=node_modules/.bin/tsc
[ -x "$TSC" ] || { echo "$TSC is missing: run scripts/setup.sh" >&2; exit 1; }

echo "types: tsc --strict --noEmit (valid.ts, invalid.ts with its directives)"
"$TSC" -p tests/types/tsconfig.json
echo "types: each @ts-expect-error in invalid.ts"
node tests/types/check-invalid.mjs

# The same for the server entry, pkg/server/index.d.ts (`import … from 'iamport-billing/server'`).
[ -f pkg/server/index.d.ts ] || { echo "pkg/server/index.d.ts is missing: run make pkg" >&2; exit 1; }
echo "types: the server entry: tsc --strict --noEmit (server/valid.ts, server/invalid.ts with its directives)"
"$TSC" -p tests/types/server/tsconfig.json
echo "types: each @ts-expect-error in server/invalid.ts"
node tests/types/check-invalid.mjs tests/types/server
