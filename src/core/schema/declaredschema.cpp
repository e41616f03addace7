#include "schema/declaredschema.h"

#include "schema/schemaerror.h"
#include "schema/scratchdatabase.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dbdeck {

QStringList DeclaredSchema::files(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw SchemaError(QStringLiteral("the declared schema %1 does not exist (SCHEMA_DIR: a folder of .sql files or one .sql file)")
                              .arg(info.absoluteFilePath()));
    if (info.isFile())
        return {info.absoluteFilePath()};
    if (!info.isReadable() || !info.isExecutable())
        throw SchemaError(QStringLiteral("cannot read the declared schema folder %1: permission denied (SCHEMA_DIR: a folder of .sql "
                                         "files or one .sql file)").arg(info.absoluteFilePath()));
    QStringList found;
    const QDir dir(path);
    for (const QString &name : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name))
        found << dir.absoluteFilePath(name);
    if (found.isEmpty())
        throw SchemaError(QStringLiteral("the declared schema folder %1 has no .sql file").arg(info.absoluteFilePath()));
    return found;
}

Schema DeclaredSchema::load(const QString &path, const DbConfig &like)
{
    const QStringList paths = files(path);
    ScratchDatabase scratch(like);
    for (const QString &file : paths) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            throw SchemaError(QStringLiteral("cannot read the declared schema file %1: %2").arg(file, f.errorString()));
        scratch.apply(QString::fromUtf8(f.readAll()), QStringLiteral("declared schema %1").arg(file));
    }
    return scratch.read();
}

} // namespace dbdeck
