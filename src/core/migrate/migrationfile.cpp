#include "migrate/migrationfile.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace dbdeck {

namespace {

// Lines split at \r\n, \r or \n, as views into the text. By hand rather than with a regular
// expression: `status` reads every migration file each time, thousands in a big project.
QList<QStringView> splitLines(QStringView text)
{
    QList<QStringView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c != QLatin1Char('\n') && c != QLatin1Char('\r'))
            continue;
        lines.append(text.mid(start, i - start));
        if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
            ++i;
        start = i + 1;
    }
    lines.append(text.mid(start));
    return lines;
}

bool isAsciiSpace(QChar c)
{
    return c == QLatin1Char(' ') || (c.unicode() >= '\t' && c.unicode() <= '\r');
}

// "-- migrate:KIND REST" (the line already trimmed): true with kind and the rest when it is one.
bool markerLine(QStringView line, QStringView *kind, QStringView *rest)
{
    if (!line.startsWith(QLatin1String("--")))
        return false;
    qsizetype i = 2;
    while (i < line.size() && isAsciiSpace(line.at(i)))
        ++i;
    if (!line.mid(i).startsWith(QLatin1String("migrate:")))
        return false;
    i += 8;
    qsizetype end = i;
    while (end < line.size() && !isAsciiSpace(line.at(end)))
        ++end;
    *kind = line.mid(i, end - i);
    *rest = line.mid(end);
    return true;
}

} // namespace

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
    // ^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$, by hand (see splitLines).
    const auto isDigit = [](QChar c) { return c.unicode() >= '0' && c.unicode() <= '9'; };
    const auto isAlnum = [&](QChar c) {
        return isDigit(c) || (c.unicode() >= 'a' && c.unicode() <= 'z') || (c.unicode() >= 'A' && c.unicode() <= 'Z');
    };
    if (!fileName.endsWith(QLatin1String(".sql")))
        return false;
    const QStringView name = QStringView(fileName).chopped(4);
    qsizetype digits = 0;
    while (digits < name.size() && isDigit(name.at(digits)))
        ++digits;
    if (digits == 0 || digits + 1 >= name.size() || name.at(digits) != QLatin1Char('_') || !isAlnum(name.at(digits + 1)))
        return false;
    const QStringView slugPart = name.mid(digits + 1);
    for (const QChar c : slugPart) {
        if (!isAlnum(c) && c != QLatin1Char('_') && c != QLatin1Char('-'))
            return false;
    }
    bool ok = false;
    const qint64 v = name.first(digits).toLongLong(&ok);
    if (!ok || v <= 0)
        return false;
    if (version)
        *version = v;
    if (slug)
        *slug = slugPart.toString();
    return true;
}

QString MigrationFile::checksumOf(const QString &section)
{
    QList<QStringView> lines = splitLines(section);
    for (QStringView &line : lines) {
        qsizetype end = line.size();
        while (end > 0 && line.at(end - 1).isSpace())
            --end;
        line.truncate(end);
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    while (!lines.isEmpty() && lines.first().isEmpty())
        lines.removeFirst();
    QString joined;
    joined.reserve(section.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i)
            joined += QLatin1Char('\n');
        joined += lines.at(i);
    }
    return QString::fromLatin1(QCryptographicHash::hash(joined.toUtf8(), QCryptographicHash::Sha256).toHex());
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

    QStringView body = text;
    if (body.startsWith(QChar(0xFEFF)))
        body = body.mid(1);
    const QList<QStringView> lines = splitLines(body);
    enum class Section { None, Up, Down } section = Section::None;
    QList<QStringView> up, down;
    int upMarker = 0, downMarker = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        const QStringView line = lines.at(i);
        QStringView kind, rest;
        if (markerLine(line.trimmed(), &kind, &rest)) {
            const QStringList options = rest.toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
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
                                               "\"-- migrate:down\"").arg(kind.toString()));
            }
            continue;
        }
        switch (section) {
        case Section::None: {
            const QStringView trimmed = line.trimmed();
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
    const auto join = [](const QList<QStringView> &sectionLines, QString prefix) {
        for (qsizetype i = 0; i < sectionLines.size(); ++i) {
            if (i)
                prefix += QLatin1Char('\n');
            prefix += sectionLines.at(i);
        }
        return prefix;
    };
    const auto sectionText = [&](int markerAt, const QList<QStringView> &sectionLines) {
        return join(sectionLines, QString(markerAt, QLatin1Char('\n')));
    };
    const auto isBlank = [](const QList<QStringView> &sectionLines) {
        for (const QStringView l : sectionLines) {
            const QStringView t = l.trimmed();
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
    file.m_checksum = checksumOf(join(up, QString()));
    if (problems->size() > before)
        return std::nullopt;
    return file;
}

} // namespace dbdeck
