#include "migrate/environmentguard.h"

#include "db/database.h"
#include "db/transaction.h"
#include "db/utctime.h"
#include "migrate/migrationtables.h"

#include <QFileInfo>

namespace dbdeck {

EnvironmentGuard::EnvironmentGuard(Database &db) : m_db(db) {}

QString EnvironmentGuard::databaseName() const
{
    if (m_db.backend() == Backend::Postgres)
        return m_db.config().url().database();
    return QFileInfo(m_db.config().url().sqliteFilePath()).completeBaseName();
}

QString EnvironmentGuard::recordedTag()
{
    if (!m_db.exists() || !m_db.hasTable(MigrationTables::metadata()))
        return {};
    return m_db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'")).toString();
}

QString EnvironmentGuard::protection()
{
    const DbConfig &config = m_db.config();
    const QString list = QStringLiteral("(PROTECTED_ENVS: %1)").arg(config.protectedEnvs().join(QStringLiteral(", ")));
    if (config.isProtectedEnv(config.appEnv()))
        return QStringLiteral("APP_ENV is \"%1\", a protected environment %2").arg(config.appEnv(), list);
    const QString tag = recordedTag();
    if (config.isProtectedEnv(tag))
        return QStringLiteral("this database is tagged %1 (the APP_ENV it was migrated with), a protected environment %2")
            .arg(tag, list);
    return {};
}

void EnvironmentGuard::recordTag()
{
    const DbConfig &config = m_db.config();
    withTransaction(m_db, Transaction::Mode::Write, [&] {
        const QVariant current = m_db.scalar(QStringLiteral("SELECT value FROM dbdeck_metadata WHERE key = 'app_env'"));
        if (current.isValid() && config.isProtectedEnv(current.toString()) && !config.isProtectedEnv(config.appEnv()))
            return; // once protected, a database stays protected whoever migrates it later
        m_db.exec(QStringLiteral("INSERT INTO dbdeck_metadata (key, value, updated_at) VALUES ('app_env', ?, ?)"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"),
                  {config.appEnv(), utcNowForDb()});
    });
}

} // namespace dbdeck
