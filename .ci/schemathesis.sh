#!/usr/bin/env bash
# Generated API tests: starts the debug binary on a fresh SQLite file with the bundled data,
# an administrator key and a low write rate limit, then runs schemathesis with every check on
# the served specification.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/serve.sh
VENV=$TARGET_DIR/schemathesis-venv
python_venv "$VENV" "schemathesis==4.32.5" schemathesis
# The rate limit is on, and low enough that the run meets it: 429 with `Retry-After` is part of
# the contract every write documents, and the checks hold it to that.
CI_WRITE_RATE_LIMIT=${CI_WRITE_RATE_LIMIT:-30} start_server --log-format json

status=0
# Every check but use_after_free: a withdrawn value keeps its history readable by design
# (.ci/schemathesis.toml says why), and on the command line `--checks all` would turn back on
# what the file turns off for those operations.
SCHEMATHESIS_HOOKS=.ci/schemathesis_hooks.py "$VENV/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks all --exclude-checks use_after_free --header "Authorization: Bearer $KEY" \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-40}" --max-time "${SCHEMATHESIS_MAX_TIME:-300}" \
    --seed "${SCHEMATHESIS_SEED:-2030}" --no-color --report ndjson --report-dir "$WORK/report" || status=$?
echo "schemathesis: the server answered $(grep -c '"message":"request"' "$WORK/server.log" || true) requests"
if grep '"message":"request"' "$WORK/server.log" | grep -q '"status":5[0-9][0-9]'; then
    echo "schemathesis: the server answered 5xx:"
    grep '"message":"request"' "$WORK/server.log" | grep '"status":5[0-9][0-9]' | head
    status=1
fi
limited=$(grep '"message":"request"' "$WORK/server.log" | grep -c '"status":429' || true)
echo "schemathesis: $limited writes were rate-limited (429)"
if [ "$limited" -eq 0 ]; then
    echo "schemathesis: the rate limit never triggered; lower CI_WRITE_RATE_LIMIT"
    status=1
fi
exit $status
