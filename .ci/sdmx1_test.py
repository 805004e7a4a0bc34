"""sdmx1 as a real SDMX client of the service (run by .ci/sdmx1.sh).

Reads the dataflow, the data structure definition with its code lists, and data in every
format sdmx1 reads (SDMX-ML structure-specific and generic, SDMX-JSON, SDMX-CSV 2.0.0; SDMX-CSV
1.0.0, which sdmx1 does not read, with the csv module), and checks that keys, values and
attributes equal what the JSON API returns for the same query, for economies and for group
aggregates. Then writes SDMX-CSV with sdmx1 and sends it back to POST /api/v1/observations:
the round trip must change nothing.

Usage: sdmx1_test.py BASE_URL ADMIN_KEY
"""

import csv
import io
import json
import os
import sys
import tempfile
import urllib.parse
import urllib.request

import sdmx

BASE, ADMIN_KEY = sys.argv[1], sys.argv[2]
INDICATOR = "individuals_internet_pct"
ECONOMIES = ["KEN", "UGA", "IND"]
GROUPS = ["WORLD", "LDC", "AFR"]
START = 2000
NATURE = {"reported": "C", "estimated": "E", "modelled": "M"}
MEDIA = {
    "generic": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "json": "application/vnd.sdmx.data+json;version=1.0.0",
    "csv2": "application/vnd.sdmx.data+csv;version=2.0.0",
    "csv1": "application/vnd.sdmx.data+csv;version=1.0.0",
}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def request(path, accept="application/json", data=None, headers=None):
    req = urllib.request.Request(BASE + path, data=data, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(req) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(path):
    status, body = request(path)
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


def observations_json(country):
    """Every current value of one economy (totals only), through the JSON API's pages."""
    found, cursor = [], None
    while True:
        query = {"country": country, "indicator": INDICATOR, "year_from": START, "limit": 1000}
        if cursor:
            query["cursor"] = cursor
        page = get_json("/api/v1/observations?" + urllib.parse.urlencode(query))
        found += page["observations"]
        cursor = page["meta"]["next_cursor"]
        if not cursor:
            return [o for o in found if not o["disaggregation"] and not o["withdrawn"]]


def expected():
    """(REF_AREA, INDICATOR, SEX, URBANISATION, TIME_PERIOD) -> (value, OBS_STATUS, NATURE, SOURCE_DETAIL)."""
    table = {}
    for country in ECONOMIES:
        for o in observations_json(country):
            status = "A" if o["nature"] == "reported" else "E"
            table[(country, INDICATOR, "_T", "_T", str(o["year"]))] = (
                float(o["value"]), status, NATURE[o["nature"]], o["source"])
    for group in GROUPS:
        answer = get_json(f"/api/v1/indicators/{INDICATOR}/aggregates?group={group}&year_from={START}")
        for point in answer["series"]:
            if point["value"] is None:
                continue
            if not point["meets_min_reported"]:
                status = "E"
            elif point["coverage"]["countries_imputed"] > 0:
                status = "I"
            else:
                status = "A"
            table[(group, INDICATOR, "_T", "_T", str(point["year"]))] = (float(point["value"]), status, None, None)
    return table


def attribute(obs, name):
    value = obs.attached_attribute.get(name)
    if value is None:
        return None
    value = getattr(value.value, "id", value.value)
    # SDMX-CSV has no absent cell: an empty one is no value.
    return value if value != "" else None


def read(message):
    """The same table from an sdmx1 data message."""
    table = {}
    for data_set in message.data:
        for obs in data_set.obs:
            key = {k: str(getattr(v, "value", v)) for k, v in obs.key.values.items()}
            row = (key["REF_AREA"], key["INDICATOR"], key["SEX"], key["URBANISATION"], key["TIME_PERIOD"])
            table[row] = (float(obs.value), attribute(obs, "OBS_STATUS"), attribute(obs, "NATURE"),
                          attribute(obs, "SOURCE_DETAIL"))
    return table


def compare(name, got, want):
    check(len(want) > 100, f"the JSON API gives too few values to compare ({len(want)})")
    missing = sorted(set(want) - set(got))[:5]
    extra = sorted(set(got) - set(want))[:5]
    check(not missing and not extra, f"{name}: keys differ: missing {missing}, extra {extra}")
    wrong = [(k, got[k], want[k]) for k in want if k in got and got[k] != want[k]][:5]
    check(not wrong, f"{name}: values or attributes differ: {wrong}")
    print(f"{name}: {len(got)} observations equal the JSON API's")


# Structures: the dataflow with everything it references, as sdmx1 asks for it.
sdmx.add_source({"id": "C2030", "url": BASE + "/sdmx/rest", "name": "Connect 2030"})
client = sdmx.Client("C2030")
structures = client.dataflow("CONNECT2030", params={"references": "all"})
flow = structures.dataflow["CONNECT2030"]
dsd = structures.structure["DSD_CONNECT2030"]
check(flow.structure.id == "DSD_CONNECT2030", "the dataflow names its DSD")
check([d.id for d in dsd.dimensions] == ["FREQ", "REF_AREA", "INDICATOR", "SEX", "URBANISATION", "TIME_PERIOD"],
      f"dimensions {[d.id for d in dsd.dimensions]}")
check({a.id for a in dsd.attributes} >= {"OBS_STATUS", "UNIT_MEASURE", "NATURE", "SOURCE_DETAIL", "COMMENT_OBS"},
      "attributes")
areas = structures.codelist["CL_AREA"]
for economy in get_json("/api/v1/countries")["countries"]:
    check(economy["iso3"] in areas and str(areas[economy["iso3"]].name) == economy["short_name"],
          f"CL_AREA names {economy['iso3']}")
for group in get_json("/api/v1/groups")["groups"]:
    check(group["code"] in areas and str(areas[group["code"]].name) == group["name"], f"CL_AREA names {group['code']}")
indicators = structures.codelist["CL_INDICATOR"]
for indicator in get_json("/api/v1/indicators")["indicators"]:
    check(str(indicators[indicator["code"]].name) == indicator["name"], f"CL_INDICATOR names {indicator['code']}")
check(structures.codelist["CL_SEX"]["female"].name.localizations.get("zh") == "女性", "Chinese code names")
dsd_alone = client.datastructure("DSD_CONNECT2030", params={"references": "children"})
check("CL_OBS_STATUS" in dsd_alone.codelist, "the DSD's children include its code lists")
print("structures: dataflow, DSD and code lists read and equal the catalogue")

# Data in every format sdmx1 reads, compared with the JSON API.
want = expected()
key = {"REF_AREA": ECONOMIES + GROUPS, "INDICATOR": INDICATOR, "SEX": "_T", "URBANISATION": "_T"}
message = client.data("CONNECT2030", key=key, params={"startPeriod": str(START)}, dsd=dsd)
compare("SDMX-ML structure-specific (sdmx1 Client)", read(message), want)
path = f"/sdmx/rest/data/CONNECT2030/A.{'+'.join(ECONOMIES + GROUPS)}.{INDICATOR}._T._T?startPeriod={START}"
bodies = {}
for name in ["generic", "json", "csv2", "csv1"]:
    status, bodies[name] = request(path, accept=MEDIA[name])
    check(status == 200, f"{name}: status {status}")
compare("SDMX-ML generic", read(sdmx.read_sdmx(io.BytesIO(bodies["generic"]), structure=dsd)), want)
compare("SDMX-JSON 1.0.0", read(sdmx.read_sdmx(io.BytesIO(bodies["json"]), format="JSON")), want)
compare("SDMX-CSV 2.0.0", read(sdmx.read_sdmx(io.BytesIO(bodies["csv2"]), format="CSV", structure=flow)), want)
csv1 = {}
for row in csv.DictReader(io.StringIO(bodies["csv1"].decode())):
    check(row["DATAFLOW"] == "C2030:CONNECT2030(1.0)", "SDMX-CSV 1.0.0 names the dataflow")
    csv1[(row["REF_AREA"], row["INDICATOR"], row["SEX"], row["URBANISATION"], row["TIME_PERIOD"])] = (
        float(row["OBS_VALUE"]), row["OBS_STATUS"], row["NATURE"] or None, row["SOURCE_DETAIL"] or None)
compare("SDMX-CSV 1.0.0 (csv module: sdmx1 reads 2.x only)", csv1, want)

# Round trip: SDMX-CSV 2.0.0 written by sdmx1 from the economies' data, sent back as a member
# state's upload (dry run, then for real): every value comes back unchanged and nothing moves.
before = [observations_json(country) for country in ECONOMIES]
economies = client.data("CONNECT2030", key={"REF_AREA": ECONOMIES, "INDICATOR": INDICATOR}, dsd=dsd)
data_set = economies.data[0]
data_set.described_by = flow
with tempfile.TemporaryDirectory() as folder:
    written = os.path.join(folder, "upload.csv")
    # sdmx1's rtype=str gives a fixed-width table, not CSV; a path gives CSV.
    sdmx.to_csv(data_set, path=written, attributes="os")
    with open(written, "rb") as file:
        upload = file.read()
sent = len(data_set.obs)
headers = {"Content-Type": "application/vnd.sdmx.data+csv; version=2.0.0", "Authorization": f"Bearer {ADMIN_KEY}"}
for query in ["?dry_run=true", ""]:
    status, body = request("/api/v1/observations" + query, data=upload, headers=headers)
    check(status in (200, 201), f"upload{query}: status {status}: {body[:500]}")
    counts = json.loads(body).get("counts", {}) if status in (200, 201) else {}
    check(counts.get("unchanged") == sent and counts.get("created") == 0 and counts.get("revised") == 0,
          f"upload{query}: {counts} for {sent} observations")
check([observations_json(country) for country in ECONOMIES] == before, "the round trip changed stored values")
print(f"round trip: {sent} observations written by sdmx1 as SDMX-CSV 2.0.0 came back unchanged")

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("sdmx1: all checks passed")
