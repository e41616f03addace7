#include "migrate/statementanalyzer.h"

#include "migrate/altertableparser.h"
#include "migrate/sqltokencursor.h"
#include "migrate/tabledefinitionparser.h"

namespace dbdeck {

QList<ConstraintDefinition> StatementAnalysis::addedConstraints() const
{
    QList<ConstraintDefinition> result;
    for (const ColumnDefinition &column : addedColumns())
        result += column.constraints;
    result += constraints;
    for (const AlterAction &action : actions) {
        if (action.kind == AlterAction::Kind::AddConstraint)
            result.append(action.constraint);
    }
    return result;
}

QList<ColumnDefinition> StatementAnalysis::addedColumns() const
{
    QList<ColumnDefinition> result = columns;
    for (const AlterAction &action : actions) {
        if (action.kind == AlterAction::Kind::AddColumn)
            result.append(action.columnDefinition);
    }
    return result;
}

namespace {

using Kind = StatementAnalysis::Kind;

class Analyzer
{
public:
    Analyzer(StatementAnalysis &s, qsizetype sqlOffset)
        : m_s(s), m_c(s.tokens, s.sql, sqlOffset, {0, s.tokens.size()})
    {}

    void run()
    {
        if (m_c.atEnd())
            return;
        m_s.position = m_c.position();
        if (m_c.at("WITH"))
            skipWith();
        if (m_c.accept("CREATE"))
            create();
        else if (m_c.accept("ALTER"))
            alter();
        else if (m_c.accept("DROP"))
            drop();
        else if (m_c.at("INSERT") || m_c.at("REPLACE"))
            insert();
        else if (m_c.accept("UPDATE"))
            update();
        else if (m_c.accept("DELETE"))
            remove();
        else if (m_c.accept("TRUNCATE"))
            truncate();
        else if (m_c.accept("PRAGMA"))
            pragma();
        else if (m_c.accept("SET"))
            set();
        else if (m_c.atAny({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "START", "ABORT"}))
            m_s.kind = Kind::TransactionControl;
        else if (m_c.accept("VACUUM"))
            m_s.kind = Kind::Vacuum;
        else if (m_c.accept("REINDEX"))
            reindex();
        else if (m_c.atAny({"ATTACH", "DETACH"}))
            m_s.kind = Kind::Attach;
        else if (m_c.atAny({"SELECT", "VALUES"}))
            m_s.kind = Kind::Select;
    }

private:
    // WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...) [, ...] <statement>
    void skipWith()
    {
        m_c.next();
        m_c.accept("RECURSIVE");
        while (!m_c.atEnd()) {
            m_c.skipToTopLevel({"AS"});
            m_c.accept("AS");
            m_c.accept("NOT");
            m_c.accept("MATERIALIZED");
            m_c.readParenthesized();
            if (!m_c.acceptPunctuation(QLatin1Char(',')))
                return;
        }
    }

    void create()
    {
        m_c.acceptSequence({"OR", "REPLACE"});
        if (!m_c.accept("GLOBAL"))
            m_c.accept("LOCAL");
        m_s.temporary = m_c.accept("TEMP") || m_c.accept("TEMPORARY");
        m_c.accept("UNLOGGED");
        m_s.unique = m_c.accept("UNIQUE");
        if (m_c.accept("TABLE"))
            return createTable();
        if (m_c.accept("INDEX"))
            return createIndex();
        m_c.accept("MATERIALIZED");
        if (m_c.accept("VIEW")) {
            m_s.kind = Kind::CreateView;
            m_c.acceptSequence({"IF", "NOT", "EXISTS"});
            m_s.objectName = m_c.readName();
        } else if (m_c.accept("TRIGGER")) {
            m_s.kind = Kind::CreateTrigger;
            m_c.acceptSequence({"IF", "NOT", "EXISTS"});
            m_s.objectName = m_c.readName();
            m_c.skipToTopLevel({"ON"});
            m_c.accept("ON");
            m_s.table = m_c.readName();
        } else if (m_c.accept("TYPE")) {
            m_s.kind = Kind::CreateType;
            m_s.objectName = m_c.readName();
            if (m_c.acceptSequence({"AS", "ENUM"})) {
                const TokenRange inside = m_c.readParenthesized();
                for (qsizetype i = inside.begin; i < inside.end; ++i) {
                    if (m_s.tokens.at(i).kind == SqlToken::Kind::String)
                        m_s.enumValues << m_s.tokens.at(i).stringValue();
                }
            }
        } else {
            m_s.kind = Kind::CreateOther;
        }
    }

    void createTable()
    {
        m_s.kind = Kind::CreateTable;
        m_s.ifNotExists = m_c.acceptSequence({"IF", "NOT", "EXISTS"});
        m_s.table = m_c.readName();
        m_s.tables = {m_s.table};
        if (m_c.accept("AS")) {
            m_s.asSelect = true;
            return;
        }
        const TokenRange inside = m_c.readParenthesized();
        TableDefinitionParser::parseDefinitions(m_c, inside, &m_s.columns, &m_s.constraints);
        // SQLite table options: WITHOUT ROWID, STRICT (comma-separated).
        while (!m_c.atEnd()) {
            if (m_c.acceptSequence({"WITHOUT", "ROWID"}))
                m_s.withoutRowid = true;
            else if (m_c.accept("STRICT"))
                m_s.strict = true;
            else if (m_c.accept("AS"))
                m_s.asSelect = true;
            else
                m_c.next();
        }
    }

    // CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table [USING m] (...) ...
    void createIndex()
    {
        m_s.kind = Kind::CreateIndex;
        m_s.concurrently = m_c.accept("CONCURRENTLY");
        m_s.ifNotExists = m_c.acceptSequence({"IF", "NOT", "EXISTS"});
        if (!m_c.at("ON"))
            m_s.objectName = m_c.readName();
        m_c.accept("ON");
        m_c.accept("ONLY");
        m_s.table = m_c.readName();
        if (m_c.accept("USING"))
            m_c.next();
        bool plain = false;
        m_s.indexColumns = m_c.readNameList(&plain);
        m_s.indexOnExpression = !plain;
        m_c.skipToTopLevel({"WHERE"});
        m_s.partialIndex = m_c.at("WHERE");
    }

    void alter()
    {
        if (!m_c.accept("TABLE")) {
            m_s.kind = Kind::AlterOther;
            m_c.next();
            m_s.objectName = m_c.readName();
            return;
        }
        m_s.kind = Kind::AlterTable;
        m_s.ifExists = m_c.acceptSequence({"IF", "EXISTS"});
        m_c.accept("ONLY");
        m_s.table = m_c.readName();
        m_s.tables = {m_s.table};
        m_s.actions = AlterTableParser::parseActions(m_c, {m_c.pos(), m_s.tokens.size()});
    }

    void drop()
    {
        if (m_c.accept("TABLE")) {
            m_s.kind = Kind::DropTable;
        } else if (m_c.accept("INDEX")) {
            m_s.kind = Kind::DropIndex;
            m_s.concurrently = m_c.accept("CONCURRENTLY");
        } else {
            m_s.kind = Kind::DropOther;
            m_c.next();
        }
        m_s.ifExists = m_c.acceptSequence({"IF", "EXISTS"});
        readNames();
        if (m_s.kind == Kind::DropIndex) {
            m_s.objectName = m_s.table;
            m_s.table.clear();
            m_s.tables.clear();
        } else if (m_s.kind == Kind::DropOther) {
            m_s.objectName = m_s.table;
            m_s.table.clear();
            m_s.tables.clear();
        }
    }

    // name[, name...] into tables (and table: the first)
    void readNames()
    {
        do {
            m_c.accept("ONLY");
            const QString name = m_c.readName();
            if (name.isEmpty())
                break;
            m_s.tables << name;
        } while (m_c.acceptPunctuation(QLatin1Char(',')));
        m_s.table = m_s.tables.value(0);
    }

    void insert()
    {
        m_s.kind = Kind::Insert;
        if (m_c.accept("REPLACE")) {
            m_s.conflictClause = QStringLiteral("REPLACE");
        } else {
            m_c.next();
            if (m_c.accept("OR")) {
                m_s.conflictClause = m_c.current().text.toUpper();
                m_c.next();
            }
        }
        m_c.accept("INTO");
        m_s.table = m_c.readName();
        m_c.skipToTopLevel({"SELECT", "VALUES", "DEFAULT"});
        if (m_c.accept("SELECT")) {
            m_c.skipToTopLevel({"FROM"});
            if (m_c.accept("FROM"))
                m_s.selectsFrom = m_c.readName();
        }
    }

    void update()
    {
        m_s.kind = Kind::Update;
        if (m_c.accept("OR")) {
            m_s.conflictClause = m_c.current().text.toUpper();
            m_c.next();
        }
        m_c.accept("ONLY");
        m_s.table = m_c.readName();
        m_c.skipToTopLevel({"SET"});
        m_c.accept("SET");
        const qsizetype begin = m_c.pos();
        m_c.skipToTopLevel({"FROM", "WHERE", "RETURNING"});
        for (const TokenRange &item : m_c.splitTopLevel({begin, m_c.pos()})) {
            SqlTokenCursor assignment = m_c.sub(item);
            if (assignment.atPunctuation(QLatin1Char('('))) {
                m_s.updatedColumns += assignment.readNameList();
            } else {
                const QString column = assignment.readName();
                if (!column.isEmpty())
                    m_s.updatedColumns << column;
            }
        }
        m_c.skipToTopLevel({"WHERE"});
        m_s.hasWhere = m_c.at("WHERE");
    }

    void remove()
    {
        m_s.kind = Kind::Delete;
        m_c.accept("FROM");
        m_c.accept("ONLY");
        m_s.table = m_c.readName();
        m_c.skipToTopLevel({"WHERE"});
        m_s.hasWhere = m_c.at("WHERE");
    }

    void truncate()
    {
        m_s.kind = Kind::Truncate;
        m_c.accept("TABLE");
        readNames();
    }

    void pragma()
    {
        m_s.kind = Kind::Pragma;
        m_s.objectName = m_c.readName();
        if (acceptEquals()) {
            m_s.value = m_c.textOf({m_c.pos(), m_s.tokens.size()});
        } else if (m_c.atPunctuation(QLatin1Char('('))) {
            m_s.value = m_c.textOf(m_c.readParenthesized());
        }
    }

    void set()
    {
        m_s.kind = Kind::Set;
        m_s.setLocal = m_c.accept("LOCAL");
        m_c.accept("SESSION");
        m_s.objectName = m_c.readName();
        if (m_c.accept("TO") || acceptEquals()) {
            m_s.value = m_c.textOf({m_c.pos(), m_s.tokens.size()});
        }
    }

    bool acceptEquals()
    {
        if (m_c.current().kind != SqlToken::Kind::Operator || m_c.current().text != QLatin1String("="))
            return false;
        m_c.next();
        return true;
    }

    void reindex()
    {
        m_s.kind = Kind::Reindex;
        if (m_c.atPunctuation(QLatin1Char('('))) // PostgreSQL: REINDEX (VERBOSE) ...
            m_c.readParenthesized();
        m_c.next(); // INDEX | TABLE | SCHEMA | DATABASE
        m_s.concurrently = m_c.accept("CONCURRENTLY");
    }

    StatementAnalysis &m_s;
    SqlTokenCursor m_c;
};

} // namespace

StatementAnalysis StatementAnalyzer::analyze(const QList<SqlToken> &tokens, const QString &sql, qsizetype sqlOffset)
{
    StatementAnalysis s;
    s.tokens = tokens;
    s.sql = sql;
    Analyzer(s, sqlOffset).run();
    return s;
}

} // namespace dbdeck
