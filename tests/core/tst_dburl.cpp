#include "config/dburl.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace dbdeck;

namespace {

QString optionalText(const std::optional<QString> &value)
{
    return value ? QStringLiteral("\"%1\"").arg(*value) : QStringLiteral("None");
}

QString jsonText(const QJsonValue &value)
{
    return value.isNull() ? QStringLiteral("None") : QStringLiteral("\"%1\"").arg(value.toString());
}

// make_url()'s query: keys in first-seen order, a list where a key repeats.
QJsonArray groupedQuery(const DbUrl &url)
{
    QStringList order;
    QHash<QString, QStringList> values;
    for (const auto &[key, value] : url.queryItems()) {
        if (!order.contains(key))
            order << key;
        values[key] << value;
    }
    QJsonArray out;
    for (const QString &key : order) {
        const QStringList v = values.value(key);
        out.append(QJsonArray{key, v.size() == 1 ? QJsonValue(v.first()) : QJsonValue(QJsonArray::fromStringList(v))});
    }
    return out;
}

} // namespace

class tst_DbUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesSqlAlchemy_data();
    void matchesSqlAlchemy();
    void errorsSayWhatIsWrong_data();
    void errorsSayWhatIsWrong();
    void sqliteUriReading_data();
    void sqliteUriReading();
    void redactedKeepsTheUrlAsWritten_data();
    void redactedKeepsTheUrlAsWritten();
    void describeShowsPartsWithoutPassword();
};

void tst_DbUrl::matchesSqlAlchemy_data()
{
    QTest::addColumn<QJsonObject>("row");
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/sqlalchemy_urls.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int count = 0;
    while (!file.atEnd()) {
        const QJsonObject row = QJsonDocument::fromJson(file.readLine()).object();
        if (!row.contains(QStringLiteral("url")))
            continue; // the header line: which versions made the table
        QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(++count).arg(row.value(QStringLiteral("url")).toString())))
            << row;
    }
    QVERIFY(count > 100);
}

void tst_DbUrl::matchesSqlAlchemy()
{
    QFETCH(QJsonObject, row);
    const QString text = row.value(QStringLiteral("url")).toString();
    QString error;
    const auto url = DbUrl::parse(text, &error);
    const QString connectError = row.value(QStringLiteral("connect_error")).toString();
    const bool libpqRefusesLater = connectError.contains(QLatin1String("invalid connection option"));
    const bool refused = row.contains(QStringLiteral("make_url_error")) || row.contains(QStringLiteral("dialect_error"))
                         || row.contains(QStringLiteral("dbdeck_refuses")) || (!connectError.isEmpty() && !libpqRefusesLater);
    if (refused) {
        QVERIFY2(!url, qPrintable(QStringLiteral("dbdeck accepts what the application refuses: %1").arg(text)));
        QVERIFY(!error.isEmpty());
        const QJsonObject parts = row.value(QStringLiteral("make_url")).toObject();
        const QString password = parts.value(QStringLiteral("password")).toString();
        if (password.size() >= 3)
            QVERIFY2(!error.contains(password), qPrintable(error));
        return;
    }
    QVERIFY2(url, qPrintable(QStringLiteral("%1: %2").arg(text, error)));

    const QJsonObject parts = row.value(QStringLiteral("make_url")).toObject();
    QCOMPARE(url->scheme(), parts.value(QStringLiteral("drivername")).toString());
    QCOMPARE(optionalText(url->userNamePart()), jsonText(parts.value(QStringLiteral("username"))));
    QCOMPARE(optionalText(url->passwordPart()), jsonText(parts.value(QStringLiteral("password"))));
    QCOMPARE(optionalText(url->hostPart()), jsonText(parts.value(QStringLiteral("host"))));
    QCOMPARE(optionalText(url->databasePart()), jsonText(parts.value(QStringLiteral("database"))));
    const QJsonValue port = parts.value(QStringLiteral("port"));
    QCOMPARE(url->portPart().has_value(), !port.isNull());
    if (!port.isNull())
        QCOMPARE(*url->portPart(), qlonglong(port.toDouble()));
    QCOMPARE(groupedQuery(*url), parts.value(QStringLiteral("query")).toArray());

    if (row.contains(QStringLiteral("sqlite"))) {
        const QJsonObject sqlite = row.value(QStringLiteral("sqlite")).toObject();
        QString filename = sqlite.value(QStringLiteral("filename")).toString();
        filename.replace(QLatin1String("$CWD"), QDir::currentPath());
        filename.replace(QLatin1String("$PARENT"), QDir::cleanPath(QDir::currentPath() + QStringLiteral("/..")));
        QCOMPARE(url->backend(), Backend::Sqlite);
        QCOMPARE(url->sqliteOpenName(), filename);
        QCOMPARE(url->sqliteUri(), sqlite.value(QStringLiteral("uri")).toBool());
    } else if (row.contains(QStringLiteral("libpq"))) {
        QCOMPARE(url->backend(), Backend::Postgres);
        QJsonObject mine;
        for (const auto &[key, value] : url->libpqParameters())
            mine.insert(key, value);
        QCOMPARE(mine, row.value(QStringLiteral("libpq")).toObject());
    } else {
        QVERIFY(libpqRefusesLater); // handed on; libpq refuses the unknown key word when connecting
    }
}

void tst_DbUrl::errorsSayWhatIsWrong_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << "" << "the URL is empty";
    QTest::newRow("no scheme separator") << "data/app.db" << "malformed URL (no \"://\")";
    QTest::newRow("leading space") << " sqlite:///a.db" << "it starts with white space";
    QTest::newRow("mysql") << "mysql://u:p@h/d"
                           << "unsupported URL scheme \"mysql\"; allowed: sqlite, sqlite+pysqlite, sqlite+aiosqlite, "
                              "postgresql, postgresql+psycopg, postgresql+psycopg2, postgresql+asyncpg";
    QTest::newRow("scheme case") << "SQLite:///x.db" << "SQLAlchemy matches scheme names exactly: write sqlite://";
    QTest::newRow("postgres alias") << "postgres://u:p@h/d" << "write postgresql://, as SQLAlchemy requires";
    QTest::newRow("bad port") << "postgresql://u:p@h:port/d" << "the port is not a number";
    QTest::newRow("port out of range") << "postgresql://u:p@h:70000/d" << "the port 70000 is not a number from 1 to 65535";
    QTest::newRow("sqlite with host") << "sqlite://host/app.db" << "malformed SQLite URL: it has a host";
    QTest::newRow("malformed escape in password") << "postgresql://u:p%zz@h/d"
                                                  << "the password has a '%' that is not followed by two hex digits";
    QTest::newRow("truncated escape in user") << "postgresql://u%2:p@h/d" << "the user name has a '%'";
    QTest::newRow("malformed escape in query") << "postgresql://u@h/d?application_name=a%zz"
                                               << "the query parameter \"application_name\" has a '%'";
    QTest::newRow("semicolon for QPSQL") << "postgresql://u@h/d?options=-c%20search_path%3Da%3Bb"
                                         << "the URL's options contains a ';'";
    QTest::newRow("hosts and ports") << "postgresql://u@/d?host=h1,h2&port=1,2,3" << "gives 2 hosts but 3 ports";
    QTest::newRow("bad uri flag") << "sqlite:///a.db?uri=maybe" << "the URL's uri=maybe is not a boolean";
    QTest::newRow("sqlite repeated") << "sqlite:///file:a.db?uri=true&mode=ro&mode=rw"
                                     << "repeats the query parameter \"mode\"";
    QTest::newRow("uri authority") << "sqlite:///file://elsewhere/a.db?uri=true" << "SQLite refuses the URI authority";
    QTest::newRow("uri mode") << "sqlite:///file:a.db?uri=true&mode=readonly" << "SQLite has no access mode \"readonly\"";
    QTest::newRow("password as port") << "postgresql://u:S3cretPass/d" << "the port is not a number";
}

void tst_DbUrl::errorsSayWhatIsWrong()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!DbUrl::parse(url, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String("S3cretPass")) && !error.contains(QLatin1String(":p@")));
}

void tst_DbUrl::sqliteUriReading_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<bool>("memory");
    const QString cwd = QDir::currentPath();
    QTest::newRow("relative ro") << "sqlite:///file:data/app.db?mode=ro&uri=true" << cwd + "/data/app.db" << true << false;
    QTest::newRow("absolute immutable") << "sqlite:///file:/srv/app.db?immutable=1&uri=true" << "/srv/app.db" << true << false;
    QTest::newRow("immutable yes") << "sqlite:///file:a.db?immutable=yes&uri=1" << cwd + "/a.db" << true << false;
    QTest::newRow("immutable 0") << "sqlite:///file:a.db?immutable=0&uri=1" << cwd + "/a.db" << false << false;
    QTest::newRow("rw") << "sqlite:///file:a.db?mode=rw&uri=true" << cwd + "/a.db" << false << false;
    QTest::newRow("decoded path") << "sqlite:///file:a%20b.db?uri=true" << cwd + "/a b.db" << false << false;
    QTest::newRow("localhost") << "sqlite:///file://localhost/srv/a.db?uri=true" << "/srv/a.db" << false << false;
    QTest::newRow("memory") << "sqlite:///file::memory:?cache=shared&uri=true" << ":memory:" << false << true;
    QTest::newRow("mode memory") << "sqlite:///file:x?mode=memory&uri=true" << ":memory:" << false << true;
    QTest::newRow("not a URI without uri=true") << "sqlite:///file:a.db?mode=ro" << cwd + "/file:a.db" << false << false;
}

void tst_DbUrl::sqliteUriReading()
{
    QFETCH(QString, url);
    QFETCH(QString, file);
    QFETCH(bool, readOnly);
    QFETCH(bool, memory);
    QString error;
    const auto parsed = DbUrl::parse(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->sqliteFilePath(), file);
    QCOMPARE(parsed->sqliteReadOnlyByUrl(), readOnly);
    QCOMPARE(parsed->isMemory(), memory);
}

void tst_DbUrl::redactedKeepsTheUrlAsWritten_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("plain") << "postgresql://bob:secret@db.example:5433/app" << "postgresql://bob:***@db.example:5433/app";
    QTest::newRow("encoded") << "postgresql://u:p%40ss%3Aw%2Fd@h/d" << "postgresql://u:***@h/d";
    QTest::newRow("user with ?") << "postgresql://us?r:secret@h/d" << "postgresql://us?r:***@h/d";
    QTest::newRow("user with @") << "postgresql://a@b:secret@h/d" << "postgresql://a@b:***@h/d";
    QTest::newRow("query password") << "postgresql://u@h/d?sslmode=x&password=hunter2" << "postgresql://u@h/d?sslmode=x&password=***";
    QTest::newRow("encoded query key") << "postgresql://u@h/d?pass%77ord=hunter2" << "postgresql://u@h/d?pass%77ord=***";
    QTest::newRow("sqlite") << "sqlite:///a.db" << "sqlite:///a.db";
    QTest::newRow("sqlite uri") << "sqlite:///file:a.db?mode=ro&uri=true" << "sqlite:///file:a.db?mode=ro&uri=true";
}

void tst_DbUrl::redactedKeepsTheUrlAsWritten()
{
    QFETCH(QString, url);
    QFETCH(QString, redacted);
    const auto parsed = DbUrl::parse(url, nullptr);
    QVERIFY(parsed);
    QCOMPARE(parsed->redacted(), redacted);
}

void tst_DbUrl::describeShowsPartsWithoutPassword()
{
    const auto url = DbUrl::parse(QStringLiteral("postgresql+psycopg://app:T0pS3cret@db:5433/app?options=-csearch_path%3Dfoo"
                                                 "&password=Qu3ryPass"),
                                  nullptr);
    QVERIFY(url);
    const QString json = QString::fromUtf8(QJsonDocument(url->describe()).toJson(QJsonDocument::Compact));
    QVERIFY2(!json.contains(QLatin1String("T0pS3cret")) && !json.contains(QLatin1String("Qu3ryPass")), qPrintable(json));
    const QJsonObject parts = url->describe();
    QCOMPARE(parts.value(QStringLiteral("username")).toString(), QStringLiteral("app"));
    QCOMPARE(parts.value(QStringLiteral("password")).toString(), QStringLiteral("***"));
    QCOMPARE(parts.value(QStringLiteral("port")).toInt(), 5433);
    const QJsonObject libpq = parts.value(QStringLiteral("libpq")).toObject();
    QCOMPARE(libpq.value(QStringLiteral("options")).toString(), QStringLiteral("-csearch_path=foo"));
    QCOMPARE(libpq.value(QStringLiteral("password")).toString(), QStringLiteral("***"));
    QCOMPARE(libpq.value(QStringLiteral("dbname")).toString(), QStringLiteral("app"));
}

QTEST_GUILESS_MAIN(tst_DbUrl)
#include "tst_dburl.moc"
