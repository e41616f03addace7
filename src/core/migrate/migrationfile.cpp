#include "migrate/migrationfile.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QRegularExpression>

namespace dbdeck {

QString MigrationProblem::toString() const
{
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(file, message);
}

QString MigrationFile::formatVersion(qint64 version)
{
    if (version == 0)
        return QStringLiteral("base");
    return QStringLiteral("%1").arg(version, 4, 10, QLatin1Char('0'));
}

bool MigrationFile::parseFileName(const QString &fileName, qint64 *version, QString *slug)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\\.sql$"));
    const auto m = pattern.match(fileName);
    if (!m.hasMatch())
        return false;
    bool ok = false;
    const qint64 v = m.captured(1).toLongLong(&ok);
    if (!ok || v <= 0)
        return false;
    if (version)
        *version = v;
    if (slug)
        *slug = m.captured(2);
    return true;
}

QString MigrationFile::checksumOf(const QString &section)
{
    QStringList lines = section.split(QRegularExpression(QStringLiteral("\r\n|\r|\n")));
    for (QString &line : lines) {
        qsizetype end = line.size();
        while (end > 0 && line.at(end - 1).isSpace())
            --end;
        line.truncate(end);
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    while (!lines.isEmpty() && lines.first().isEmpty())
        lines.removeFirst();
    return QString::fromLatin1(
        QCryptographicHash::hash(lines.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha256).toHex());
}

std::optional<MigrationFile> MigrationFile::parse(const QString &path, const QString &text,
                                                  QList<MigrationProblem> *problems)
{
    const qsizetype before = problems->size();
    auto problem = [&](int line, const QString &message) { problems->append({path, line, message}); };

    MigrationFile file;
    file.m_path = path;
    QString slug;
    const QString fileName = QFileInfo(path).fileName();
    if (!parseFileName(fileName, &file.m_version, &slug)) {
        problem(0, QStringLiteral("the file name does not match NNNN_slug.sql (a version number above 0, '_', "
                                  "then letters, digits, '_' or '-')"));
        return std::nullopt;
    }
    file.m_name = QFileInfo(path).completeBaseName();

    static const QRegularExpression marker(QStringLiteral("^--\\s*migrate:(\\S*)(.*)$"));
    QString body = text;
    if (body.startsWith(QChar(0xFEFF)))
        body.remove(0, 1);
    const QStringList lines = body.split(QRegularExpression(QStringLiteral("\r\n|\r|\n")));
    enum class Section { None, Up, Down } section = Section::None;
    QStringList up, down;
    int upMarker = 0, downMarker = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        const QString &line = lines.at(i);
        const auto m = marker.match(line.trimmed());
        if (m.hasMatch()) {
            const QString kind = m.captured(1);
            const QStringList options = m.captured(2).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (kind == QLatin1String("up")) {
                if (upMarker)
                    problem(lineNo, QStringLiteral("a second \"-- migrate:up\" marker (the first is on line %1)").arg(upMarker));
                upMarker = lineNo;
                section = Section::Up;
                for (const QString &option : options) {
                    if (option == QLatin1String("transaction:false"))
                        file.m_transactional = false;
                    else if (option == QLatin1String("foreign_keys:off"))
                        file.m_upForeignKeysOff = true;
                    else if (option != QLatin1String("transaction:true"))
                        problem(lineNo, QStringLiteral("unknown option \"%1\" after \"-- migrate:up\"; allowed: "
                                                       "transaction:false, transaction:true, foreign_keys:off").arg(option));
                }
            } else if (kind == QLatin1String("down")) {
                if (downMarker)
                    problem(lineNo, QStringLiteral("a second \"-- migrate:down\" marker (the first is on line %1)").arg(downMarker));
                for (const QString &option : options) {
                    if (option == QLatin1String("foreign_keys:off"))
                        file.m_downForeignKeysOff = true;
                    else
                        problem(lineNo, QStringLiteral("unknown option \"%1\" after \"-- migrate:down\"; allowed: "
                                                       "foreign_keys:off").arg(option));
                }
                downMarker = lineNo;
                section = Section::Down;
            } else {
                problem(lineNo, QStringLiteral("unknown marker \"-- migrate:%1\"; allowed: \"-- migrate:up\" and "
                                               "\"-- migrate:down\"").arg(kind));
            }
            continue;
        }
        switch (section) {
        case Section::None: {
            const QString trimmed = line.trimmed();
            if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1String("--")))
                problem(lineNo, QStringLiteral("text before the first marker; SQL belongs after \"-- migrate:up\" "
                                               "or \"-- migrate:down\" (comments may stand before)"));
            break;
        }
        case Section::Up: up << line; break;
        case Section::Down: down << line; break;
        }
    }
    // Blank line padding keeps statement line numbers equal to file line numbers.
    const auto sectionText = [&](int markerLine, const QStringList &sectionLines) {
        return QString(markerLine, QLatin1Char('\n')) + sectionLines.join(QLatin1Char('\n'));
    };
    const auto isBlank = [](const QStringList &sectionLines) {
        for (const QString &l : sectionLines) {
            const QString t = l.trimmed();
            if (!t.isEmpty() && !t.startsWith(QLatin1String("--")))
                return false;
        }
        return true;
    };
    if (!upMarker)
        problem(0, QStringLiteral("no \"-- migrate:up\" section"));
    else if (isBlank(up))
        problem(upMarker, QStringLiteral("the up section is empty"));
    file.m_up = sectionText(upMarker, up);
    file.m_upLine = upMarker + 1;
    // A down section with nothing in it counts as none: downgrading past it is refused rather
    // than silently doing nothing (write "SELECT 1;" for a deliberate no-op).
    if (downMarker && !isBlank(down)) {
        file.m_down = sectionText(downMarker, down);
        file.m_downLine = downMarker + 1;
    }
    // The rebuild mode is one transaction around the section, which transaction:false gives up.
    if (!file.m_transactional && (file.m_upForeignKeysOff || file.m_downForeignKeysOff))
        problem(file.m_upForeignKeysOff ? upMarker : downMarker,
                QStringLiteral("foreign_keys:off cannot be combined with transaction:false: the rebuild mode runs the section "
                               "in one transaction with foreign keys off; drop transaction:false (and the script's own "
                               "PRAGMA foreign_keys, BEGIN and COMMIT)"));
    file.m_checksum = checksumOf(up.join(QLatin1Char('\n')));
    if (problems->size() > before)
        return std::nullopt;
    return file;
}

} // namespace dbdeck
