#!/usr/bin/env bash
# A real SDMX client against the service: sdmx1 (PyPI, in a virtual environment under cargo's
# target directory) runs .ci/sdmx1_test.py against a fresh server with the bundled data and an
# administrator key.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/serve.sh

VENV=$TARGET_DIR/sdmx1-venv
python_venv "$VENV" "sdmx1==2.28.0" sdmx
start_server

status=0
"$VENV/bin/python" .ci/sdmx1_test.py "http://127.0.0.1:$PORT" "$KEY" || status=$?
if [ $status -ne 0 ]; then
    echo "server log:"; tail -20 "$WORK/server.log"
fi
exit $status
