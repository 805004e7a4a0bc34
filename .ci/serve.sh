# Sourced by the client tests (.ci/client.sh, .ci/schemathesis.sh, .ci/sdmx1.sh): builds the debug
# binary, creates an administrator key on a fresh SQLite file in a temporary folder, and starts the
# server with the bundled data on a free port. Sets BIN and TARGET_DIR (.ci/cargo.sh), WORK, KEY,
# PORT and SERVER_PID; the trap stops that server (only it: never a process group) and removes WORK.
# Extra global options may be given as arguments; CI_WRITE_RATE_LIMIT sets the write rate limit
# (writes per key per minute, 0 by default: off).
source "$(dirname "${BASH_SOURCE[0]}")/cargo.sh"

start_server() {
    WORK=$(mktemp -d)
    # `kill 0` would signal the whole process group (this script's caller too): kill the
    # server's own PID, and only once there is one.
    trap 'if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
    export DATABASE_URL="sqlite://$WORK/test.db"
    build_binary
    KEY=$("$BIN" admin-key create 2>/dev/null)
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$BIN" "$@" serve --bind "127.0.0.1:$PORT" --load-public-data \
        --write-rate-limit "${CI_WRITE_RATE_LIMIT:-0}" \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "the server did not start:"; tail -20 "$WORK/server.log"
    return 1
}

# A virtual environment (under cargo's target directory) with one pinned PyPI package, made once.
python_venv() {
    local venv=$1 package=$2 module=$3
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import $module" 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "$package"
    fi
}
