"""Schemathesis hooks (loaded by .ci/schemathesis.sh through SCHEMATHESIS_HOOKS).

SDMX-CSV request bodies (POST /api/v1/observations with application/vnd.sdmx.data+csv) are
text, sent as schemathesis sends text/csv; it has no serializer of its own for that media type.
"""

import schemathesis

schemathesis.serializer.alias("application/vnd.sdmx.data+csv", "text/plain")
