#!/usr/bin/python3
"""Generates tests/data/sqlalchemy_urls.jsonl: what SQLAlchemy makes of each database URL.

Run with Debian's interpreter, which has python3-sqlalchemy (1.4) and python3-psycopg2:

    apt-get install python3-sqlalchemy python3-psycopg2
    /usr/bin/python3 tests/data/generators/gen_sqlalchemy_urls.py > tests/data/sqlalchemy_urls.jsonl

Neither package is a dependency of dbdeck: the generated table is committed and the test suite
reads it without Python.

Each line is one URL and what the real libraries did with it:
  "make_url": sqlalchemy.engine.make_url(url): drivername, username, password, host, port,
              database (null = None) and query as [key, value-or-list] pairs, exactly as decoded;
              or "make_url_error".
  "$PARENT": the folder above the working directory.
  "dialect_error": the URL parses but SQLAlchemy has no dialect of that name (create_engine fails).
  SQLite: "sqlite": {"filename", "uri", "options"} = dialect.create_connect_args(url): the string
              handed to sqlite3.connect() (an absolute path has "$CWD" for the working directory),
              whether it is opened as a URI, and the other pysqlite options; or "connect_error".
  PostgreSQL (psycopg2 dialect): "libpq": the key words libpq receives: create_connect_args()
              handed to psycopg2.extensions.make_dsn() and read back with parse_dsn() (libpq's own
              PQconninfoParse); or "connect_error".
  "sqlalchemy_2_0": present where SQLAlchemy 2.0 differs from 1.4 (the psycopg dialects' multi-host
              handling was rewritten in 2.0): the 2.0 result replaces the 1.4 one and "note" says
              how 1.4 differed. make_url() itself is the same in 1.4.46 and 2.0 (same regular
              expression, user name and password unquoted, host and database kept as written,
              query read with urllib.parse.parse_qsl).
  "dbdeck_refuses": dbdeck refuses this URL on purpose although SQLAlchemy accepts it, and why.
  A "connect_error" that libpq raises (an unknown key word) is left to libpq by dbdeck too: it
  then fails when connecting, as the application does.
  The +asyncpg row is read with the psycopg dialect: dbdeck reads asyncpg URLs as libpq key words.
"""

import json
import os
import re
import sys
import tempfile

import psycopg2.extensions as pgext
from sqlalchemy import exc
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

SQLITE = [
    "sqlite:///relative.db", "sqlite:///./data/app.db", "sqlite:////abs/dir/app.db",
    "sqlite:///:memory:", "sqlite://", "sqlite:///", "sqlite+pysqlite:///x.db",
    "sqlite+aiosqlite:///x.db", "SQLite:///x.db", "sqlite+foo:///x.db", "sqlite:/x.db", "sqlite:x.db",
    "sqlite:///sp%20ace.db", "sqlite:///sub%2Fdir.db", "sqlite:///a%00b.db", "sqlite:///a b.db",
    "sqlite:///%zz.db", "sqlite:///app.db%3Fmode=ro", "sqlite:///a.db#frag", "sqlite:///a.db ",
    " sqlite:///a.db", "sqlite:///a\nb.db", "sqlite:///../up.db", "sqlite:////tmp/x/../y.db",
    "sqlite://///double.db", "sqlite:///dir/", "sqlite:///ünï.db",
    "sqlite:///a.db?mode=ro", "sqlite:///a.db?uri=false&mode=ro",
    "sqlite:///file:app.db?mode=ro&uri=true", "sqlite:///file:data/app.db?mode=ro&uri=true",
    "sqlite:///file:/abs/app.db?immutable=1&uri=true", "sqlite:///file:app.db?uri=true",
    "sqlite:///file:app.db?uri=1&mode=rw&cache=shared", "sqlite:///file::memory:?cache=shared&uri=true",
    "sqlite:///file:app.db?uri=yes&timeout=5", "sqlite:///file:app.db?uri=on&mode=ro&nolock=1",
    "sqlite:///file:a%20b.db?uri=true", "sqlite:///file:a%2520b.db?uri=true&mode=ro",
    "sqlite:///file:app.db?uri=true&vfs=unix%2Dnone", "sqlite:///file://localhost/abs/app.db?uri=true",
    "sqlite:///file:app.db", "sqlite:///file:app.db?mode=ro", "sqlite:///a.db?uri=true&mode=ro",
    "sqlite:///file:app.db?uri=true&mode=ro&mode=rw", "sqlite:///app.db?uri=maybe",
    "sqlite:///app.db?timeout=abc", "sqlite:///app.db?timeout=2.5", "sqlite:///app.db?timeout=+1_0",
    "sqlite:///app.db?check_same_thread=no", "sqlite:///app.db?detect_types=x",
    "sqlite:///app.db?isolation_level=IMMEDIATE", "sqlite:///app.db?cached_statements=5",
    "sqlite://host/app.db", "sqlite://user@/app.db", "sqlite://:pw@/x.db", "sqlite://:5/x.db",
    "sqlite:///a.db?a=&b", "sqlite:///file:app.db?uri=true&mode=r+o",
]

POSTGRES = [
    "postgresql://bob:secret@db.example:5433/app", "postgresql+psycopg://u:p@h/d",
    "postgresql+psycopg2://u@h:1/d", "postgresql+asyncpg://u:p@localhost/d",
    "postgresql://u:p%40ss%3Aw%2Fd@h/d", "postgresql://u:a:b/c@h/d", "postgresql://us?r:secret@h/d",
    "postgresql://a@b:pw@h/d", "postgresql://us%40er:pw@h/d", "postgresql://u:p+w@h/d",
    "postgresql://u:p%2Bw@h/d", "postgresql://u:@h/d", "postgresql://u@h/d", "postgresql://@h/d",
    "postgresql://u@%2Fvar%2Frun%2Fpostgresql/d", "postgresql://u:p@[::1]:5432/d",
    "postgresql://u:p@[fe80::1%25eth0]/d", "postgresql:///d", "postgresql:///d?host=/var/run/postgresql",
    "postgresql://u@/d?host=%2Ftmp&port=5433", "postgresql://u@/d?host=h1:5432&host=h2:5433",
    "postgresql://u@/d?host=h1,h2&port=5432,5433", "postgresql://u@/d?host=h1:5433",
    "postgresql://u@h:5432/d?host=h1,h2", "postgresql://u@/d?host=h1,h2,h3&port=5432",
    "postgresql://u@/d?host=h1&host=h2", "postgresql://u@/d?host=/tmp&host=h2:5433",
    "postgresql://u@/d?host=h1:x&host=h2", "postgresql://u@/d?host=h1,h2&port=1,2,3",
    "postgresql://u:p@h:5432", "postgresql://u@h/", "postgresql://", "postgresql:///", "postgresql://h",
    "postgresql://u@h/my%20db", "postgresql://u@h/my db", "postgresql://u@h/d%zz",
    "postgresql://u@h/d?options=-csearch_path%3Dfoo", "postgresql://u@h/d?options=-csearch_path=foo",
    "postgresql://u@h/d?options=-c%20search_path%3Dfoo", "postgresql://u@h/d?options=-c+search_path%3Dfoo",
    "postgresql://u@h/d?options=-c%20search_path%3Dfoo%20-c%20statement_timeout%3D5s",
    "postgresql://u@h/d?sslmode=require", "postgresql://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem",
    "postgresql://u@h/d?sslcert=%2Fhome%2Fu%2Fc.crt&sslkey=/home/u/c.key",
    "postgresql://u@h/d?target_session_attrs=read-write", "postgresql://u@h/d?connect_timeout=5",
    "postgresql://u@h/d?application_name=my+app", "postgresql://u@h/d?application_name=my%2Bapp",
    "postgresql://u@h/d?application_name=it%27s%20%5Cme", "postgresql://u@h/d?password=hunter2",
    "postgresql://u:urlpw@h/d?password=querypw", "postgresql://u@h/d?user=other&dbname=otherdb",
    "postgresql://u@h/d?sslmode=require&sslmode=verify-full", "postgresql://u@h/d?a=&sslmode=require",
    "postgresql://u@h/d?&&sslmode=require", "postgresql://u@h/d?sslmode=require\nfoo",
    "postgresql://u@h/d?options=-c%20search_path%3Da%3Bb", "postgres://u:p@h/d",
    "postgresql+pg8000://u:p@h/d", "PostgreSQL://u@h/d", "postgresql://u:p@h:port/d",
    "postgresql://u:p@h:70000/d", "postgresql://u:p@h:/d", "postgresql://u:p@h:+5/d",
    "postgresql://u:p%zz@h/d", "postgresql://u:p%2@h/d", "postgresql://u%zz:p@h/d",
    "postgresql://u@h/d?application_name=a%zz", "postgresql://u:pässwörd@h/d",
    "postgresql://u:p%C3%A4ss@h/d", "postgresql://u:p%FFx@h/d", "postgresql://u:p@h/d?x=%FF",
]

MALFORMED_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def sqlalchemy_2_0_multihost(u):
    """SQLAlchemy 2.0's psycopg/psycopg2 handling of host= and port= in the query string, as its
    documentation (dialects/postgresql, "Specifying multiple fallback hosts") and source describe
    it, written out here because 1.4 does not have it. Returns (hosts, ports) or raises."""
    hosts, port_texts, integrated = None, None, False
    q = u.query
    if "host" in q:
        if isinstance(q["host"], tuple):
            integrated = True
            pairs = [tok.split(":") if ":" in tok else (tok, None) for tok in q["host"]]
            if any(len(p) != 2 for p in pairs):
                raise ValueError("too many values to unpack")
            hosts = tuple(p[0] for p in pairs)
            port_texts = tuple(p[1] for p in pairs)
        else:
            hosts = tuple(q["host"].split(","))
            if "port" not in q and len(hosts) == 1 and ":" in hosts[0]:
                m = re.match(r"^([a-zA-Z0-9\-\.]*)(?:\:(\d*))?$", hosts[0])
                if m:
                    integrated = True
                    hosts = (m.group(1),)
                    port_texts = (m.group(2),) if m.group(2) else (None,)
    if "port" in q:
        if integrated:
            raise exc.ArgumentError("Can't mix 'multihost' formats together")
        port_texts = q["port"] if isinstance(q["port"], tuple) else tuple(q["port"].split(","))
    ports = None
    if port_texts:
        try:
            ports = tuple(int(x) if x else None for x in port_texts)
        except ValueError:
            raise exc.ArgumentError("Received non-integer port arguments: %s" % (port_texts,))
    if ports and ((not hosts and len(ports) > 1)
                  or (hosts and len(hosts) != len(ports) and (len(hosts) > 1 or len(ports) > 1))):
        raise exc.ArgumentError("number of hosts and ports don't match")
    if hosts is not None and ports is None:
        ports = tuple(None for _ in hosts)
    return hosts, ports


def pg_connect_args_2_0(u):
    opts = u.translate_connect_args(username="user", database="dbname")
    hosts, ports = sqlalchemy_2_0_multihost(u)
    if not opts and not u.query:
        return ([""], {})
    if "port" in opts:
        opts["port"] = int(opts["port"])
    opts.update(u.query)
    if hosts:
        opts["host"] = ",".join(hosts)
        comma_ports = ",".join(str(p) if p else "" for p in ports)
        if comma_ports:
            opts["port"] = comma_ports
    return ([], opts)


def libpq_words(args):
    cargs, opts = args
    if any(isinstance(v, tuple) for v in opts.values()):
        # psycopg2 would hand str(tuple) to libpq; no real setting looks like that.
        raise ValueError("a repeated query parameter reaches psycopg2 as a Python tuple: %r" % (opts,))
    dsn = pgext.make_dsn(cargs[0] if cargs else None, **opts)
    return dict(pgext.parse_dsn(dsn))


def parts(u):
    return {
        "drivername": u.drivername, "username": u.username, "password": u.password, "host": u.host,
        "port": u.port, "database": u.database,
        "query": [[k, list(v) if isinstance(v, tuple) else v] for k, v in u.query.items()],
    }


def raw_userinfo_and_query(text):
    m = re.match(r"[\w+]+://(?:([^:/]*)(?::([^@]*))?@)?(?:\[[^/?]+\]|[^/:?]+)?(?::[^/?]*)?(?:/[^?]*)?(?:\?(.*))?", text)
    return [g for g in (m.group(1), m.group(2), m.group(3)) if g] if m else []


def row(text, cwd):
    out = {"url": text}
    refuse = []
    try:
        u = make_url(text)
    except Exception as e:  # noqa: BLE001 - the reference may raise anything
        out["make_url_error"] = "%s: %s" % (type(e).__name__, e)
        return out
    out["make_url"] = parts(u)
    if any(MALFORMED_ESCAPE.search(p) for p in raw_userinfo_and_query(text)):
        refuse.append("a malformed %-escape in a part SQLAlchemy decodes (user name, password or "
                      "query) is kept literally by SQLAlchemy; dbdeck refuses it as a likely typo")
    backend = u.drivername.split("+")[0]
    if u.drivername in ("postgresql+pg8000",):
        refuse.append("dbdeck connects through libpq; SQLAlchemy's %s driver does not use it and reads "
                      "its URLs differently" % u.drivername.split("+")[1])
    try:
        u.get_dialect()
    except Exception as e:  # noqa: BLE001
        if u.drivername != "postgresql+psycopg":
            out["dialect_error"] = "%s: %s" % (type(e).__name__, e)
            return out
        # psycopg (3) has a dialect in SQLAlchemy 2.0 only; it shares the 2.0 code read below.
        out["sqlalchemy_2_0"] = True
        out["note"] = "SQLAlchemy 1.4.46 has no postgresql+psycopg dialect"
    if backend == "sqlite":
        try:
            cargs, opts = SQLiteDialect_pysqlite().create_connect_args(u)
            filename = cargs[0]
            if filename.startswith(cwd):
                filename = "$CWD" + filename[len(cwd):]
            elif not (u.database or "").startswith("/") and filename.startswith(os.path.dirname(cwd) + "/"):
                filename = "$PARENT" + filename[len(os.path.dirname(cwd)):]
            mode = dict(u.query).get("mode")
            if opts.get("uri") and isinstance(mode, str) and mode not in ("ro", "rw", "rwc", "memory"):
                refuse.append("SQLite itself refuses this access mode when opening the URI (the "
                              "application fails to connect); dbdeck says so when reading the URL")
            out["sqlite"] = {"filename": filename, "uri": bool(opts.pop("uri", False)),
                             "options": {k: v for k, v in sorted(opts.items())}}
            if any(isinstance(v, tuple) for v in u.query.values()):
                refuse.append("a repeated query parameter: pysqlite's URI then holds Python's "
                              "rendering of a tuple")
            if "\x00" in filename:
                refuse.append("a NUL character cannot be part of a file name")
        except Exception as e:  # noqa: BLE001
            out["connect_error"] = "%s: %s" % (type(e).__name__, e)
    elif backend == "postgresql":
        args14 = None
        try:
            args14 = libpq_words(PGDialect_psycopg2().create_connect_args(u))
        except Exception as e:  # noqa: BLE001
            args14 = "%s: %s" % (type(e).__name__, e)
        try:
            args20 = libpq_words(pg_connect_args_2_0(u))
        except Exception as e:  # noqa: BLE001
            args20 = "%s: %s" % (type(e).__name__, e)
        if isinstance(args20, dict):
            out["libpq"] = args20
            if u.port is not None and not 1 <= u.port <= 65535:
                refuse.append("libpq refuses a port outside 1..65535 when connecting; dbdeck says so "
                              "when reading the URL")
            if any(";" in v for v in args20.values()):
                refuse.append("Qt's QPSQL driver turns every ';' of its connection options into a "
                              "space, so such a value cannot be passed on")
        else:
            out["connect_error"] = args20
            if any(isinstance(v, tuple) for k, v in u.query.items() if k not in ("host", "port")):
                out["connect_error"] += " (dbdeck: repeated query parameter)"
        if args14 != args20 and "note" not in out:
            out["sqlalchemy_2_0"] = True
            out["note"] = "SQLAlchemy 1.4.46 gives %s" % (json.dumps(args14, sort_keys=True),)
    if refuse:
        out["dbdeck_refuses"] = "; ".join(refuse)
    return out


def main():
    with tempfile.TemporaryDirectory() as cwd:
        os.chdir(cwd)
        cwd = os.getcwd()
        import sqlalchemy
        print(json.dumps({"generator": "tests/data/generators/gen_sqlalchemy_urls.py",
                          "sqlalchemy": sqlalchemy.__version__,
                          "psycopg2": __import__("psycopg2").__version__}, sort_keys=True))
        for text in SQLITE + POSTGRES:
            print(json.dumps(row(text, cwd), ensure_ascii=False, sort_keys=True))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
