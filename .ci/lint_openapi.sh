#!/usr/bin/env bash
# OpenAPI lint: Redocly CLI (pinned, fetched from npm by npx) on the specification the binary
# serves (`connect2030 openapi`, the same document as /api/v1/openapi.json and the committed
# openapi/openapi.json). Any error fails; warnings are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_VERSION=2.77.0
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
source .ci/cargo.sh
build_binary
mkdir -p "$TARGET_DIR"
"$BIN" openapi >"$TARGET_DIR/openapi-lint.json"
npx --yes "@redocly/cli@$REDOCLY_VERSION" lint --format=stylish "$TARGET_DIR/openapi-lint.json"
