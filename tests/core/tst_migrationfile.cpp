#include "migrate/migrationerror.h"
#include "migrate/migrationfile.h"
#include "migrate/migrationset.h"
#include "migrate/sqlsplitter.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dbdeck;

using dbdeck::test::writeFile;

class tst_MigrationFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSections();
    void transactionFalseOption();
    void acceptsBomAndCrlf();
    void checksumIgnoresLineEndingsAndTrailingWhitespaceOnly();
    void blankDownSectionMeansNoDown();
    void problems_data();
    void problems();
    void setFindsDuplicatesAndBadNamesAndSorts();
    void setIgnoresOtherFiles();
    void missingFolderIsAProblem();
    void requireValidListsEveryProblem();
    void writesRevisions();
};

void tst_MigrationFile::parsesSections()
{
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(QStringLiteral("/m/0003_add_users.sql"),
                                           QStringLiteral("-- adds users\n-- migrate:up\nCREATE TABLE users (id INT);\n"
                                                          "-- migrate:down\nDROP TABLE users;\n"),
                                           &problems);
    QVERIFY2(file, qPrintable(problems.isEmpty() ? QString() : problems.first().toString()));
    QCOMPARE(file->version(), 3);
    QCOMPARE(file->name(), QStringLiteral("0003_add_users"));
    QVERIFY(file->transactional());
    QCOMPARE(file->upSql().trimmed(), QStringLiteral("CREATE TABLE users (id INT);"));
    QCOMPARE(file->downSql()->trimmed(), QStringLiteral("DROP TABLE users;"));
    QCOMPARE(file->upLine(), 3);
    // Statement lines in a section are the file's line numbers.
    QCOMPARE(SqlSplitter::split(file->upSql()).first().line, 3);
}

void tst_MigrationFile::transactionFalseOption()
{
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(QStringLiteral("0001_vacuum.sql"), QStringLiteral("-- migrate:up transaction:false\nVACUUM;\n"), &problems);
    QVERIFY(file);
    QVERIFY(!file->transactional());
    QVERIFY(!file->downSql());
}

void tst_MigrationFile::acceptsBomAndCrlf()
{
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(QStringLiteral("0001_a.sql"),
                                           QStringLiteral("\uFEFF-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n"), &problems);
    QVERIFY(file);
    QCOMPARE(file->upSql().trimmed(), QStringLiteral("SELECT 1;"));
}

void tst_MigrationFile::checksumIgnoresLineEndingsAndTrailingWhitespaceOnly()
{
    QList<MigrationProblem> problems;
    const auto lf = MigrationFile::parse(QStringLiteral("0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE t (x INT);\nSELECT 1;\n"), &problems);
    const auto crlf = MigrationFile::parse(QStringLiteral("0001_a.sql"), QStringLiteral("-- migrate:up\r\nCREATE TABLE t (x INT);  \r\nSELECT 1;\t\r\n\r\n"), &problems);
    const auto edited = MigrationFile::parse(QStringLiteral("0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE t (x TEXT);\nSELECT 1;\n"), &problems);
    const auto downChanged = MigrationFile::parse(QStringLiteral("0001_a.sql"), QStringLiteral("-- migrate:up\nCREATE TABLE t (x INT);\nSELECT 1;\n-- migrate:down\nDROP TABLE t;"), &problems);
    QVERIFY(lf && crlf && edited && downChanged);
    QCOMPARE(lf->checksum().size(), 64);
    QCOMPARE(crlf->checksum(), lf->checksum());
    QVERIFY(edited->checksum() != lf->checksum());
    QCOMPARE(downChanged->checksum(), lf->checksum()); // the checksum covers the up section
}

void tst_MigrationFile::blankDownSectionMeansNoDown()
{
    QList<MigrationProblem> problems;
    const auto file = MigrationFile::parse(QStringLiteral("0001_a.sql"), QStringLiteral("-- migrate:up\nSELECT 1;\n-- migrate:down\n-- todo\n\n"), &problems);
    QVERIFY(file);
    QVERIFY(!file->downSql());
}

void tst_MigrationFile::problems_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("bad file name") << "create_users.sql" << "-- migrate:up\nSELECT 1;"
                                   << "/m/create_users.sql: the file name does not match NNNN_slug.sql";
    QTest::newRow("version zero") << "0000_init.sql" << "-- migrate:up\nSELECT 1;" << "/m/0000_init.sql: the file name does not match";
    QTest::newRow("no up section") << "0001_a.sql" << "-- migrate:down\nDROP TABLE t;" << "/m/0001_a.sql: no \"-- migrate:up\" section";
    QTest::newRow("empty up section") << "0001_a.sql" << "-- migrate:up\n\n-- only a comment\n-- migrate:down\nSELECT 1;"
                                      << "/m/0001_a.sql:1: the up section is empty";
    QTest::newRow("text before marker") << "0001_a.sql" << "-- fine comment\nCREATE TABLE t (x INT);\n-- migrate:up\nSELECT 1;"
                                        << "/m/0001_a.sql:2: text before the first marker";
    QTest::newRow("unknown option") << "0001_a.sql" << "-- migrate:up transaction:maybe\nSELECT 1;"
                                    << "/m/0001_a.sql:1: unknown option \"transaction:maybe\" after \"-- migrate:up\"; allowed: transaction:false";
    QTest::newRow("unknown marker") << "0001_a.sql" << "-- migrate:up\nSELECT 1;\n-- migrate:sideways\n"
                                    << "/m/0001_a.sql:3: unknown marker \"-- migrate:sideways\"";
    QTest::newRow("second up marker") << "0001_a.sql" << "-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;"
                                      << "/m/0001_a.sql:3: a second \"-- migrate:up\" marker (the first is on line 1)";
}

void tst_MigrationFile::problems()
{
    QFETCH(QString, fileName);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QList<MigrationProblem> problems;
    QVERIFY(!MigrationFile::parse(QStringLiteral("/m/") + fileName, text, &problems));
    QVERIFY(!problems.isEmpty());
    QVERIFY2(problems.first().toString().startsWith(expected), qPrintable(problems.first().toString()));
}

void tst_MigrationFile::setFindsDuplicatesAndBadNamesAndSorts()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("0010_later.sql")), "-- migrate:up\nSELECT 10;");
    writeFile(dir.filePath(QStringLiteral("0002_b.sql")), "-- migrate:up\nSELECT 2;");
    writeFile(dir.filePath(QStringLiteral("0002_c.sql")), "-- migrate:up\nSELECT 2;");
    writeFile(dir.filePath(QStringLiteral("1_first.sql")), "-- migrate:up\nSELECT 1;");
    writeFile(dir.filePath(QStringLiteral("oops.sql")), "-- migrate:up\nSELECT 0;");
    const MigrationSet set = MigrationSet::load(dir.path());
    QStringList names;
    for (const auto &f : set.files())
        names << f.name();
    QCOMPARE(names, (QStringList{QStringLiteral("1_first"), QStringLiteral("0002_b"), QStringLiteral("0010_later")}));
    QCOMPARE(set.head(), 10);
    QCOMPARE(set.problems().size(), 2);
    QStringList problems;
    for (const auto &p : set.problems())
        problems << p.toString();
    QVERIFY(problems.contains(QStringLiteral("%1: version 0002 is also used by 0002_b.sql; versions must be unique")
                                  .arg(dir.filePath(QStringLiteral("0002_c.sql")))));
    QVERIFY(problems.join(QLatin1Char('\n')).contains(dir.filePath(QStringLiteral("oops.sql")) + QStringLiteral(": the file name does not match")));
    QVERIFY(!set.isValid());
}

void tst_MigrationFile::setIgnoresOtherFiles()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("README.md")), "notes");
    writeFile(dir.filePath(QStringLiteral("0001_a.sql")), "-- migrate:up\nSELECT 1;");
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("0002_folder.sql"))));
    const MigrationSet set = MigrationSet::load(dir.path());
    QVERIFY(set.isValid());
    QCOMPARE(set.files().size(), 1);
}

void tst_MigrationFile::missingFolderIsAProblem()
{
    const MigrationSet set = MigrationSet::load(QStringLiteral("/nonexistent/migrations"));
    QCOMPARE(set.problems().size(), 1);
    QCOMPARE(set.problems().first().toString(),
             QStringLiteral("/nonexistent/migrations: the migrations folder does not exist (set MIGRATIONS_DIR or --migrations)"));
}

void tst_MigrationFile::requireValidListsEveryProblem()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("0001_a.sql")), "SELECT 1;");
    writeFile(dir.filePath(QStringLiteral("0002_b.sql")), "-- migrate:up\n");
    try {
        MigrationSet::load(dir.path()).requireValid();
        QFAIL("no MigrationError");
    } catch (const MigrationError &error) {
        QVERIFY(error.message().startsWith(QStringLiteral("the migration files have problems:")));
        QVERIFY(error.message().contains(QStringLiteral("0001_a.sql:1: text before the first marker")));
        QVERIFY(error.message().contains(QStringLiteral("0002_b.sql:1: the up section is empty")));
    }
}

void tst_MigrationFile::writesRevisions()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("new/migrations"));
    const QString first = MigrationSet::writeRevision(folder, QStringLiteral("Add users table!"));
    QCOMPARE(first, folder + QStringLiteral("/0001_add_users_table.sql"));
    writeFile(folder + QStringLiteral("/0041_x.sql"), "-- migrate:up\nSELECT 1;");
    const QString second = MigrationSet::writeRevision(folder, QStringLiteral("  index on runs.kind "));
    QCOMPARE(second, folder + QStringLiteral("/0042_index_on_runs_kind.sql"));
    QFile file(second);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("-- index on runs.kind\n-- migrate:up\n\n\n-- migrate:down\n\n"));
    QVERIFY_THROWS_EXCEPTION(MigrationError, MigrationSet::writeRevision(folder, QStringLiteral("!!!")));
    // A fresh revision is not valid until its up section is written.
    QVERIFY(!MigrationSet::load(folder).isValid());
}

QTEST_GUILESS_MAIN(tst_MigrationFile)
#include "tst_migrationfile.moc"
