#include "migrate/migrationset.h"

#include "migrate/migrationerror.h"
#include "migrate/statementrules.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace dbdeck {

MigrationSet MigrationSet::load(const QString &folder)
{
    MigrationSet set;
    set.m_folder = QDir(folder).absolutePath();
    const QDir dir(folder);
    if (!dir.exists()) {
        set.m_problems.append({set.m_folder, 0, QStringLiteral("the migrations folder does not exist (set MIGRATIONS_DIR "
                                                               "or --migrations)")});
        return set;
    }
    QHash<qint64, QString> seen;
    // The same files as entryList({"*.sql"}, QDir::Files, QDir::Name) (not hidden, suffix in any
    // case, sorted by name), without its wildcard regular expression and per-entry sort keys: at
    // thousands of files that listing was a tenth of `status`.
    QStringList names;
    for (QDirIterator it(folder, QDir::Files); it.hasNext();) {
        const QString name = it.nextFileInfo().fileName();
        if (name.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive))
            names.append(name);
    }
    std::sort(names.begin(), names.end());
    for (const QString &name : names) {
        const QString path = dir.absoluteFilePath(name);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            set.m_problems.append({path, 0, QStringLiteral("cannot read: %1").arg(file.errorString())});
            continue;
        }
        const auto parsed = MigrationFile::parse(path, QString::fromUtf8(file.readAll()), &set.m_problems);
        if (!parsed)
            continue;
        if (seen.contains(parsed->version())) {
            set.m_problems.append({path, 0, QStringLiteral("version %1 is also used by %2; versions must be unique")
                                                .arg(MigrationFile::formatVersion(parsed->version()), seen.value(parsed->version()))});
            continue;
        }
        seen.insert(parsed->version(), name);
        set.m_files.append(*parsed);
    }
    std::sort(set.m_files.begin(), set.m_files.end(),
              [](const MigrationFile &a, const MigrationFile &b) { return a.version() < b.version(); });
    return set;
}

MigrationSet MigrationSet::fromFiles(QList<MigrationFile> files)
{
    MigrationSet set;
    set.m_files = std::move(files);
    std::sort(set.m_files.begin(), set.m_files.end(),
              [](const MigrationFile &a, const MigrationFile &b) { return a.version() < b.version(); });
    return set;
}

void MigrationSet::checkStatements(SqlSplitter::Dialect dialect)
{
    for (const MigrationFile &file : std::as_const(m_files))
        m_problems += StatementRules::check(file, dialect);
}

void MigrationSet::requireValid() const
{
    if (m_problems.isEmpty())
        return;
    QStringList lines;
    for (const MigrationProblem &p : m_problems)
        lines << p.toString();
    throw MigrationError(QStringLiteral("the migration files have problems:\n  %1").arg(lines.join(QStringLiteral("\n  "))));
}

QString MigrationSet::writeRevision(const QString &folder, const QString &message, const QString &content)
{
    QString slug = message.trimmed().toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
    slug = slug.left(50);
    while (slug.startsWith(QLatin1Char('_')))
        slug.remove(0, 1);
    while (slug.endsWith(QLatin1Char('_')))
        slug.chop(1);
    if (slug.isEmpty())
        throw MigrationError(QStringLiteral("the revision message \"%1\" has no letters or digits to name the file by").arg(message));
    if (!QDir().mkpath(folder))
        throw MigrationError(QStringLiteral("cannot create the migrations folder %1").arg(folder));
    // The next number after every file that looks like a migration, valid or not.
    qint64 next = 1;
    for (const QString &name : QDir(folder).entryList({QStringLiteral("*.sql")}, QDir::Files)) {
        qint64 version = 0;
        if (MigrationFile::parseFileName(name, &version, nullptr))
            next = std::max(next, version + 1);
    }
    const QString path = QDir(folder).absoluteFilePath(
        QStringLiteral("%1_%2.sql").arg(MigrationFile::formatVersion(next), slug));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw MigrationError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(content.isEmpty() ? QStringLiteral("-- %1\n-- migrate:up\n\n\n-- migrate:down\n\n").arg(message.simplified()).toUtf8()
                                 : content.toUtf8());
    if (!file.commit())
        throw MigrationError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return path;
}

const MigrationFile *MigrationSet::find(qint64 version) const
{
    for (const MigrationFile &file : m_files) {
        if (file.version() == version)
            return &file;
    }
    return nullptr;
}

} // namespace dbdeck
