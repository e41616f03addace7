#!/usr/bin/env python3
"""Writes tests/data/json_differential.jsonl: what Python's own json module makes of 13,000
generated JSON texts, for dbdeck's differential test (tests/core/tst_jsondocument.cpp).

Made with:  python3 tests/data/generators/json_vectors.py > tests/data/json_differential.jsonl
(Python 3.11.7, fixed seed: the output is the same every time). The test suite only reads the
committed file; it never runs Python.

Each line is {"case": NAME, "input": BASE64, "canonical": BASE64} or {"case": NAME, "input":
BASE64, "error": true}. input is the UTF-8 text given to json.loads; canonical is
json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
encoded as UTF-8; error means decoding the UTF-8 or json.loads raised, or dumps did (NaN, Infinity), or the result
cannot be encoded as UTF-8 (a lone surrogate). Base64 keeps every byte exact (NULs, invalid
UTF-8, surrogate escapes) without relying on the JSON reader under test to read its own vectors.
"""
import base64
import json
import math
import random
import struct
import sys

rng = random.Random(20261122)
out = sys.stdout
count = 0


def emit(case, text):
    global count
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    record = {"case": case, "input": base64.b64encode(data).decode()}
    try:
        value = json.loads(data.decode("utf-8"))  # a line as the application reads it: text
        canonical = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
        record["canonical"] = base64.b64encode(canonical.encode("utf-8")).decode()
    except (ValueError, UnicodeError, RecursionError):
        record["error"] = True
    out.write(json.dumps(record, sort_keys=True) + "\n")
    count += 1


def random_double():
    while True:
        bits = rng.getrandbits(64)
        d = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if math.isfinite(d):
            return d


def decimal_literal():
    """A literal as people and other programs write them: any digits, any exponent."""
    sign = rng.choice(["", "", "-"])
    intpart = rng.choice(["0", str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 30)))])
    frac = ""
    if rng.random() < 0.7:
        frac = "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40)))
    exp = ""
    if rng.random() < 0.6 or not frac:
        exp = rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 400))
    return sign + intpart + frac + exp


def random_char():
    plane = rng.random()
    if plane < 0.4:
        cp = rng.randint(0x20, 0x7E)
    elif plane < 0.55:
        cp = rng.randint(0, 0x1F)
    elif plane < 0.75:
        cp = rng.randint(0x80, 0xD7FF)
    elif plane < 0.85:
        cp = rng.choice([0xFFFE, 0xFFFF, 0xFEFF, 0x2028, 0x2029, 0x7F, 0xE000, 0xFFFD])
    else:
        cp = rng.randint(0x10000, 0x10FFFF)
    return chr(cp)


def random_string(n=None):
    return "".join(random_char() for _ in range(rng.randint(0, 12) if n is None else n))


def random_value(depth=0):
    r = rng.random()
    if depth > 3 or r < 0.55:
        kind = rng.randrange(7)
        if kind == 0:
            return random_double()
        if kind == 1:
            return rng.randint(-(2 ** 70), 2 ** 70)
        if kind == 2:
            return random_string()
        if kind == 3:
            return rng.choice([True, False, None])
        if kind == 4:
            return rng.randint(-1000, 1000)
        if kind == 5:
            return float(rng.randint(-10 ** 6, 10 ** 6))
        return rng.uniform(-1e3, 1e3)
    if r < 0.75:
        return [random_value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_string(): random_value(depth + 1) for _ in range(rng.randint(0, 4))}


def dumps_variant(value):
    return json.dumps(value, ensure_ascii=rng.random() < 0.5, sort_keys=rng.random() < 0.3,
                      indent=rng.choice([None, None, 2, "\t"]),
                      separators=rng.choice([None, (",", ":"), (" , ", " : ")]))


# Doubles from every exponent range: random bit patterns (all binary exponents), then decimal
# ones around every power of ten from 1e-330 to 1e310, subnormals and the edges.
for _ in range(2500):
    emit("random double bits", repr(random_double()))
for e in range(-330, 311):
    for _ in range(3):
        emit("power of ten %d" % e, "%se%d" % (rng.choice(["1", "-1", str(rng.uniform(1, 10))[:rng.randint(3, 19)]]), e))
for text in ["5e-324", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2e-324", "1e-400", "-1e-400",
             "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623158e308",
             "1.7976931348623159e308", "1e309", "-1e309", "0e999999999999", "1e-999999999999", "1e999999999999",
             "0.0", "-0.0", "0e0", "-0e-0", "1E+2", "1e-7", "123456789012345678901234567890.5"]:
    emit("edge double", text)
for _ in range(2000):
    emit("decimal literal", decimal_literal())
for n in [1, 2, 300, 700, 1000, 5000]:
    emit("long fraction %d" % n, "0." + "".join(rng.choice("0123456789") for _ in range(n)) + "1")
    emit("long zeros %d" % n, "0." + "0" * n + "1")
    emit("long integer part %d" % n, "1" + "0" * n + ".5")

# Integers: small, around 64 bits, big, and Python's 4300-digit limit.
for _ in range(700):
    emit("small integer", str(rng.randint(-10 ** 6, 10 ** 6)))
for _ in range(700):
    emit("64-bit edge", str(rng.choice([1, -1]) * (2 ** 63 + rng.randint(-10 ** 4, 10 ** 4))))
for _ in range(500):
    emit("big integer", str(rng.randint(-(10 ** rng.randint(19, 400)), 10 ** rng.randint(19, 400))))
for n in [4299, 4300, 4301, 5000]:
    emit("integer of %d digits" % n, "9" * n)
    emit("negative integer of %d digits" % n, "-" + "9" * n)
emit("minus zero", "-0")

# Strings and keys from every plane, written escaped and raw; surrogate escapes, paired or not.
for _ in range(1500):
    obj = {random_string(): random_value(3) for _ in range(rng.randint(1, 6))}
    emit("unicode keys", dumps_variant(obj))
for _ in range(600):
    s = random_string(rng.randint(0, 20))
    emit("string", json.dumps(s, ensure_ascii=rng.random() < 0.5))
for _ in range(300):
    hi = rng.randint(0xD800, 0xDBFF)
    lo = rng.randint(0xDC00, 0xDFFF)
    emit("surrogate pair", '"a\\u%04x\\u%04xb"' % (hi, lo))
    emit("lone high surrogate", '"a\\u%04xb"' % hi)
    emit("lone low surrogate", '{"\\u%04x":1}' % lo)
    emit("reversed pair", '"\\u%04x\\u%04x"' % (lo, hi))
for text in ['"\\u0x41"', '"\\u004"', '"\\u00e9"', '"\\u00E9"', '"\\uD83D\\uDE00"', '"\\ud83d\\u0041"', '"\\/"', '"\\x41"',
             '"\\u+041"', '"\\u 041"', '"\\U0041"', '"\ufffe\uffff"', '"\\ufffe\\uffff"']:
    emit("escape", text)

# Whole documents, written by json.dumps in every style.
for _ in range(1500):
    emit("document", dumps_variant(random_value()))
for _ in range(200):
    obj = {}
    key = random_string(3)
    obj[key] = 1
    emit("repeated key", '{%s:1,%s:2,"z":[%s]}' % (json.dumps(key), json.dumps(key), json.dumps(key)))

# Refused texts.
for text in ["", " ", "{", "[1,]", "{a:1}", '{"a" 1}', "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "[1 2]",
             "nan", "NaN", "Infinity", "-Infinity", '{"a":NaN}', "[Infinity]", "tru", "nul", '"a\nb"', '"\t"', "{} {}",
             "[", "]", '"abc', "1 2", "\u00a01", "\ufeff{}", "[1]\x00", "\x00"]:
    emit("refused", text)
for raw in [b'"\xff"', b'"\xc3"', b'"\xc3\x28"', b'"\xe2\x82"', b'"\xed\xa0\x80"', b'"\xf4\x90\x80\x80"', b'"\xc0\xaf"',
            b'"\xe0\x80\xaf"', b'"\xf0\x80\x80\xaf"', b'{"a":"ok","b":"\x80"}', b'\xef\xbb\xbf{}']:
    emit("bytes", raw)
for depth in [1, 10, 100, 500, 900, 990]:
    emit("nested arrays %d" % depth, "[" * depth + "]" * depth)
    emit("nested objects %d" % depth, '{"a":' * depth + "1" + "}" * depth)

print("%d vectors" % count, file=sys.stderr)
