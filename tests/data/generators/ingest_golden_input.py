#!/usr/bin/env python3
"""Writes tests/data/ingest_golden/input.jsonl: a JSON Lines file that exercises ingest's
batching, seq assignment, per-line errors and canonical JSON, for the test that the pipelined
ingest writes exactly what the serial one before it wrote (tst_CliIngest::sameOutputAsBefore).

Made with:  python3 tests/data/generators/ingest_golden_input.py > tests/data/ingest_golden/input.jsonl
The expected outputs beside it were written by dbdeck-cli built from the commit before the
pipeline (ba1395f), with tests/data/ingest_golden/record.sh. Every line gives its times, so
nothing depends on the clock; only what both versions read alike is used (no BOM, no invalid
UTF-8, no lone surrogates, no characters beyond U+FFFF).
"""
import json
import random

rng = random.Random(15)
lines = []


def add(obj, raw=None):
    lines.append(raw if raw is not None else json.dumps(obj, ensure_ascii=rng.random() < 0.5, separators=rng.choice([None, (",", ":")])))


def t(i):
    return "2026-11-%02dT%02d:%02d:%02d.%06d%s" % (1 + i % 28, i % 24, i % 60, (i * 7) % 60, (i * 37) % 1000000,
                                                  rng.choice(["Z", "+00:00", "+02:00", "-05:30", ""]))


for r in range(12):
    run_id = "run-%02d" % r
    status = rng.choice(["queued", "running", "succeeded", "failed", "cancelled"])
    run = {"type": "run", "id": run_id, "kind": rng.choice(["ingest", "export", "report"]), "status": status,
           "params": {"source": "s3://bucket/%d" % r, "n": r, "ratio": r / 7, "tags": ["a", "ü", "日本"], "nested": {"z": None, "a": True}},
           "created_at": t(r)}
    if status == "failed":
        run["error"] = 'boom "%d"\twith tab' % r
    if rng.random() < 0.5:
        run["updated_at"] = t(r + 100)
    if rng.random() < 0.3:
        run["started_at"] = t(r + 200)
    events = []
    for e in range(rng.randint(5, 30)):
        ev = {"type": "event", "id": "ev-%02d-%03d" % (r, e), "run_id": run_id, "kind": rng.choice(["log", "progress", "retry"]),
              "level": rng.choice(["debug", "info", "warning", "error"]), "created_at": t(r * 100 + e)}
        if rng.random() < 0.7:
            ev["seq"] = e + 1
        if rng.random() < 0.8:
            ev["message"] = rng.choice(["done", "processed %d rows" % e, "naïve café ☕", "quote \" backslash \\ slash /", "x" * rng.choice([10, 3999, 4000, 4001, 5000])])
        if rng.random() < 0.7:
            ev["payload"] = {"rows": e * 1000, "ms": rng.choice([0.1, 1e-7, 12.5, 1e22, 123456789.123, -0.0, 2.5e-5]), "ok": e % 2 == 0,
                             "list": [1, 2.0, "3", None], "big": 2 ** 70 + e, "uni": "\u00e9\u65e5\u0001"}
        if rng.random() < 0.1:
            ev["payload_uri"] = "s3://payloads/%d/%d" % (r, e)
        events.append(ev)
    # Some events come before their run, in the same batch or not.
    if r % 3 == 0 and events:
        add(events.pop(0))
    add(run)
    for ev in events:
        add(ev)
    if r % 4 == 1:
        lines.append("")
        lines.append("   ")
    if r == 3:
        add(None, '{"type":"event","id":"bad-json","run_id":"run-03","kind":"log"')
    # (No foreign-key failure: its message now names the run, on purpose; tst_ingestor checks it.)
    if r == 5:
        add({"type": "event", "id": "bad-seq", "run_id": "run-05", "seq": 1, "kind": "log", "created_at": t(1)})
    if r == 6:
        add({"type": "run", "id": "bad-status", "kind": "k", "status": "done", "created_at": t(1)})
    if r == 7:
        add({"type": "event", "id": "bad-level", "run_id": "run-07", "kind": "log", "level": "fatal", "created_at": t(1)})
    if r == 8:
        add({"type": "event", "id": "bad-time", "run_id": "run-08", "kind": "log", "created_at": "tuesday"})
    if r == 9:
        add({"type": "run", "id": "bad-field", "kind": "k", "colour": "red", "created_at": t(1)})
    if r == 10:
        add({"type": "event", "id": "ev-10-000", "run_id": "run-10", "kind": "log", "created_at": t(1)})  # id already used
        add({"type": "event", "id": "bad-nan", "run_id": "run-10", "kind": "log", "payload": {"x": float("nan")}, "created_at": t(1)})

print("\r\n".join(lines[:40]) + "\n" + "\n".join(lines[40:]))
