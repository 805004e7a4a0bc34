#!/usr/bin/env bash
# A generated client against the service: openapi-python-client (PyPI, in a virtual environment
# under cargo's target directory) generates a Python client from the specification a fresh server
# serves, and .ci/client_test.py uses it, with no hand-written HTTP, to upload CSV batches and
# download the CSV export.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve.sh

VENV=$TARGET_DIR/client-venv
python_venv "$VENV" "openapi-python-client==0.29.1" openapi_python_client
start_server

OUT=$TARGET_DIR/generated-client
rm -rf "$OUT"
mkdir -p "$OUT"
curl -fsS "http://127.0.0.1:$PORT/api/v1/openapi.json" >"$WORK/openapi.json"
"$VENV/bin/openapi-python-client" generate --path "$WORK/openapi.json" --meta none \
    --output-path "$OUT/connect2030_client" --overwrite
REPORTER_KEY=$("$BIN" reporter create --country KEN --name "KNBS" 2>/dev/null)

status=0
PYTHONPATH="$OUT" "$VENV/bin/python" .ci/client_test.py "http://127.0.0.1:$PORT" "$REPORTER_KEY" || status=$?
if [ $status -ne 0 ]; then
    echo "server log:"; tail -20 "$WORK/server.log"
fi
exit $status
