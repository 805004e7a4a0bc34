#!/usr/bin/env bash
# Generated API tests: starts the debug binary on a fresh SQLite file with the bundled data
# and an administrator key, then runs schemathesis on the served specification.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/schemathesis-venv
if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==4.32.5"
fi

WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite://$WORK/schemathesis.db"
cargo build --quiet
KEY=$(target/debug/connect2030 admin-key create 2>/dev/null)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/debug/connect2030 --log-format json serve --bind "127.0.0.1:$PORT" --load-public-data \
    --write-rate-limit 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    sleep 0.5
done

status=0
"$VENV/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --header "Authorization: Bearer $KEY" \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-40}" --max-time "${SCHEMATHESIS_MAX_TIME:-300}" \
    --seed "${SCHEMATHESIS_SEED:-2030}" --no-color --report ndjson --report-dir "$WORK/report" || status=$?
echo "schemathesis: the server answered $(grep -c '"message":"request"' "$WORK/server.log" || true) requests"
if grep '"message":"request"' "$WORK/server.log" | grep -q '"status":5[0-9][0-9]'; then
    echo "schemathesis: the server answered 5xx:"
    grep '"message":"request"' "$WORK/server.log" | grep '"status":5[0-9][0-9]' | head
    status=1
fi
exit $status
