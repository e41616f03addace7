#!/usr/bin/env python3
"""Generates tests/data/pydantic_settings.jsonl: the settings the application gets from a .env file
and the environment, as pydantic-settings (with python-dotenv) reads them.

Run with an interpreter that has pydantic-settings and python-dotenv (on the project's machines,
`python3` from pyenv):

    python3 tests/data/generators/gen_pydantic_settings.py > tests/data/pydantic_settings.jsonl

The test suite reads the committed table; it does not need Python.

The application's settings class is assumed to be the one below: dbdeck's settings with their
defaults and types, env_file=".env", case-insensitive names, and extra="ignore" (other names in a
shared .env are not the application's business; with pydantic-settings' default extra="forbid"
every other non-empty name in .env would be an error).

Each case is run in an empty folder holding only that .env (written byte for byte, "dotenv_b64"
when it is not UTF-8 text), with os.environ replaced by exactly "environ". A line records
"expected": the effective value of every setting, or "errors": the settings pydantic refused and
pydantic's error type. "dbdeck_refuses" names settings that pydantic accepts but dbdeck refuses on
purpose because SQLite (or dbdeck) cannot use the value, and why.
"""

import base64
import json
import os
import sys
import tempfile

import dotenv
import pydantic
import pydantic_settings
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", case_sensitive=False, extra="ignore")

    db_url: str = "sqlite:///./data/app.db"
    echo_sql: bool = False
    pool_pre_ping: bool = True
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    sqlite_journal_mode: str = "WAL"
    sqlite_synchronous: str = "NORMAL"
    sqlite_foreign_keys: bool = True
    migrations_dir: str = "./migrations"
    app_env: str = "development"


JOURNAL = {"DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"}
# What SQLite's PRAGMA synchronous understands (names, 0..3, and its boolean words).
SYNCHRONOUS = {"OFF", "NORMAL", "FULL", "EXTRA", "0", "1", "2", "3", "ON", "YES", "TRUE", "NO", "FALSE"}

CASES = [
    # name, .env text (str, bytes or None for no file), environment
    ("plain", "DB_URL=sqlite:///a.db\n", {}),
    ("no file, defaults", None, {}),
    ("spaces around =", "  ECHO_SQL =  true  \n", {}),
    ("export", "export APP_ENV=staging\n", {}),
    ("single quotes literal", "APP_ENV='a \\n #b'\n", {}),
    ("single quotes escaped quote", "APP_ENV='it\\'s'\n", {}),
    ("single quotes escaped backslash", "APP_ENV='a\\\\b'\n", {}),
    ("double quotes escapes", "APP_ENV=\"a\\nb \\\"q\\\" \\\\ \\t\\x\"\n", {}),
    ("double quotes \\' and \\a", "APP_ENV=\"it\\'s\\a\"\n", {}),
    ("inline comment", "APP_ENV=value # comment\n", {}),
    ("hash inside value", "APP_ENV=pa#ss\n", {}),
    ("tab then hash", "APP_ENV=val\t#c\n", {}),
    ("quoted then comment", "APP_ENV=\"v\" # c\n", {}),
    ("quoted then text", "APP_ENV='a' b\nECHO_SQL=true\n", {}),
    ("empty value", "APP_ENV=\n", {}),
    ("empty quoted value", "APP_ENV=''\n", {}),
    ("empty bool value", "ECHO_SQL=\n", {}),
    ("empty int value", "SQLITE_BUSY_TIMEOUT_MS=\n", {}),
    ("line without = ignored", "APP_ENV\nECHO_SQL=true\n", {}),
    ("name only overrides nothing", "ECHO_SQL=true\nECHO_SQL\n", {}),
    ("malformed line skipped", "not a line\nAPP_ENV=after\n", {}),
    ("unclosed quote skipped", "APP_ENV=\"abc\nECHO_SQL=true\n", {}),
    ("lower-case name", "db_url=sqlite:///lower.db\n", {}),
    ("mixed-case name", "Sqlite_Journal_Mode=delete\n", {}),
    ("later line wins", "APP_ENV=one\nAPP_ENV=two\n", {}),
    ("later spelling wins", "APP_ENV=one\napp_env=two\n", {}),
    ("comments and blanks", "# header\n\n  # indented\nAPP_ENV=1\n", {}),
    ("crlf", "APP_ENV=a\r\nECHO_SQL=yes\r\n", {}),
    ("cr only", "APP_ENV=a\rECHO_SQL=yes\r", {}),
    ("no final newline", "APP_ENV=last", {}),
    ("utf-8 bom", "\ufeffDB_URL=sqlite:///bom.db\nAPP_ENV=second\n", {}),
    ("utf-8 bom before comment", "\ufeff# c\nDB_URL=sqlite:///bom.db\n", {}),
    ("unicode value", "APP_ENV=ünïcødé ✓\n", {}),
    ("quoted key", "'APP_ENV'=quoted-key\n", {}),
    ("key with dot", "APP.ENV=x\nAPP_ENV=y\n", {}),
    ("key starting with digit", "1X=2\nAPP_ENV=z\n", {}),
    ("multi-line double quoted", "APP_ENV=\"line1\nline2\"\nECHO_SQL=true\n", {}),
    ("multi-line single quoted", "APP_ENV='line1\nline2'\n", {}),
    ("multi-line then comment", "APP_ENV=\"a\nb\" # c\nECHO_SQL=1\n", {}),
    ("expand from file", "DATA=/srv/data\nDB_URL=sqlite:///${DATA}/app.db\n", {}),
    ("expand from environment", "DB_URL=sqlite:///${DATA}/app.db\n", {"DATA": "/env/data"}),
    ("file overrides environment in expansion", "DATA=/file\nDB_URL=sqlite:///${DATA}/app.db\n", {"DATA": "/env"}),
    ("expand later name not yet defined", "DB_URL=sqlite:///${DATA}/app.db\nDATA=/late\n", {}),
    ("expand missing is empty", "DB_URL=sqlite:///${NOPE}app.db\n", {}),
    ("expand default", "DB_URL=sqlite:///${NOPE:-/dflt}/app.db\n", {}),
    ("expand default unused", "DB_URL=sqlite:///${DATA:-/dflt}/app.db\n", {"DATA": "/set"}),
    ("expand empty variable, default", "DB_URL=sqlite:///${DATA:-/dflt}/app.db\n", {"DATA": ""}),
    ("expand in single quotes", "DATA=/x\nAPP_ENV='${DATA}'\n", {}),
    ("expand in double quotes", "DATA=/x\nAPP_ENV=\"${DATA}\"\n", {}),
    ("dollar without braces kept", "DATA=/x\nAPP_ENV=$DATA\n", {}),
    ("expand is case-sensitive", "data=/lower\nAPP_ENV=${DATA}\n", {}),
    ("expand empty name", "APP_ENV=a${}b\n", {}),
    ("expand nested default", "APP_ENV=${A:-${B}}\n", {"B": "bee"}),
    ("expand unclosed", "APP_ENV=${DATA\n", {"DATA": "x"}),
    ("expand setting from environment", "APP_ENV=${APP_ENV}-x\n", {"APP_ENV": "prod"}),
    ("environment beats .env", "APP_ENV=file\n", {"APP_ENV": "env"}),
    ("environment lower-case name", "", {"app_env": "lower-env"}),
    ("environment empty value beats .env", "ECHO_SQL=true\n", {"ECHO_SQL": ""}),
    ("environment empty string setting", "APP_ENV=file\n", {"APP_ENV": ""}),
    ("environment value not stripped", "", {"APP_ENV": "  spaced  "}),
    ("environment value with newline", "", {"APP_ENV": "a\nb"}),
] + [
    ("bool %r" % v, "ECHO_SQL=%s\n" % v if v.strip() == v and "#" not in v else "ECHO_SQL=\"%s\"\n" % v, {})
    for v in ["true", "TRUE", "True", "1", "yes", "Yes", "on", "ON", "t", "T", "y", "Y",
              "false", "False", "0", "no", "off", "OFF", "f", "F", "n", "N",
              "maybe", "2", "1.0", " true", "true ", "tr ue", "yes\t", "None", "null"]
] + [
    ("bool from environment %r" % v, None, {"SQLITE_FOREIGN_KEYS": v})
    for v in ["off", " off", "n", "FALSE", "0 "]
] + [
    ("int %r" % v, "SQLITE_BUSY_TIMEOUT_MS=\"%s\"\n" % v, {})
    for v in ["5000", "0", "5_000", " 5000 ", "5000.0", "5000.000", "1_000.0", "5000.5", "+5", "-0",
              "-1", "-5", "5e3", "0x10", "1__0", "_1", "1_", "0005", "5.", ".5", "abc", "",
              "2147483647", "2147483648", "99999999999999999999", "-0.0", "5.0_0", "\t7\n", "١٢"]
] + [
    ("journal mode %r" % v, "SQLITE_JOURNAL_MODE=%s\n" % v, {})
    for v in ["wal", "WAL", "delete", "Truncate", "persist", "memory", "off", "wall", " wal"]
] + [
    ("synchronous %r" % v, "SQLITE_SYNCHRONOUS=\"%s\"\n" % v, {})
    for v in ["normal", "FULL", "off", "extra", "0", "1", "2", "3", "4", "-1", "on", "yes", "true",
              "no", "false", "sometimes", " full "]
] + [
    ("migrations dir empty", "MIGRATIONS_DIR=\n", {}),
    ("app env empty", "APP_ENV=''\n", {}),
    ("db url empty", "DB_URL=\n", {}),
    ("db url with spaces kept", "DB_URL=\"sqlite:///a.db \"\n", {}),
    ("latin-1 bytes", b"APP_ENV=caf\xe9\nECHO_SQL=true\n", {}),
]


def run_case(name, text, environ):
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        if text is not None:
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            with open(".env", "wb") as f:
                f.write(data)
        os.environ.clear()
        os.environ.update(environ)
        row = {"name": name, "environ": environ}
        if isinstance(text, bytes):
            row["dotenv_b64"] = base64.b64encode(text).decode("ascii")
        else:
            row["dotenv"] = text
        try:
            settings = Settings()
            row["expected"] = {k.upper(): v for k, v in settings.model_dump().items()}
            refuse = {}
            s = row["expected"]
            if s["SQLITE_JOURNAL_MODE"].strip().upper() not in JOURNAL:
                refuse["SQLITE_JOURNAL_MODE"] = "SQLite has no such journal mode (it would keep the current one)"
            if s["SQLITE_SYNCHRONOUS"].strip().upper() not in SYNCHRONOUS:
                refuse["SQLITE_SYNCHRONOUS"] = "SQLite would silently use NORMAL (or an undefined level)"
            if s["SQLITE_BUSY_TIMEOUT_MS"] > 2**31 - 1:
                refuse["SQLITE_BUSY_TIMEOUT_MS"] = "SQLite's busy timeout is a 32-bit int"
            for key in ("MIGRATIONS_DIR", "APP_ENV"):
                if s[key] == "":
                    refuse[key] = "empty"
            if s["DB_URL"] == "":
                refuse["DB_URL"] = "SQLAlchemy cannot parse an empty URL"
            if refuse:
                row["dbdeck_refuses"] = refuse
        except ValidationError as e:
            row["errors"] = {str(err["loc"][0]).upper(): err["type"] for err in e.errors()}
        except Exception as e:  # noqa: BLE001 - the application would not start at all
            row["exception"] = "%s: %s" % (type(e).__name__, e)
        return row


def main():
    saved = dict(os.environ)
    rows = [run_case(*case) for case in CASES]
    os.environ.clear()
    os.environ.update(saved)
    print(json.dumps({"generator": "tests/data/generators/gen_pydantic_settings.py",
                      "pydantic": pydantic.VERSION, "pydantic_settings": pydantic_settings.__version__,
                      "python_dotenv": getattr(dotenv, "__version__", None) or
                      __import__("importlib.metadata").metadata.version("python-dotenv")}, sort_keys=True))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, sort_keys=True))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
