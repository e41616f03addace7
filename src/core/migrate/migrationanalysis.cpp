#include "migrate/migrationanalysis.h"

#include "migrate/sqltokenizer.h"
#include "migrate/statementanalyzer.h"

#include <algorithm>

namespace dbdeck {

const TableRebuild *SectionAnalysis::rebuildDropping(int statementIndex) const
{
    for (const TableRebuild &rebuild : rebuilds) {
        if (rebuild.dropIndex == statementIndex)
            return &rebuild;
    }
    return nullptr;
}

QString SectionAnalysis::finalNameOf(const QString &table) const
{
    for (const TableRebuild &rebuild : rebuilds) {
        if (rebuild.newTable == table)
            return rebuild.table;
    }
    return table;
}

namespace {

QList<qsizetype> lineStarts(const QString &text)
{
    QList<qsizetype> starts{0, 0}; // starts[line] for 1-based lines
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('\n'))
            starts.append(i + 1);
    }
    return starts;
}

QList<TableRebuild> findRebuilds(const QList<AnalyzedStatement> &statements)
{
    using Kind = StatementAnalysis::Kind;
    QList<TableRebuild> rebuilds;
    for (int rename = 0; rename < statements.size(); ++rename) {
        const StatementAnalysis &r = statements.at(rename).analysis;
        if (r.kind != Kind::AlterTable || r.actions.size() != 1 || r.actions.first().kind != AlterAction::Kind::RenameTable)
            continue;
        TableRebuild rebuild;
        rebuild.newTable = r.table;
        rebuild.table = r.actions.first().newName;
        rebuild.createIndex = rebuild.dropIndex = -1;
        rebuild.renameIndex = rename;
        for (int i = 0; i < rename; ++i) {
            const StatementAnalysis &s = statements.at(i).analysis;
            if (s.kind == Kind::CreateTable && s.table == rebuild.newTable)
                rebuild.createIndex = i;
            else if (s.kind == Kind::DropTable && s.tables.contains(rebuild.table) && rebuild.createIndex >= 0)
                rebuild.dropIndex = i;
            else if (s.kind == Kind::Insert && s.table == rebuild.newTable && s.selectsFrom == rebuild.table
                     && rebuild.dropIndex < 0)
                rebuild.copyIndex = i;
        }
        if (rebuild.createIndex >= 0 && rebuild.dropIndex >= 0)
            rebuilds.append(rebuild);
    }
    return rebuilds;
}

} // namespace

SectionAnalysis MigrationAnalysis::analyzeSection(const QString &text, SqlSplitter::Dialect dialect)
{
    SectionAnalysis section;
    section.present = true;
    const QList<SqlToken> all = SqlTokenizer::tokenize(text, dialect);
    const QList<qsizetype> starts = lineStarts(text);
    const QList<SqlStatement> split = SqlSplitter::split(text, dialect);

    // Place each statement the splitter found at its offset in the text: the first token on or
    // after its line where its text begins.
    qsizetype cursor = 0;
    qsizetype tokenIndex = 0;
    QList<std::pair<qsizetype, qsizetype>> spans;
    for (const SqlStatement &statement : split) {
        const qsizetype lineStart = starts.value(statement.line, cursor);
        qsizetype at = text.indexOf(statement.sql, std::max(cursor, lineStart));
        if (at < 0)
            at = text.indexOf(statement.sql, cursor);
        if (at < 0)
            continue; // the splitter rewrote the text; nothing to place
        const qsizetype end = at + statement.sql.size();
        AnalyzedStatement analyzed;
        QList<SqlToken> tokens;
        while (tokenIndex < all.size() && all.at(tokenIndex).offset < at)
            ++tokenIndex;
        for (; tokenIndex < all.size() && all.at(tokenIndex).offset < end; ++tokenIndex) {
            const SqlToken &token = all.at(tokenIndex);
            if (token.unterminated)
                analyzed.unterminated.append(token);
            if (token.isComment())
                analyzed.comments.append(token);
            else
                tokens.append(token);
        }
        analyzed.analysis = StatementAnalyzer::analyze(tokens, statement.sql, at);
        analyzed.analysis.index = int(section.statements.size()) + 1;
        section.statements.append(std::move(analyzed));
        spans.append({at, end});
        cursor = end;
    }

    // Comments between statements: one on the last line of the statement before belongs to it,
    // the others to the statement after them.
    int next = 0;
    for (const SqlToken &token : all) {
        if (!token.isComment())
            continue;
        while (next < spans.size() && spans.at(next).second <= token.offset)
            ++next;
        if (next < spans.size() && token.offset >= spans.at(next).first)
            continue; // inside a statement: already there
        AnalyzedStatement *before = next > 0 ? &section.statements[next - 1] : nullptr;
        const bool trailing = before && !before->analysis.tokens.isEmpty()
            && before->analysis.tokens.last().position.line == token.position.line;
        // A comment after the last statement that is not on its line belongs to none.
        AnalyzedStatement *owner = trailing ? before : next < spans.size() ? &section.statements[next] : nullptr;
        if (!owner)
            continue;
        owner->comments.append(token);
        if (token.unterminated)
            owner->unterminated.append(token);
    }
    for (AnalyzedStatement &statement : section.statements)
        std::sort(statement.comments.begin(), statement.comments.end(),
                  [](const SqlToken &a, const SqlToken &b) { return a.offset < b.offset; });
    section.rebuilds = findRebuilds(section.statements);
    return section;
}

MigrationAnalysis MigrationAnalysis::analyze(const MigrationFile &file, SqlSplitter::Dialect dialect)
{
    MigrationAnalysis analysis;
    analysis.m_file = file;
    analysis.m_up = analyzeSection(file.upSql(), dialect);
    analysis.m_up.markerLine = file.upLine() - 1;
    if (file.downSql()) {
        analysis.m_down = analyzeSection(*file.downSql(), dialect);
        analysis.m_down.up = false;
        analysis.m_down.markerLine = file.downLine() - 1;
    }
    return analysis;
}

} // namespace dbdeck
