#include "schema/scratchdatabase.h"

#include "db/database.h"
#include "db/transaction.h"
#include "schema/schemaerror.h"
#include "schema/schemareader.h"
#include "schema/sqllexer.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

namespace dbdeck {

namespace {

// CREATE/DROP INDEX CONCURRENTLY cannot run in a transaction; on an empty scratch schema the
// plain form builds the same index.
QString withoutConcurrently(const QString &statement)
{
    const QList<SqlToken> tokens = SqlLexer::tokenize(statement);
    if (tokens.size() < 3 || !(tokens.at(0).isWord("CREATE") || tokens.at(0).isWord("DROP")))
        return statement;
    for (const SqlToken &t : tokens) {
        if (t.isWord("CONCURRENTLY"))
            return statement.left(t.begin) + statement.mid(t.end);
    }
    return statement;
}

} // namespace

ScratchDatabase::ScratchDatabase(const DbConfig &like)
{
    if (like.backend() == Backend::Sqlite) {
        // A file in a private temporary folder, kept in memory (journal MEMORY, synchronous OFF)
        // rather than sqlite:///:memory:, where each connection Database opens would see its own
        // empty database. The folder and file are removed with this object.
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            throw SchemaError(QStringLiteral("cannot create a temporary folder for the scratch database: %1").arg(m_dir->errorString()));
        ConfigInputs inputs;
        inputs.environment = QProcessEnvironment();
        inputs.readDotEnv = false;
        inputs.flags.insert(QStringLiteral("DB_URL"), QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("scratch.db")));
        inputs.flags.insert(QStringLiteral("SQLITE_JOURNAL_MODE"), QStringLiteral("MEMORY"));
        inputs.flags.insert(QStringLiteral("SQLITE_SYNCHRONOUS"), QStringLiteral("OFF"));
        m_db = std::make_unique<Database>(DbConfig::load(inputs));
        return;
    }
    m_db = std::make_unique<Database>(like);
    m_transaction = std::make_unique<Transaction>(*m_db, Transaction::Mode::Write);
    {
        QSqlQuery q = m_db->exec(QStringLiteral("SELECT nspname FROM pg_namespace"));
        while (q.next())
            m_schemasBefore << q.value(0).toString();
    }
    const QString name = QStringLiteral("dbdeck_scratch_%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_db->exec(QStringLiteral("CREATE SCHEMA %1").arg(name));
    m_db->exec(QStringLiteral("SET LOCAL search_path TO %1").arg(name));
    m_db->exec(QStringLiteral("SET LOCAL check_function_bodies = false"));
}

ScratchDatabase::~ScratchDatabase()
{
    m_transaction.reset(); // rolls back: the scratch schema and all in it are gone
    if (m_db)
        m_db->closeConnection();
    m_db.reset();
}

void ScratchDatabase::run(const QString &statement, const QString &origin)
{
    try {
        m_db->exec(m_transaction ? withoutConcurrently(statement) : statement);
    } catch (const DbError &error) {
        QString shown = statement.simplified();
        if (shown.size() > 200)
            shown = shown.left(200) + QStringLiteral("…");
        throw SchemaError(QStringLiteral("%1: %2 (in: %3)").arg(origin, error.message(), shown), error.nativeCode());
    }
    const QList<SqlToken> tokens = SqlLexer::tokenize(statement);
    if (tokens.size() >= 3 && tokens.at(0).isWord("CREATE") && tokens.at(1).isWord("SCHEMA"))
        m_schemasCreated << tokens.last().identifier();
}

void ScratchDatabase::apply(const QString &script, const QString &origin, bool foreignKeysOff)
{
    const QStringList statements = SqlLexer::splitStatements(script);
    if (m_transaction || !foreignKeysOff) {
        if (m_transaction) {
            for (const QString &s : statements)
                run(s, origin);
            return;
        }
        Transaction scope(*m_db, Transaction::Mode::Write);
        for (const QString &s : statements)
            run(s, origin);
        scope.commit();
        return;
    }
    m_db->exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    try {
        Transaction scope(*m_db, Transaction::Mode::Write);
        for (const QString &s : statements)
            run(s, origin);
        QSqlQuery check = m_db->exec(QStringLiteral("PRAGMA foreign_key_check"));
        if (check.next())
            throw SchemaError(QStringLiteral("%1: leaves a row of %2 whose foreign key points nowhere (PRAGMA foreign_key_check)")
                                  .arg(origin, check.value(0).toString()));
        check.finish();
        scope.commit();
    } catch (...) {
        m_db->exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        throw;
    }
    m_db->exec(QStringLiteral("PRAGMA foreign_keys = ON"));
}

Schema ScratchDatabase::read()
{
    Schema schema = SchemaReader::create(*m_db)->read();
    if (m_transaction) {
        // The scratch schema shares the server with the live one: only the schemas the scripts
        // created (or named) belong to it.
        QStringList own;
        for (const QString &s : schema.otherSchemas) {
            if (!m_schemasBefore.contains(s) || m_schemasCreated.contains(s, Qt::CaseInsensitive))
                own << s;
        }
        schema.otherSchemas = own;
        schema.name = QStringLiteral("public");
    }
    return schema;
}

} // namespace dbdeck
