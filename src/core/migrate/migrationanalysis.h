#pragma once

#include "migrate/migrationfile.h"
#include "migrate/sqlsplitter.h"
#include "migrate/statementanalysis.h"

#include <QList>
#include <QString>

namespace dbdeck {

// One statement of a migration section, analyzed, with the comments that belong to it: those
// inside it, those on the lines just before it (after the previous statement) and one trailing
// on its last line. Suppressions (-- dbdeck:ignore) are read from them.
struct AnalyzedStatement
{
    StatementAnalysis analysis;
    QList<SqlToken> comments;
    QList<SqlToken> unterminated; // a string, identifier or comment running to the end of the section
};

// SQLite's table rebuild inside one section: CREATE TABLE new (...); INSERT INTO new ... SELECT
// ... FROM old; DROP TABLE old; ALTER TABLE new RENAME TO old.
struct TableRebuild
{
    QString table;     // the table rebuilt ("runs")
    QString newTable;  // the table built beside it ("runs_new")
    int createIndex = 0; // 0-based statement indexes of the four steps; copyIndex -1 when no copy
    int copyIndex = -1;
    int dropIndex = 0;
    int renameIndex = 0;
};

struct SectionAnalysis
{
    bool present = false;
    bool up = true;
    int markerLine = 0; // the "-- migrate:up/down" line
    QList<AnalyzedStatement> statements;
    QList<TableRebuild> rebuilds;

    const TableRebuild *rebuildDropping(int statementIndex) const;
    // The name a table created in this section ends up with (after a rebuild's rename).
    QString finalNameOf(const QString &table) const;
};

// The statements of a migration file's up and down sections as the runner splits them
// (SqlSplitter, on MigrationFile's sections, whose line numbers are the file's), each analyzed,
// with line and column in the file. Reads nothing but the MigrationFile.
class MigrationAnalysis
{
public:
    static MigrationAnalysis analyze(const MigrationFile &file, SqlSplitter::Dialect dialect);
    static SectionAnalysis analyzeSection(const QString &sectionText, SqlSplitter::Dialect dialect);

    const MigrationFile &file() const { return m_file; }
    const SectionAnalysis &up() const { return m_up; }
    const SectionAnalysis &down() const { return m_down; }

private:
    MigrationFile m_file;
    SectionAnalysis m_up;
    SectionAnalysis m_down;
};

} // namespace dbdeck
