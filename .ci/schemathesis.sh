#!/usr/bin/env bash
# Generated API tests: starts the debug binary on a fresh SQLite file with the bundled data
# and an administrator key, then runs schemathesis on the served specification.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/serve.sh
VENV=target/schemathesis-venv
python_venv "$VENV" "schemathesis==4.32.5" schemathesis
start_server --log-format json

status=0
SCHEMATHESIS_HOOKS=.ci/schemathesis_hooks.py "$VENV/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
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
