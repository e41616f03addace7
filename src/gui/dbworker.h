#pragma once

#include "config/dbconfig.h"
#include "db/database.h"

#include <QObject>

#include <memory>

namespace dbdeck::gui {

// What the window shows about the open database.
struct ConnectionSummary
{
    QString displayUrl;    // password as ***
    QString driver;        // "SQLite 3.40.1" / "PostgreSQL"
    QString filePath;      // SQLite file, empty otherwise
    qint64 fileBytes = -1; // -1: no file
    qint64 walBytes = -1;  // -1: no -wal file
    QList<ConnectionInfo> connections;
    QStringList warnings;
};

// The one object that talks to the database for the GUI. It lives on its own QThread and owns
// that thread's connection; panels call its slots through queued connections and get results
// by signal. No exception leaves a slot: errors become failed(...).
class DbWorker : public QObject
{
    Q_OBJECT

public:
    explicit DbWorker(DbConfig config);
    ~DbWorker() override;

public Q_SLOTS:
    void open();

Q_SIGNALS:
    void opened(const dbdeck::gui::ConnectionSummary &summary);
    void failed(const QString &message);

private:
    DbConfig m_config;
    std::unique_ptr<Database> m_db; // created, used and destroyed on the worker thread
};

} // namespace dbdeck::gui
