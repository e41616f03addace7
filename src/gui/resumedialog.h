#pragma once

#include "migrate/migrationstatus.h"
#include "migrate/sqlsplitter.h"

#include <QDialog>

class QListWidget;
class QSpinBox;

namespace dbdeck::gui {

// Asks where to resume an interrupted or failed-partial transaction:false migration: its
// statements, those that ran marked as done, the one it stopped at marked as such; the statement
// to start from defaults to that one (as `dbdeck-cli resume VERSION --from K`).
class ResumeDialog : public QDialog
{
    Q_OBJECT

public:
    ResumeDialog(const MigrationStatus &migration, SqlSplitter::Dialect dialect, QWidget *parent = nullptr);

    int fromStatement() const;
    QStringList statementLines() const; // what the list shows, for tests

private:
    QListWidget *m_statements = nullptr;
    QSpinBox *m_from = nullptr;
};

} // namespace dbdeck::gui
