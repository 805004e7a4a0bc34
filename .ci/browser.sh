#!/usr/bin/env bash
# Browser test: starts the debug binary on a fresh SQLite file with the bundled data, then
# drives headless Chromium through chromedriver (.ci/browser_test.py) with every host but
# 127.0.0.1 unreachable. Screenshots go to browser/ in cargo's target directory.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# A system font with Chinese glyphs, so the Chinese screenshot is legible (the page itself
# names only generic font families and fetches no font).
if ! fc-list :lang=zh | grep -q .; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null
fi

source .ci/cargo.sh
WORK=$(mktemp -d)
# Only the processes this script started, by PID: `kill 0` would signal the whole process group.
stop() {
    local pid
    for pid in "${SERVER_PID:-}" "${DRIVER_PID:-}"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$WORK"
}
trap stop EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

build_binary
PORT=$(free_port)
DATABASE_URL="sqlite://$WORK/browser.db" "$BIN" serve --bind "127.0.0.1:$PORT" \
    --load-public-data >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
DRIVER_PORT=$(free_port)
chromedriver --port="$DRIVER_PORT" --log-path="$WORK/chromedriver.log" >/dev/null 2>&1 &
DRIVER_PID=$!
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null 2>&1 && break
    sleep 0.5
done

status=0
python3 .ci/browser_test.py "http://127.0.0.1:$PORT" "http://127.0.0.1:$DRIVER_PORT" "$TARGET_DIR/browser" || status=$?
if [ $status -ne 0 ]; then
    echo "server log:"; tail -20 "$WORK/server.log"
fi
exit $status
