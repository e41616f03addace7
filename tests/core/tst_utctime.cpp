#include "db/utctime.h"
#include "store/jsonvalue.h"
#include "store/uuid7.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace dbdeck;

class tst_UtcTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenDatetimes_data();
    void goldenDatetimes();
    void parsesBothFormats_data();
    void parsesBothFormats();
    void rejectsBadTimes_data();
    void rejectsBadTimes();
    void pythonFromIsoFormat_data();
    void pythonFromIsoFormat();
    void columnTextSortsLikeTime();
    void uuid7IsValidUniqueAndOrdered();
};

void tst_UtcTime::goldenDatetimes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("db");
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/canonical_json.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int line = 0, used = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        if (text.isEmpty())
            continue;
        const JsonValue v = JsonValue::parse(text);
        if (!v.contains(QStringLiteral("datetime")))
            continue;
        QTest::addRow("line %d", line) << v.value(QStringLiteral("datetime")).toString() << v.value(QStringLiteral("canonical")).toString()
                                       << v.value(QStringLiteral("db_naive_utc")).toString();
        ++used;
    }
    QVERIFY(used >= 4);
}

void tst_UtcTime::goldenDatetimes()
{
    QFETCH(QString, input);
    QFETCH(QString, canonical);
    QFETCH(QString, db);
    const auto t = UtcTime::parse(input);
    QVERIFY(t);
    QCOMPARE(t->toIso(), canonical);
    QCOMPARE(t->toDb(), db);
    QCOMPARE(UtcTime::parse(db)->toIso(), canonical); // the stored form reads back as the same time
}

void tst_UtcTime::parsesBothFormats_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("db");
    QTest::newRow("column format") << "2026-11-22 10:11:12.123456" << "2026-11-22 10:11:12.123456";
    QTest::newRow("no fraction") << "2026-11-22 10:11:12" << "2026-11-22 10:11:12.000000";
    QTest::newRow("naive iso is utc") << "2026-11-22T10:11:12.5" << "2026-11-22 10:11:12.500000";
    QTest::newRow("offset crosses midnight") << "2026-01-01T01:00:00+02:00" << "2025-12-31 23:00:00.000000";
    QTest::newRow("offset without colon") << "2026-01-01T00:00:00-0130" << "2026-01-01 01:30:00.000000";
    QTest::newRow("leap day") << "2028-02-29T12:00:00Z" << "2028-02-29 12:00:00.000000";
    QTest::newRow("before 1970") << "1969-12-31T23:59:59.999999Z" << "1969-12-31 23:59:59.999999";
    // As Python 3.11's fromisoformat reads them.
    QTest::newRow("date only is midnight") << "2026-11-22" << "2026-11-22 00:00:00.000000";
    QTest::newRow("seven digits are cut") << "2026-01-01T00:00:00.1234567Z" << "2026-01-01 00:00:00.123456";
    QTest::newRow("twelve digits are cut, not rounded") << "2026-01-01T00:00:00.999999999999Z" << "2026-01-01 00:00:00.999999";
    QTest::newRow("comma fraction") << "2026-01-01 00:00:00,5" << "2026-01-01 00:00:00.500000";
    QTest::newRow("basic format") << "20261122T101112+0100" << "2026-11-22 09:11:12.000000";
    QTest::newRow("week date") << "2026-W47-1" << "2026-11-16 00:00:00.000000";
    QTest::newRow("offset with seconds") << "2026-11-22T10:00:00+01:30:15.5" << "2026-11-22 08:29:44.500000";
    QTest::newRow("latest time") << "9999-12-31T23:59:59.999999+00:00" << "9999-12-31 23:59:59.999999";
    QTest::newRow("earliest time") << "0001-01-01T00:00:00Z" << "0001-01-01 00:00:00.000000";
}

void tst_UtcTime::parsesBothFormats()
{
    QFETCH(QString, text);
    QFETCH(QString, db);
    const auto t = UtcTime::parse(text);
    QVERIFY(t);
    QCOMPARE(t->toDb(), db);
}

void tst_UtcTime::rejectsBadTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");
    QTest::newRow("month 13") << "2026-13-01T00:00:00Z" << "month must be in 1..12";
    QTest::newRow("feb 30") << "2026-02-30 00:00:00" << "day is out of range for month";
    QTest::newRow("hour 24") << "2026-01-01T24:00:00Z" << "hour must be in 0..23";
    QTest::newRow("words") << "yesterday" << "not an ISO 8601 date and time";
    QTest::newRow("surrounding space") << " 2026-11-22" << "not an ISO 8601 date and time";
    QTest::newRow("offset of a day") << "2026-01-01T00:00:00+24:00" << "the UTC offset must be strictly between -24:00 and +24:00";
    // astimezone(timezone.utc) refuses these; stored they would read as the years 10000 and 0.
    QTest::newRow("year 10000 in UTC") << "9999-12-31T23:59:59-01:00"
                                       << "in UTC it falls in the year 10000; times must fall within the years 1 to 9999 in UTC";
    QTest::newRow("year 0 in UTC") << "0001-01-01T00:30:00+01:00"
                                   << "in UTC it falls in the year 0; times must fall within the years 1 to 9999 in UTC";
}

void tst_UtcTime::rejectsBadTimes()
{
    QFETCH(QString, text);
    QFETCH(QString, why);
    QString reason;
    QVERIFY(!UtcTime::parse(text, &reason));
    QCOMPARE(reason, why);
}

void tst_UtcTime::pythonFromIsoFormat_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("db");
    QTest::addColumn<bool>("error");
    // Made by tests/data/generators/isoformat_vectors.py with Python 3.11's datetime (see the file).
    QFile file(QStringLiteral(DBDECK_TEST_DATA "/fromisoformat.jsonl"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "tests/data/fromisoformat.jsonl is missing");
    int line = 0;
    while (!file.atEnd()) {
        const JsonValue v = JsonValue::parse(file.readLine().trimmed());
        ++line;
        const QByteArray text = QByteArray::fromBase64(v.value(QStringLiteral("text")).toString().toLatin1());
        QTest::addRow("line %d: %s", line, text.constData()) << text << v.value(QStringLiteral("db")).toString()
                                                              << v.value(QStringLiteral("error")).toBool();
    }
    QVERIFY(line >= 10000);
}

void tst_UtcTime::pythonFromIsoFormat()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, db);
    QFETCH(bool, error);
    const auto t = UtcTime::parseUtf8(text.constData(), text.size());
    if (error) {
        QVERIFY2(!t, qPrintable(t ? t->toDb() : QString()));
        return;
    }
    QVERIFY(t);
    QCOMPARE(t->toDb(), db);
    char buffer[UtcTime::dbLength];
    t->writeDb(buffer);
    QCOMPARE(QString::fromLatin1(buffer, UtcTime::dbLength), db);
}

void tst_UtcTime::columnTextSortsLikeTime()
{
    const UtcTime a = *UtcTime::parse(QStringLiteral("2026-11-22T10:00:00.9Z"));
    const UtcTime b = *UtcTime::parse(QStringLiteral("2026-11-22T10:00:01.1Z"));
    QVERIFY(a < b);
    QVERIFY(a.toDb() < b.toDb());
    const UtcTime now = UtcTime::now();
    QCOMPARE(now.toDb().size(), 26);
}

void tst_UtcTime::uuid7IsValidUniqueAndOrdered()
{
    QStringList ids;
    for (int i = 0; i < 20000; ++i)
        ids << Uuid7::generate();
    QSet<QString> unique(ids.cbegin(), ids.cend());
    QCOMPARE(unique.size(), ids.size());
    for (int i = 0; i < ids.size(); ++i) {
        QVERIFY2(Uuid7::isValid(ids.at(i)), qPrintable(ids.at(i)));
        if (i)
            QVERIFY2(ids.at(i - 1) < ids.at(i), qPrintable(ids.at(i - 1) + QStringLiteral(" !< ") + ids.at(i)));
    }
    QVERIFY(!Uuid7::isValid(QStringLiteral("550e8400-e29b-41d4-a716-446655440000"))); // v4
}

QTEST_GUILESS_MAIN(tst_UtcTime)
#include "tst_utctime.moc"
