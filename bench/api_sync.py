"""The IZ Board's sync as another system would run it, knowing only the
published schema: N enterprises (5,000 by default) with workforce figures
pushed in batches, read back whole, then read back incrementally after a change.

    python bench/api_sync.py --url http://127.0.0.1:8000 --token kcn_... [--count 5000]

The token is an IZ officer's (or a Party Committee officer's) of a fresh
install (``seed_demo`` zones suffice). The operations are found in
``/api/v1/schema/`` by their operationId; the items are built from the sync
request's schema (required fields, the first value of each list). Prints
one line per step with its time; exits 1 when a check fails. Not part of
the test suite: its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date

from stdnum.vn import mst


class Api:
    def __init__(self, base: str, token: str):
        self.base = base.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method: str, url: str, body=None, **headers):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            url if url.startswith("http") else self.base + url, data=data, method=method,
            headers={**self.headers, **headers,
                     **({"Content-Type": "application/json"} if data else {})})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def operations(schema: dict) -> dict[str, tuple[str, str, dict]]:
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def tax_code(n: int) -> str:
    sequence = 5_000_000 + n * 7
    while True:
        body = f"07{sequence:07d}"
        digit = mst.calc_check_digit(body)
        if digit != "10":
            return body + digit
        sequence += 1


def read_all(api: Api, path: str, **query) -> tuple[list[dict], int]:
    rows, pages = [], 0
    url = f"{path}?{urllib.parse.urlencode(query)}"
    while url:
        status, _headers, body = api.call("GET", url)
        assert status == 200, (status, body)
        rows += body["results"]
        pages += 1
        url = body["next"]
    return rows, pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    api = Api(args.url, args.token)
    failures = []

    status, _h, schema = api.call("GET", "/api/v1/schema/?format=json")
    assert status == 200, status
    ops = operations(schema)
    sync_method, sync_path, sync_op = next(op for op in ops.values()
                                           if op[1].endswith("/sync/") and op[0] == "POST")
    list_path = ops["enterprises_list"][1]
    zones_path = ops["zones_list"][1]
    body_schema = resolve(schema, sync_op["requestBody"]["content"]["application/json"]["schema"])
    item_schema = resolve(schema, body_schema["properties"]["items"]["items"])
    workforce_schema = resolve(schema, item_schema["properties"]["workforce"]["items"])

    def first_value(name):
        field = item_schema["properties"][name]
        field = resolve(schema, field["allOf"][0]) if "allOf" in field else resolve(schema, field)
        return field["enum"][0]

    zones, _ = read_all(api, zones_path)
    zone = zones[0]["code"]
    required = item_schema["required"]
    print(f"schema: sync {sync_method} {sync_path}, item fields required {required}, "
          f"workforce fields {sorted(workforce_schema['properties'])}; zone {zone}")

    def item(n: int, total: int, as_of: str) -> dict:
        return {"tax_code": tax_code(n), "name": f"Công ty TNHH Đồng bộ {n:05d}", "zone": zone,
                "legal_form": first_value("legal_form"),
                "capital_source": first_value("capital_source"),
                "workforce": [{"as_of": as_of, "total_workers": total,
                               "female_workers": total // 2}]}

    as_of = date(date.today().year, 1, 1).isoformat()
    batches = [[item(n, 100 + n % 400, as_of) for n in range(start, min(start + args.batch,
                                                                       args.count))]
               for start in range(0, args.count, args.batch)]
    keys = [str(uuid.uuid4()) for _ in batches]
    started = time.perf_counter()
    created = 0
    for batch, key in zip(batches, keys, strict=True):
        status, _h, body = api.call(sync_method, sync_path, {"items": batch},
                                    **{"Idempotency-Key": key})
        if status != 200:
            print("sync refused:", status, json.dumps(body, ensure_ascii=False)[:500])
            return 1
        created += body["created"]
    push = time.perf_counter() - started
    print(f"push: {args.count} enterprises in {len(batches)} requests: {push:.1f} s "
          f"({args.count / push:.0f}/s), created={created}")
    if created != args.count:
        failures.append(f"created {created}, expected {args.count}")

    status, headers, body = api.call(sync_method, sync_path, {"items": batches[0]},
                                     **{"Idempotency-Key": keys[0]})
    replayed = headers.get("Idempotent-Replayed") == "true" and body["created"] == len(batches[0])
    print(f"replay of the first batch with its key: status {status}, replayed={replayed}")
    if not replayed:
        failures.append("the first batch was not replayed")

    started = time.perf_counter()
    rows, pages = read_all(api, list_path, page_size=1000)
    full = time.perf_counter() - started
    ours = {r["tax_code"]: r for r in rows if r["name"].startswith("Công ty TNHH Đồng bộ")}
    wrong = [n for n in range(args.count)
             if (ours.get(tax_code(n)) or {}).get("current_workforce", {}) is None
             or ours.get(tax_code(n), {}).get("current_workforce", {}).get("total_workers")
             != 100 + n % 400]
    print(f"full read: {len(rows)} enterprises in {pages} pages: {full:.1f} s; "
          f"ours {len(ours)}, figures wrong {len(wrong)}")
    if len(ours) != args.count or wrong:
        failures.append("the full read does not give back what was pushed")
    watermark = max(r["updated_at"] for r in rows)

    # Every enterprise again, with figures of a later date: the update path.
    later = date(date.today().year, 1, 2).isoformat()
    started = time.perf_counter()
    slowest = 0.0
    updated = 0
    for start in range(0, args.count, args.batch):
        batch = [item(n, 200 + n % 400, later)
                 for n in range(start, min(start + args.batch, args.count))]
        began = time.perf_counter()
        status, _h, body = api.call(sync_method, sync_path, {"items": batch},
                                    **{"Idempotency-Key": str(uuid.uuid4())})
        slowest = max(slowest, time.perf_counter() - began)
        if status != 200:
            print("update refused:", status, json.dumps(body, ensure_ascii=False)[:500])
            return 1
        updated += body["updated"]
    again = time.perf_counter() - started
    print(f"update: {args.count} enterprises with new figures: {again:.1f} s "
          f"({args.count / again:.0f}/s, slowest request {slowest:.1f} s), updated={updated}")
    if updated != args.count:
        failures.append(f"updated {updated}, expected {args.count}")
    rows, _pages = read_all(api, list_path, page_size=1000)
    watermark = max(r["updated_at"] for r in rows)

    changed = [item(n, 1000 + n, date.today().isoformat()) for n in range(0, args.count, 50)]
    status, _h, body = api.call(sync_method, sync_path, {"items": changed},
                                **{"Idempotency-Key": str(uuid.uuid4())})
    print(f"change: {len(changed)} enterprises get new figures: status {status}, "
          f"updated={body.get('updated')}")
    started = time.perf_counter()
    delta, pages = read_all(api, list_path, page_size=1000, updated_since=watermark)
    incremental = time.perf_counter() - started
    expected = {tax_code(n) for n in range(0, args.count, 50)}
    got = {r["tax_code"] for r in delta}
    print(f"incremental read since {watermark}: {len(delta)} rows in {pages} pages: "
          f"{incremental:.2f} s; all changed ones in it: {expected <= got}; "
          f"others: {len(got - expected)}")
    if not expected <= got or len(got - expected) > 1:
        failures.append("the incremental read missed changes or returned too much")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
