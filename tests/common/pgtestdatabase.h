#pragma once

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUrl>

namespace dbdeck::test {

// A fresh database on the throwaway PostgreSQL server that scripts/test.sh starts (its URL in
// DBDECK_TEST_PG_URL), dropped again at the end of the test.
class PgTestDatabase
{
public:
    static QString serverUrl() { return qEnvironmentVariable("DBDECK_TEST_PG_URL"); }

    explicit PgTestDatabase(const QString &prefix)
    {
        m_name = QStringLiteral("%1_%2").arg(prefix.toLower()).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        admin([&](QSqlQuery &q) {
            q.exec(QStringLiteral("CREATE DATABASE %1").arg(m_name));
            // A deadline for every statement a test runs there (lock waits included): a runaway or
            // stuck statement fails its test instead of hanging until ctest's timeout.
            q.exec(QStringLiteral("ALTER DATABASE %1 SET statement_timeout = '120s'").arg(m_name));
        });
    }
    ~PgTestDatabase()
    {
        admin([&](QSqlQuery &q) { q.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name)); });
    }
    PgTestDatabase(const PgTestDatabase &) = delete;
    PgTestDatabase &operator=(const PgTestDatabase &) = delete;

    QString name() const { return m_name; }
    QString url() const
    {
        QString server = serverUrl();
        return server.left(server.lastIndexOf(QLatin1Char('/')) + 1) + m_name;
    }

    // Runs fn on a plain connection to the server's maintenance database.
    template<typename Fn>
    static void admin(Fn &&fn)
    {
        const QUrl url(serverUrl());
        const QString connection = QStringLiteral("dbdeck-test-admin");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
            db.setHostName(url.host());
            db.setPort(url.port(5432));
            db.setUserName(url.userName());
            db.setDatabaseName(url.path().mid(1));
            if (!db.open())
                qFatal("cannot reach the PostgreSQL test server: %s", qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            fn(q);
            if (q.lastError().isValid())
                qWarning("%s", qPrintable(q.lastError().text()));
        }
        QSqlDatabase::removeDatabase(connection);
    }

private:
    QString m_name;
};

} // namespace dbdeck::test
