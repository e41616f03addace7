#include "migrate/tablerebuild.h"

#include "db/database.h"
#include "db/errors.h"
#include "migrate/migrationerror.h"
#include "migrate/migrationlogging.h"

#include <QStringList>

namespace dbdeck {

TableRebuild::~TableRebuild()
{
    try {
        restore();
    } catch (const DbError &error) {
        // A fresh connection starts with the configured settings: never leave foreign keys off.
        qCWarning(lcMigrate).noquote() << "could not restore foreign_keys after a table rebuild, reopening the connection:"
                                       << error.message();
        m_db.closeConnection();
    }
}

void TableRebuild::begin()
{
    m_foreignKeys = m_db.scalar(QStringLiteral("PRAGMA foreign_keys"));
    m_legacyAlterTable = m_db.scalar(QStringLiteral("PRAGMA legacy_alter_table"));
    m_active = true;
    m_db.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    m_db.exec(QStringLiteral("PRAGMA legacy_alter_table = ON"));
}

void TableRebuild::verifyInsideTransaction()
{
    if (m_db.scalar(QStringLiteral("PRAGMA foreign_keys")).toInt() != 0)
        throw MigrationError(QStringLiteral("foreign keys are still on inside the rebuild's transaction (the connection was "
                                            "reopened after they were turned off); nothing was run"));
}

void TableRebuild::checkForeignKeys()
{
    QStringList rows;
    int total = 0;
    {
        QSqlQuery q = m_db.exec(QStringLiteral("PRAGMA foreign_key_check"));
        while (q.next()) {
            if (++total <= 10)
                rows << QStringLiteral("%1 rowid %2 -> %3").arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
        }
    }
    if (total == 0)
        return;
    throw MigrationError(QStringLiteral("PRAGMA foreign_key_check found %1 row(s) whose foreign key points nowhere: %2%3")
                             .arg(total).arg(rows.join(QStringLiteral(", ")), total > 10 ? QStringLiteral(", …") : QString()),
                         QStringLiteral("787")); // SQLITE_CONSTRAINT_FOREIGNKEY
}

void TableRebuild::restore()
{
    if (!m_active)
        return;
    m_active = false;
    m_db.exec(QStringLiteral("PRAGMA legacy_alter_table = %1").arg(m_legacyAlterTable.toInt() ? 1 : 0));
    m_db.exec(QStringLiteral("PRAGMA foreign_keys = %1").arg(m_foreignKeys.toInt() ? 1 : 0));
}

} // namespace dbdeck
