#include "admin/countsexport.h"

#include "db/errors.h"
#include "migrate/schemaownership.h"
#include "store/jsonvalue.h"

#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>

namespace dbdeck {

namespace {

QString csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n'))
        && !field.contains(QLatin1Char('\r')))
        return field;
    return QLatin1Char('"') + QString(field).replace(QStringLiteral("\""), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString ownerOf(const TableCount &c)
{
    return c.owner.isEmpty() ? SchemaOwnership::ownerOf(c.table) : c.owner;
}

} // namespace

QByteArray CountsExport::render(const QList<TableCount> &counts, const QString &format)
{
    if (format == QLatin1String("json")) {
        JsonValue items = JsonValue::array();
        for (const TableCount &c : counts)
        {
            JsonValue item = JsonValue::object({{QStringLiteral("table"), JsonValue::string(c.table)},
                                                {QStringLiteral("rows"), JsonValue::integer(c.rows)},
                                                {QStringLiteral("indexes"), JsonValue::integer(c.indexes)},
                                                {QStringLiteral("dbdeck_owned"), JsonValue::boolean(c.dbdeckOwned)},
                                                {QStringLiteral("owner"), JsonValue::string(ownerOf(c))}});
            if (c.estimate >= 0)
                item.insert(QStringLiteral("estimated_rows"), JsonValue::integer(c.estimate)); // PostgreSQL's planner estimate
            items.append(item);
        }
        return items.canonical() + '\n';
    }
    QString out;
    if (format == QLatin1String("csv")) {
        out = QStringLiteral("table,rows,indexes,dbdeck_owned,owner\r\n");
        for (const TableCount &c : counts)
            out += QStringLiteral("%1,%2,%3,%4,%5\r\n").arg(csvField(c.table)).arg(c.rows).arg(c.indexes)
                       .arg(c.dbdeckOwned ? QStringLiteral("true") : QStringLiteral("false"), ownerOf(c));
        return out.toUtf8();
    }
    if (format != QLatin1String("table"))
        throw DbError(QStringLiteral("unknown export format \"%1\"; allowed: table, csv, json").arg(format));
    // People read the table: digits grouped in thousands (never in csv or json).
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    // Tables that are not the application's say whose they are: "dbdeck_metadata (dbdeck)", "alembic_version (Alembic)".
    const auto label = [](const TableCount &c) {
        const QString owner = ownerOf(c);
        return owner == QLatin1String("application") ? c.table : QStringLiteral("%1 (%2)").arg(c.table, owner);
    };
    qsizetype width = 5;
    for (const TableCount &c : counts)
        width = std::max(width, label(c).size());
    const bool estimates = std::any_of(counts.cbegin(), counts.cend(), [](const TableCount &c) { return c.estimate >= 0; });
    out = QStringLiteral("TABLE").leftJustified(width) + QStringLiteral("  %1  INDEXES").arg(QStringLiteral("ROWS"), 12)
        + (estimates ? QStringLiteral("  ESTIMATED ROWS (planner)") : QString()) + QLatin1Char('\n');
    for (const TableCount &c : counts)
        out += label(c).leftJustified(width)
             + QStringLiteral("  %1  %2").arg(english.toString(c.rows), 12).arg(c.indexes, 7)
             + (estimates && c.estimate >= 0 ? QStringLiteral("  ~%1").arg(english.toString(c.estimate)) : QString()) + QLatin1Char('\n');
    return out.toUtf8();
}

void CountsExport::write(const QString &path, const QList<TableCount> &counts, const QString &format)
{
    const QByteArray data = render(counts, format);
    QSaveFile file(path);
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!file.open(QIODevice::WriteOnly))
        throw DbError(QStringLiteral("cannot write %1: %2").arg(absolute, file.errorString()));
    if (file.write(data) != data.size()) {
        file.cancelWriting();
        throw DbError(QStringLiteral("cannot write %1: %2").arg(absolute, file.errorString()));
    }
    if (!file.commit())
        throw DbError(QStringLiteral("cannot write %1: %2").arg(absolute, file.errorString()));
}

} // namespace dbdeck
