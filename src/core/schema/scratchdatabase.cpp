#include "schema/scratchdatabase.h"

#include "db/database.h"
#include "db/transaction.h"
#include "schema/ddlapplier.h"
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
    const QList<LexToken> tokens = SqlLexer::tokenize(statement);
    if (tokens.size() < 3 || !(tokens.at(0).isWord("CREATE") || tokens.at(0).isWord("DROP")))
        return statement;
    for (const LexToken &t : tokens) {
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

void ScratchDatabase::apply(const QString &script, const QString &origin, bool foreignKeysOff)
{
    if (!m_transaction) {
        DdlApplier::apply(*m_db, script, origin, foreignKeysOff ? DdlApplier::Mode::ForeignKeysOff : DdlApplier::Mode::Transaction);
        return;
    }
    QString inTransaction;
    for (const QString &statement : SqlLexer::splitStatements(script)) {
        inTransaction += withoutConcurrently(statement) + QStringLiteral(";\n");
        const QList<LexToken> tokens = SqlLexer::tokenize(statement);
        if (tokens.size() >= 3 && tokens.at(0).isWord("CREATE") && tokens.at(1).isWord("SCHEMA"))
            m_schemasCreated << tokens.last().identifier();
    }
    DdlApplier::apply(*m_db, inTransaction, origin, DdlApplier::Mode::InCurrentTransaction);
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
