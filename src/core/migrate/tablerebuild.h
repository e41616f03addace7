#pragma once

#include <QString>
#include <QVariant>

namespace dbdeck {

class Database;

// The "foreign_keys:off" rebuild mode of a SQLite migration section, SQLite's 12-step table
// rebuild done right: foreign keys can only be switched off outside a transaction, so this turns
// them off on the connection before dbdeck's BEGIN (and legacy_alter_table on, so that renaming
// the new table to the old name neither rewrites nor rejects the views and triggers that name it),
// checks every foreign key before COMMIT, and puts both settings back afterwards — also when the
// migration fails. Use: construct, begin(), BEGIN …, verifyInsideTransaction(), the section,
// checkForeignKeys(), COMMIT, restore() (the destructor restores too).
class TableRebuild
{
public:
    explicit TableRebuild(Database &db) : m_db(db) {}
    ~TableRebuild();
    TableRebuild(const TableRebuild &) = delete;
    TableRebuild &operator=(const TableRebuild &) = delete;

    void begin();
    // Throws MigrationError if foreign keys are on after all (the connection was replaced).
    void verifyInsideTransaction();
    // Throws MigrationError listing the rows whose foreign keys point nowhere (table, rowid, parent).
    void checkForeignKeys();
    void restore();

private:
    Database &m_db;
    bool m_active = false;
    QVariant m_foreignKeys;
    QVariant m_legacyAlterTable;
};

} // namespace dbdeck
