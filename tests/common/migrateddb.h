#pragma once

#include "db/database.h"
#include "migrate/migrator.h"
#include "pgtestdatabase.h"
#include "testsupport.h"

#include <QTest>

#include <memory>

namespace dbdeck::test {

// Suites registered twice in ctest run once on SQLite and once with DBDECK_TEST_BACKEND=postgres.
inline bool testingPostgres()
{
    return qEnvironmentVariable("DBDECK_TEST_BACKEND") == QLatin1String("postgres");
}

// For initTestCase(): true when this is the PostgreSQL run but scripts/test.sh started no server.
inline bool postgresRunWithoutServer()
{
    return testingPostgres() && PgTestDatabase::serverUrl().isEmpty();
}

#define DBDECK_SKIP_POSTGRES_RUN_WITHOUT_SERVER()                                                                  \
    if (dbdeck::test::postgresRunWithoutServer())                                                                 \
    QSKIP("DBDECK_TEST_PG_URL is not set: the PostgreSQL run of this suite did not happen (scripts/test.sh starts a server)")

// For init() of a suite registered on both backends whose test functions each belong to one:
// those named "...Postgres..." run on the PostgreSQL run, the others on the SQLite run. Empty when
// the current function belongs to this run, else why it is skipped (QSKIP it).
inline QString otherBackendsCase()
{
    const bool postgresCase = QByteArray(QTest::currentTestFunction()).contains("Postgres");
    if (postgresCase && !testingPostgres())
        return QStringLiteral("a PostgreSQL case: runs on the suite's @postgres run");
    if (!postgresCase && testingPostgres())
        return QStringLiteral("a SQLite case: runs on the suite's SQLite run");
    return {};
}

// Where a test's database lives: the SQLite file at path, or (on the PostgreSQL run) a fresh
// database on the throwaway server. Those are not dropped: the server goes away after the run.
inline QString testDatabaseUrl(const QString &path)
{
    if (!testingPostgres())
        return sqliteUrl(path);
    static int serial = 0;
    PgTestDatabase *pg = new PgTestDatabase(QStringLiteral("dbdeck_suite_%1").arg(++serial));
    const QString url = pg->url();
    static QList<PgTestDatabase *> kept; // never destroyed, so never dropped
    kept << pg;
    return url;
}

// A database with the shipped application schema applied.
inline std::unique_ptr<Database> migratedDatabase(const QString &path,
                                                  std::initializer_list<std::pair<const char *, const char *>> settings = {})
{
    auto db = std::make_unique<Database>(configFor(testDatabaseUrl(path), settings));
    Migrator(*db, MigrationSet::load(QStringLiteral(DBDECK_SOURCE_DIR "/migrations"))).upgrade({});
    return db;
}

} // namespace dbdeck::test
