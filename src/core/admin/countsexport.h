#pragma once

#include "admin/tablecounter.h"

#include <QByteArray>

namespace dbdeck {

// Table counts as text for people (table), spreadsheets (csv) or programs (canonical json), and
// written to a file through QSaveFile, so a failed write never leaves a partial file.
class CountsExport
{
public:
    static QStringList formats() { return {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")}; }
    static QByteArray render(const QList<TableCount> &counts, const QString &format);
    // Throws DbError naming the file and the reason.
    static void write(const QString &path, const QList<TableCount> &counts, const QString &format);
};

} // namespace dbdeck
