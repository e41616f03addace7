#!/usr/bin/env python3
"""Writes tests/data/fromisoformat.jsonl: how Python 3.11's datetime.fromisoformat() reads
generated time texts, and the naive-UTC column text dbdeck stores for each, for the
differential test in tests/core/tst_utctime.cpp.

Made with:  python3 tests/data/generators/isoformat_vectors.py > tests/data/fromisoformat.jsonl
(Python 3.11.7, its C datetime module; fixed seed, so the output is the same every time). The
test suite only reads the committed file; it never runs Python.

Each line is {"text": BASE64, "db": "YYYY-MM-DD HH:MM:SS.ffffff"} or {"text": BASE64, "error":
true}. text is the UTF-8 given to fromisoformat. A time with an offset is converted with
astimezone(timezone.utc); a naive one is taken as UTC (dbdeck's rule). error: fromisoformat
raised ValueError, or the conversion raised OverflowError (outside the years 1..9999 in UTC).
"""
import base64
import datetime
import json
import random
import sys

rng = random.Random(1122)
seen = set()


def emit(text):
    if text in seen:
        return
    seen.add(text)
    record = {"text": base64.b64encode(text.encode("utf-8")).decode()}
    try:
        value = datetime.datetime.fromisoformat(text)
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        record["db"] = value.strftime("%Y-%m-%d %H:%M:%S.%f").rjust(26, "0")
    except (ValueError, OverflowError):
        record["error"] = True
    sys.stdout.write(json.dumps(record, sort_keys=True) + "\n")


def d(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


dates = ["2026-11-22", "20261122", "2026-W47", "2026W47", "2026-W47-1", "2026W471", "2026-W53-1", "2020-W53-7",
         "2021-W53", "0001-01-01", "9999-12-31", "0000-01-01", "2028-02-29", "2027-02-29", "2026-13-01", "2026-00-10",
         "2026-04-31", "2026-W00", "2026-W54", "2026-W01-8", "2026-W01-0", "9999-W52-5", "9999-W52-6", "0001-W01-1",
         "2026-11", "2026-1122", "202611-22", "2026-W4", "+2026-11-22", "2026-11-2", "２０２６-11-22"]
times = ["", "10", "10:11", "1011", "10:11:12", "101112", "10:11:12.5", "10:11:12,5", "10:11:12.123456",
         "10:11:12.1234567", "10:11:12.1234565", "10:11:12.123456789012", "10:11:12.", "10:11:12.12a", "23:59:59.999999",
         "24:00", "23:60", "23:59:60", "10:11:12:5", "10:1112", "1011:12", "10:11:1", "1", "10:11:12.0000001",
         "10:11:12.5a", "10:11:12 ", " 10:11"]
zones = ["", "Z", "z", "+00:00", "-00:00", "+02:00", "-02:00", "+0200", "+02", "-0130", "+01:30:15", "+013015",
         "+01:30:15.5", "+01:30:15.123456", "+01:30:15.1234567", "+23:59", "-23:59:59.999999", "+24:00", "-24:00",
         "+2", "+020", "+02:0", "Z+01:00", "ZZ", "+02:00Z", "+02:00 ", "+99:00", "+02:60"]
separators = ["T", " ", "t", "x", "_", "é", "1", "\u2003"]

for date in dates:
    emit(date)
    for sep in separators[:2]:
        for time in times:
            for zone in zones[:7]:
                if time:
                    emit(date + sep + time + zone)
for sep in separators:
    for time in times:
        emit("2026-11-22" + sep + time)
for time in times:
    for zone in zones:
        emit("2026-11-22T" + time + zone)
# Offsets that move the date across a month, a year and the range's ends.
for text in ["9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59+01:00", "9999-12-31T23:00:00-00:59:59.999999",
             "0001-01-01T00:30:00+01:00", "0001-01-01T00:30:00-01:00", "0001-01-01T00:00:00+00:00:00.000001",
             "2026-01-01T00:30:00+01:00", "2026-03-01T00:00:00+00:00:01", "2024-02-29T23:00:00-02:00"]:
    emit(text)
# Random texts of the common shapes, with random digits: most are valid, some fall outside a field.
for _ in range(3000):
    shape = rng.randrange(4)
    if shape == 0:
        text = "%s-%s-%sT%s:%s:%s.%s%s" % (d(4), d(2), d(2), d(2), d(2), d(2), d(rng.randint(1, 9)), rng.choice(zones[:14]))
    elif shape == 1:
        text = "%s%s%sT%s%s%s%s" % (d(4), d(2), d(2), d(2), d(2), d(2), rng.choice(["", "Z", "+" + d(4), "-" + d(2)]))
    elif shape == 2:
        text = "%s-W%s-%s %s:%s" % (d(4), d(2), d(1), d(2), d(2))
    else:
        text = "%s-%s-%s %s:%s:%s%s" % (rng.choice(["2026", "1970", "0001", "9999", d(4)]), "%02d" % rng.randint(1, 12),
                                        "%02d" % rng.randint(1, 31), "%02d" % rng.randint(0, 23), "%02d" % rng.randint(0, 59),
                                        "%02d" % rng.randint(0, 59), rng.choice(["", ".%s" % d(6), "+%02d:%02d" % (rng.randint(0, 23), rng.randint(0, 59))]))
    emit(text)
for text in ["", "2026", "2026-1", "yesterday", "2026-11-22T10:11:12\x00", "2026-11-22\x00", "2026-11-22T", "2026-11-22TZ",
             "2026-11-22T10:11Z\x00"]:
    emit(text)
print("%d vectors" % len(seen), file=sys.stderr)
