# Sourced by every .ci script: what cargo builds and where, as cargo itself reports it, so
# CARGO_TARGET_DIR or a `build.target-dir` setting is respected (never a hard-coded target/).

# Cargo's target directory, for the scripts' own files (virtual environments, screenshots).
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# Builds the debug binary and sets BIN to the path cargo reports for it.
build_binary() {
    BIN=$(cargo build --quiet --bin connect2030 --message-format=json-render-diagnostics |
        python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "connect2030":
        print(message["executable"])')
    if [ ! -x "$BIN" ]; then
        echo "cargo reported no connect2030 executable" >&2
        return 1
    fi
}
