#include "dbworker.h"

#include "db/errors.h"

#include <QFileInfo>

#include <sqlite3.h>

namespace dbdeck::gui {

DbWorker::DbWorker(DbConfig config) : m_config(std::move(config)) {}

DbWorker::~DbWorker() = default;

void DbWorker::open()
{
    try {
        if (!m_db)
            m_db = std::make_unique<Database>(m_config);
        m_db->connection();
        ConnectionSummary summary;
        summary.displayUrl = m_db->displayName();
        summary.connections = m_db->connections();
        summary.warnings = m_db->warnings();
        if (m_db->backend() == Backend::Sqlite) {
            summary.driver = QStringLiteral("SQLite %1").arg(QLatin1String(sqlite3_libversion()));
            if (!m_config.url().isMemory()) {
                summary.filePath = m_config.url().sqliteFilePath();
                const QFileInfo file(summary.filePath);
                const QFileInfo wal(summary.filePath + QStringLiteral("-wal"));
                summary.fileBytes = file.exists() ? file.size() : -1;
                summary.walBytes = wal.exists() ? wal.size() : -1;
            }
        } else {
            summary.driver = QStringLiteral("PostgreSQL");
        }
        Q_EMIT opened(summary);
    } catch (const DbError &error) {
        m_db.reset();
        Q_EMIT failed(error.message());
    }
}

} // namespace dbdeck::gui
