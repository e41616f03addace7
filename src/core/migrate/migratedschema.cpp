#include "migrate/migratedschema.h"

#include "schema/scratchdatabase.h"

#include <QFile>
#include <QRegularExpression>

namespace dbdeck {

bool MigratedSchema::foreignKeysOff(const MigrationFile &file, bool up)
{
    // Read from the file's marker line, so that this works whether or not MigrationFile keeps
    // the option (the Migrator implements the mode itself).
    QFile f(file.path());
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QRegularExpression marker(QStringLiteral("^--\\s*migrate:%1\\b.*\\bforeign_keys:off\\b")
                                        .arg(up ? QStringLiteral("up") : QStringLiteral("down")),
                                    QRegularExpression::MultilineOption);
    return marker.match(QString::fromUtf8(f.readAll())).hasMatch();
}

void MigratedSchema::applyTo(ScratchDatabase &scratch, const MigrationSet &set, qint64 upTo)
{
    set.requireValid();
    for (const MigrationFile &file : set.files()) {
        if (upTo >= 0 && file.version() > upTo)
            break;
        scratch.apply(file.upSql(), QStringLiteral("migration %1").arg(file.name()), foreignKeysOff(file, true));
    }
}

Schema MigratedSchema::build(const MigrationSet &set, const DbConfig &like, qint64 upTo)
{
    ScratchDatabase scratch(like);
    applyTo(scratch, set, upTo);
    return scratch.read();
}

} // namespace dbdeck
