#!/usr/bin/env bash
# Serves www/ (with a copy of pkg/ in www/pkg) on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
rm -rf www/pkg && cp -r pkg www/pkg
echo "iamport-billing demo: http://127.0.0.1:${port}/  (sandbox mode by default; Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
