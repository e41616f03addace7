#include "db/database.h"
#include "db/errorclassifier.h"
#include "db/errors.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;
using dbdeck::test::configFor;
using dbdeck::test::sqliteUrl;

class tst_ErrorClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void classifiesSqliteCodes_data();
    void classifiesSqliteCodes();
    void classifiesPostgresStates_data();
    void classifiesPostgresStates();
    void uniqueConflictNamesTableColumnValueAndConstraint();
    void uniqueIndexConflictNamesTheIndex();
    void compositeConflictNamesAllColumns();
    void primaryKeyConflict();
    void conflictWithPositionalParametersOmitsValue();
    void notNull();
    void checkNamesConstraintAndExpression();
    void foreignKey();
    void otherErrorsKeepTheDatabaseMessage();
    void sameConnectionConflictIsNotBusy();
    void postgresReadOnlyRefusalSaysTheSessionIsReadOnly();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
};

void tst_ErrorClassifier::initTestCase()
{
    m_db = std::make_unique<Database>(configFor(sqliteUrl(m_dir.filePath(QStringLiteral("errors.db")))));
    m_db->exec(QStringLiteral(
        "CREATE TABLE runs (id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,"
        " CONSTRAINT pk_runs PRIMARY KEY (id),"
        " CONSTRAINT uq_runs_name UNIQUE (name),"
        " CONSTRAINT ck_runs_status CHECK (status IN ('queued', 'running')))"));
    m_db->exec(QStringLiteral(
        "CREATE TABLE events (id TEXT NOT NULL, run_id TEXT NOT NULL, seq INTEGER NOT NULL, code TEXT,"
        " CONSTRAINT pk_events PRIMARY KEY (id),"
        " CONSTRAINT uq_events_run_id_seq UNIQUE (run_id, seq),"
        " CONSTRAINT fk_events_run_id_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE)"));
    m_db->exec(QStringLiteral("CREATE UNIQUE INDEX uq_events_code ON events (code)"));
    m_db->exec(QStringLiteral("INSERT INTO runs (id, name, status) VALUES ('r1', 'nightly', 'queued')"));
    m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, code) VALUES ('e1', 'r1', 1, 'A')"));
}

void tst_ErrorClassifier::classifiesSqliteCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("kind");
    using K = ErrorClassifier::Kind;
    QTest::newRow("2067 unique") << 2067 << int(K::Conflict);
    QTest::newRow("1555 primary key") << 1555 << int(K::Conflict);
    QTest::newRow("1299 not null") << 1299 << int(K::Constraint);
    QTest::newRow("275 check") << 275 << int(K::Constraint);
    QTest::newRow("787 foreign key") << 787 << int(K::Constraint);
    QTest::newRow("19 constraint") << 19 << int(K::Constraint);
    QTest::newRow("5 busy") << 5 << int(K::Busy);
    QTest::newRow("517 busy snapshot") << 517 << int(K::Busy);
    QTest::newRow("6 locked") << 6 << int(K::Locked);
    QTest::newRow("262 locked shared cache") << 262 << int(K::Locked);
    QTest::newRow("26 not a database") << 26 << int(K::NotADatabase);
    QTest::newRow("8 readonly") << 8 << int(K::ReadOnly);
    QTest::newRow("14 cantopen") << 14 << int(K::CannotOpen);
    QTest::newRow("1 error") << 1 << int(K::Other);
}

void tst_ErrorClassifier::classifiesSqliteCodes()
{
    QFETCH(int, code);
    QFETCH(int, kind);
    QCOMPARE(int(ErrorClassifier::classifySqlite(code)), kind);
}

void tst_ErrorClassifier::classifiesPostgresStates_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("kind");
    using K = ErrorClassifier::Kind;
    QTest::newRow("23505") << "23505" << int(K::Conflict);
    QTest::newRow("23502") << "23502" << int(K::Constraint);
    QTest::newRow("23503") << "23503" << int(K::Constraint);
    QTest::newRow("23514") << "23514" << int(K::Constraint);
    QTest::newRow("40001") << "40001" << int(K::Busy);
    QTest::newRow("40P01") << "40P01" << int(K::Busy);
    QTest::newRow("08006") << "08006" << int(K::CannotOpen);
    QTest::newRow("42P01") << "42P01" << int(K::Other);
}

void tst_ErrorClassifier::classifiesPostgresStates()
{
    QFETCH(QString, state);
    QFETCH(int, kind);
    QCOMPARE(int(ErrorClassifier::classifyPostgres(state)), kind);
}

void tst_ErrorClassifier::uniqueConflictNamesTableColumnValueAndConstraint()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, name, status) VALUES (:id, :name, :status)"),
                   QVariantMap{{QStringLiteral("id"), QStringLiteral("r2")},
                               {QStringLiteral("name"), QStringLiteral("nightly")},
                               {QStringLiteral("status"), QStringLiteral("queued")}});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.message(), QStringLiteral("runs.name already has the value \"nightly\" (uq_runs_name)"));
        QCOMPARE(error.nativeCode(), QStringLiteral("2067"));
        QCOMPARE(error.table(), QStringLiteral("runs"));
        QCOMPARE(error.columns(), QStringList{QStringLiteral("name")});
        QCOMPARE(error.constraint(), QStringLiteral("uq_runs_name"));
    }
}

void tst_ErrorClassifier::uniqueIndexConflictNamesTheIndex()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq, code) VALUES (:id, :run_id, :seq, :code)"),
                   QVariantMap{{QStringLiteral("id"), QStringLiteral("e9")}, {QStringLiteral("run_id"), QStringLiteral("r1")},
                               {QStringLiteral("seq"), 9}, {QStringLiteral("code"), QStringLiteral("A")}});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.message(), QStringLiteral("events.code already has the value \"A\" (uq_events_code)"));
    }
}

void tst_ErrorClassifier::compositeConflictNamesAllColumns()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq) VALUES (:id, :run_id, :seq)"),
                   QVariantMap{{QStringLiteral("id"), QStringLiteral("e2")}, {QStringLiteral("run_id"), QStringLiteral("r1")},
                               {QStringLiteral("seq"), 1}});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.message(),
                 QStringLiteral("events (run_id, seq) already has the values (\"r1\", 1) (uq_events_run_id_seq)"));
        QCOMPARE(error.columns(), (QStringList{QStringLiteral("run_id"), QStringLiteral("seq")}));
    }
}

void tst_ErrorClassifier::primaryKeyConflict()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, name, status) VALUES (:id, :name, 'queued')"),
                   QVariantMap{{QStringLiteral("id"), QStringLiteral("r1")}, {QStringLiteral("name"), QStringLiteral("other")}});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.message(), QStringLiteral("runs.id already has the value \"r1\" (pk_runs)"));
        QCOMPARE(error.nativeCode(), QStringLiteral("1555"));
    }
}

void tst_ErrorClassifier::conflictWithPositionalParametersOmitsValue()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, name, status) VALUES (?, ?, 'queued')"),
                   QVariantList{QStringLiteral("r3"), QStringLiteral("nightly")});
        QFAIL("no ConflictError");
    } catch (const ConflictError &error) {
        QCOMPARE(error.message(), QStringLiteral("runs.name already has that value (uq_runs_name)"));
    }
}

void tst_ErrorClassifier::notNull()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO runs (id, name, status) VALUES ('r4', NULL, 'queued')"));
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("runs.name must not be NULL (NOT NULL constraint)"));
        QCOMPARE(error.nativeCode(), QStringLiteral("1299"));
    }
}

void tst_ErrorClassifier::checkNamesConstraintAndExpression()
{
    try {
        m_db->exec(QStringLiteral("UPDATE runs SET status = 'exploded' WHERE id = 'r1'"));
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("a row in runs breaks the CHECK constraint ck_runs_status: "
                                                 "status IN ('queued', 'running')"));
        QCOMPARE(error.nativeCode(), QStringLiteral("275"));
    }
}

void tst_ErrorClassifier::foreignKey()
{
    try {
        m_db->exec(QStringLiteral("INSERT INTO events (id, run_id, seq) VALUES ('e3', 'no-such-run', 1)"));
        QFAIL("no ConstraintError");
    } catch (const ConstraintError &error) {
        QCOMPARE(error.message(), QStringLiteral("a row in events refers to a row that does not exist, or a row that "
                                                 "is still referenced would be removed (FOREIGN KEY constraint)"));
        QCOMPARE(error.nativeCode(), QStringLiteral("787"));
    }
}

void tst_ErrorClassifier::otherErrorsKeepTheDatabaseMessage()
{
    try {
        m_db->exec(QStringLiteral("SELECT * FROM no_such_table"));
        QFAIL("no DbError");
    } catch (const ConflictError &) {
        QFAIL("wrong type");
    } catch (const DbError &error) {
        QCOMPARE(error.message(), QStringLiteral("no such table: no_such_table (while running: SELECT * FROM no_such_table)"));
    }
}

// DROP TABLE while a SELECT on the same connection is unfinished: SQLITE_LOCKED, which SQLite
// returns at once. It is not "locked by another connection past the busy timeout".
void tst_ErrorClassifier::sameConnectionConflictIsNotBusy()
{
    m_db->exec(QStringLiteral("CREATE TABLE scratch (x INTEGER)"));
    m_db->exec(QStringLiteral("INSERT INTO scratch (x) VALUES (1), (2), (3)"));
    QSqlQuery unfinished = m_db->exec(QStringLiteral("SELECT x FROM scratch"));
    QVERIFY(unfinished.next());
    try {
        m_db->exec(QStringLiteral("DROP TABLE scratch"));
        QFAIL("no DbError");
    } catch (const BusyError &error) {
        QFAIL(qPrintable(QStringLiteral("reported as busy: ") + error.message()));
    } catch (const DbError &error) {
        QCOMPARE(error.nativeCode(), QStringLiteral("6"));
        QVERIFY2(error.message().contains(QStringLiteral("another statement on the same connection that is still using the table")),
                 qPrintable(error.message()));
        QVERIFY2(error.message().endsWith(QStringLiteral("while running: DROP TABLE scratch")), qPrintable(error.message()));
        QVERIFY2(!error.message().contains(QStringLiteral("busy timeout")), qPrintable(error.message()));
    }
    unfinished.finish();
    m_db->exec(QStringLiteral("DROP TABLE scratch")); // finished, the same statement runs
    QCOMPARE(m_db->hasTable(QStringLiteral("scratch")), false);
}

void tst_ErrorClassifier::postgresReadOnlyRefusalSaysTheSessionIsReadOnly()
{
    // SQLSTATE 25006 is PostgreSQL's, not a file's permissions.
    const QString name = QStringLiteral("classifier-postgres");
    {
        const QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        const QSqlError error(QStringLiteral("QPSQL: Unable to create query"),
                              QStringLiteral("ERROR:  cannot execute INSERT in a read-only transaction\n(25006)"),
                              QSqlError::StatementError, QStringLiteral("25006"));
        try {
            ErrorClassifier::raise(error, db, {QStringLiteral("INSERT INTO t (name) VALUES ('x')"), nullptr, 0});
            QFAIL("no DbError");
        } catch (const DbError &e) {
            QCOMPARE(e.message(), QStringLiteral("PostgreSQL refused to write: the session or transaction is read-only "
                                                 "(default_transaction_read_only, SET TRANSACTION READ ONLY, or a standby server): "
                                                 "cannot execute INSERT in a read-only transaction (while running: INSERT INTO t (name) "
                                                 "VALUES ('x'))"));
            QCOMPARE(e.nativeCode(), QStringLiteral("25006"));
        }
    }
    QSqlDatabase::removeDatabase(name);
}

QTEST_GUILESS_MAIN(tst_ErrorClassifier)
#include "tst_errorclassifier.moc"
