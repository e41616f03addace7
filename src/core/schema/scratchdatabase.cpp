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
    m_name = QStringLiteral("dbdeck_scratch_%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_db->exec(QStringLiteral("CREATE SCHEMA %1").arg(m_name));
    m_db->exec(QStringLiteral("SET LOCAL search_path TO %1").arg(m_name));
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
    for (const QString &statement : SqlLexer::splitStatements(script))
        inTransaction += withShadowSchemas(withoutConcurrently(statement)) + QStringLiteral(";\n");
    DdlApplier::apply(*m_db, inTransaction, origin, DdlApplier::Mode::InCurrentTransaction);
}

QString ScratchDatabase::withShadowSchemas(const QString &statement)
{
    const QList<LexToken> tokens = SqlLexer::tokenize(statement);
    const auto nameOf = [](const LexToken &t) { return t.kind == LexToken::Kind::Word ? t.text.toLower() : t.identifier(); };
    // The schema a CREATE/DROP/ALTER SCHEMA [IF [NOT] EXISTS] statement names: its token's index.
    qsizetype named = -1;
    if (tokens.size() >= 3 && tokens.at(1).isWord("SCHEMA")
        && (tokens.at(0).isWord("CREATE") || tokens.at(0).isWord("DROP") || tokens.at(0).isWord("ALTER"))) {
        named = 2;
        while (named < tokens.size() && (tokens.at(named).isWord("IF") || tokens.at(named).isWord("NOT") || tokens.at(named).isWord("EXISTS")))
            ++named;
        if (named >= tokens.size() || nameOf(tokens.at(named)).isEmpty())
            named = -1;
    }
    if (named >= 0 && tokens.at(0).isWord("CREATE")) {
        const QString schema = nameOf(tokens.at(named));
        if (m_schemasBefore.contains(schema) && !m_shadows.contains(schema))
            m_shadows.insert(schema, SqlLexer::quoteIdentifier(m_name + QLatin1Char('_') + schema));
        m_schemasCreated << schema;
    } else if (named >= 0 && tokens.at(0).isWord("DROP")) {
        m_schemasCreated.removeAll(nameOf(tokens.at(named)));
    }
    if (m_shadows.isEmpty())
        return statement;
    QString out = statement;
    for (qsizetype i = tokens.size() - 1; i >= 0; --i) {
        const auto shadow = m_shadows.constFind(nameOf(tokens.at(i)));
        if (shadow == m_shadows.cend())
            continue;
        if (i == named || (i + 1 < tokens.size() && tokens.at(i + 1).isSymbol(".")))
            out.replace(tokens.at(i).begin, tokens.at(i).end - tokens.at(i).begin, *shadow);
    }
    return out;
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
