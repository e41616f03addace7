#include "config/dburl.h"

#include <QDir>
#include <QTest>

using namespace dbdeck;

class tst_DbUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void relativeSqlitePathIsResolvedAgainstWorkingDirectory();
    void redactsPasswordsInText_data();
    void redactsPasswordsInText();
};

void tst_DbUrl::parsesValidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port"); // 0: none
    QTest::addColumn<bool>("memory");
    QTest::addColumn<QString>("redacted");

    const int sqlite = int(Backend::Sqlite), pg = int(Backend::Postgres);
    QTest::newRow("sqlite relative") << "sqlite:///relative.db" << sqlite << "" << "relative.db" << "" << "" << "" << 0
                                     << false << "sqlite:///relative.db";
    QTest::newRow("sqlite dot relative") << "sqlite:///./data/app.db" << sqlite << "" << "./data/app.db" << ""
                                         << "" << "" << 0 << false << "sqlite:///./data/app.db";
    QTest::newRow("sqlite absolute") << "sqlite:////var/lib/app.db" << sqlite << "" << "/var/lib/app.db" << ""
                                     << "" << "" << 0 << false << "sqlite:////var/lib/app.db";
    QTest::newRow("sqlite memory") << "sqlite:///:memory:" << sqlite << "" << ":memory:" << "" << "" << "" << 0
                                   << true << "sqlite:///:memory:";
    QTest::newRow("sqlite empty is memory") << "sqlite://" << sqlite << "" << "" << "" << "" << "" << 0 << true
                                            << "sqlite://";
    QTest::newRow("sqlite+aiosqlite") << "sqlite+aiosqlite:///app.db" << sqlite << "aiosqlite" << "app.db" << ""
                                      << "" << "" << 0 << false << "sqlite+aiosqlite:///app.db";
    QTest::newRow("sqlite+pysqlite") << "sqlite+pysqlite:////tmp/a b.db" << sqlite << "pysqlite" << "/tmp/a b.db"
                                     << "" << "" << "" << 0 << false << "sqlite+pysqlite:////tmp/a b.db";
    QTest::newRow("scheme case") << "SQLite:///x.db" << sqlite << "" << "x.db" << "" << "" << "" << 0 << false
                                 << "sqlite:///x.db";
    QTest::newRow("postgresql full") << "postgresql://bob:secret@db.example:5433/app" << pg << "" << "app" << "bob"
                                     << "secret" << "db.example" << 5433 << false
                                     << "postgresql://bob:***@db.example:5433/app";
    QTest::newRow("psycopg") << "postgresql+psycopg://u:p@h/d" << pg << "psycopg" << "d" << "u" << "p" << "h" << 0
                             << false << "postgresql+psycopg://u:***@h/d";
    QTest::newRow("psycopg2") << "postgresql+psycopg2://u@h:1/d" << pg << "psycopg2" << "d" << "u" << "" << "h" << 1
                              << false << "postgresql+psycopg2://u@h:1/d";
    QTest::newRow("asyncpg") << "postgresql+asyncpg://u:p@localhost/d" << pg << "asyncpg" << "d" << "u" << "p"
                             << "localhost" << 0 << false << "postgresql+asyncpg://u:***@localhost/d";
    QTest::newRow("percent-encoded password") << "postgresql://u:p%40ss%3Aw%2Fd@h/d" << pg << "" << "d" << "u"
                                              << "p@ss:w/d" << "h" << 0 << false << "postgresql://u:***@h/d";
    QTest::newRow("password with colon and slash") << "postgresql://u:a:b/c@h/d" << pg << "" << "d" << "u" << "a:b/c"
                                                   << "h" << 0 << false << "postgresql://u:***@h/d";
    QTest::newRow("query parameters") << "postgresql://u:p@h:5432/d?sslmode=require&application_name=dbdeck" << pg
                                      << "" << "d" << "u" << "p" << "h" << 5432 << false
                                      << "postgresql://u:***@h:5432/d?sslmode=require&application_name=dbdeck";
    QTest::newRow("password in query") << "postgresql://u@h/d?password=hunter2" << pg << "" << "d" << "u" << "" << "h"
                                       << 0 << false << "postgresql://u@h/d?password=***";
    QTest::newRow("ipv6 host") << "postgresql://u:p@[::1]:5432/d" << pg << "" << "d" << "u" << "p" << "::1" << 5432
                               << false << "postgresql://u:***@[::1]:5432/d";
    QTest::newRow("unix socket") << "postgresql:///d" << pg << "" << "d" << "" << "" << "" << 0 << false
                                 << "postgresql:///d";
}

void tst_DbUrl::parsesValidUrls()
{
    QFETCH(QString, url);
    QFETCH(int, backend);
    QFETCH(QString, driver);
    QFETCH(QString, database);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, memory);
    QFETCH(QString, redacted);

    QString error;
    const auto parsed = DbUrl::parse(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(int(parsed->backend()), backend);
    QCOMPARE(parsed->driverSuffix(), driver);
    QCOMPARE(parsed->database(), database);
    QCOMPARE(parsed->userName(), user);
    QCOMPARE(parsed->password(), password);
    QCOMPARE(parsed->host(), host);
    QCOMPARE(parsed->port().value_or(0), port);
    QCOMPARE(parsed->isMemory(), memory);
    QCOMPARE(parsed->redacted(), redacted);
    if (!password.isEmpty())
        QVERIFY(!parsed->redacted().contains(QLatin1Char(':') + password + QLatin1Char('@')));
}

void tst_DbUrl::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << "" << "the URL is empty";
    QTest::newRow("no scheme separator") << "data/app.db" << "malformed URL (no \"://\")";
    QTest::newRow("mysql") << "mysql://u:p@h/d"
                           << "unsupported URL scheme \"mysql\"; allowed: sqlite, sqlite+pysqlite, sqlite+aiosqlite, "
                              "postgresql, postgresql+psycopg, postgresql+psycopg2, postgresql+asyncpg";
    QTest::newRow("postgres alias") << "postgres://u:p@h/d" << "write postgresql://, as SQLAlchemy requires";
    QTest::newRow("unknown sqlite driver") << "sqlite+foo:///x.db" << "unsupported URL scheme \"sqlite+foo\"";
    QTest::newRow("bad port") << "postgresql://u:p@h:port/d" << "port \"port\" is not a number from 1 to 65535";
    QTest::newRow("port out of range") << "postgresql://u:p@h:70000/d" << "port \"70000\"";
    QTest::newRow("sqlite with host") << "sqlite://host/app.db" << "malformed SQLite URL: it has a host or user";
    QTest::newRow("postgres without database") << "postgresql://u:p@h:5432" << "no database name";
}

void tst_DbUrl::rejectsBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!DbUrl::parse(url, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String(":p@")));
}

void tst_DbUrl::relativeSqlitePathIsResolvedAgainstWorkingDirectory()
{
    const auto url = DbUrl::parse(QStringLiteral("sqlite:///./data/app.db"), nullptr);
    QVERIFY(url);
    QCOMPARE(url->sqliteFilePath(), QDir::current().absoluteFilePath(QStringLiteral("data/app.db")));
    const auto absolute = DbUrl::parse(QStringLiteral("sqlite:////tmp/x/../y.db"), nullptr);
    QCOMPARE(absolute->sqliteFilePath(), QStringLiteral("/tmp/y.db"));
}

void tst_DbUrl::redactsPasswordsInText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("url") << "postgresql://u:secret@h/d" << "postgresql://u:***@h/d";
    QTest::newRow("in a sentence") << "cannot use postgresql+asyncpg://bob:pa:ss@h:1/d now"
                                   << "cannot use postgresql+asyncpg://bob:***@h:1/d now";
    QTest::newRow("malformed port") << "postgresql://u:secret@h:x/d" << "postgresql://u:***@h:x/d";
    QTest::newRow("query") << "postgresql://u@h/d?sslmode=x&password=secret" << "postgresql://u@h/d?sslmode=x&password=***";
    QTest::newRow("no password") << "sqlite:///a.db" << "sqlite:///a.db";
}

void tst_DbUrl::redactsPasswordsInText()
{
    QFETCH(QString, text);
    QFETCH(QString, redacted);
    QCOMPARE(DbUrl::redactText(text), redacted);
}

QTEST_GUILESS_MAIN(tst_DbUrl)
#include "tst_dburl.moc"
