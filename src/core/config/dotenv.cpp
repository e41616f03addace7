#include "config/dotenv.h"

#include "config/dburl.h"
#include "db/errors.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace dbdeck {

namespace {

QString unescapeDoubleQuoted(const QString &body)
{
    QString out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        if (c != QLatin1Char('\\') || i + 1 == body.size()) {
            out += c;
            continue;
        }
        const QChar next = body.at(++i);
        switch (next.unicode()) {
        case 'n': out += QLatin1Char('\n'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case '"': out += QLatin1Char('"'); break;
        case '\\': out += QLatin1Char('\\'); break;
        default: out += QLatin1Char('\\'); out += next; break;
        }
    }
    return out;
}

} // namespace

QList<DotEnvEntry> DotEnv::readFile(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        throw ConfigError(QStringLiteral("cannot read .env file %1: it is a folder").arg(info.absoluteFilePath()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ConfigError(QStringLiteral("cannot read .env file %1: %2").arg(info.absoluteFilePath(), file.errorString()));
    return parse(QString::fromUtf8(file.readAll()), info.absoluteFilePath());
}

QList<DotEnvEntry> DotEnv::parse(const QString &text, const QString &fileName)
{
    static const QRegularExpression assignment(
        QStringLiteral("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*?)\\s*$"));

    QList<DotEnvEntry> entries;
    QString body = text;
    if (body.startsWith(QChar(0xFEFF)))
        body.remove(0, 1);
    const QStringList lines = body.split(QLatin1Char('\n'));
    for (int index = 0; index < lines.size(); ++index) {
        QString line = lines.at(index);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        const int lineNumber = index + 1;
        auto malformed = [&](const QString &why) {
            return ConfigError(QStringLiteral("%1:%2: malformed line \"%3\": %4")
                                   .arg(fileName).arg(lineNumber).arg(DbUrl::redactText(trimmed.left(80)), why));
        };
        const auto m = assignment.match(line);
        if (!m.hasMatch())
            throw malformed(QStringLiteral("expected NAME=value (a name is letters, digits and _ "
                                           "and does not start with a digit)"));
        QString value = m.captured(2);
        if (value.startsWith(QLatin1Char('\'')) || value.startsWith(QLatin1Char('"'))) {
            const QChar quote = value.at(0);
            qsizetype end = 1;
            while (end < value.size()) {
                if (value.at(end) == QLatin1Char('\\') && quote == QLatin1Char('"')) {
                    end += 2;
                    continue;
                }
                if (value.at(end) == quote)
                    break;
                ++end;
            }
            if (end >= value.size())
                throw malformed(QStringLiteral("the value's closing %1 quote is missing").arg(quote));
            const QString rest = value.mid(end + 1).trimmed();
            if (!rest.isEmpty() && !rest.startsWith(QLatin1Char('#')))
                throw malformed(QStringLiteral("text after the closing quote"));
            const QString inner = value.mid(1, end - 1);
            value = quote == QLatin1Char('"') ? unescapeDoubleQuoted(inner) : inner;
        } else {
            // An unquoted value ends at " #" (a comment); a '#' inside the value stays.
            const qsizetype comment = value.indexOf(QRegularExpression(QStringLiteral("\\s#")));
            if (comment >= 0)
                value = value.left(comment).trimmed();
        }
        entries.append({m.captured(1), value, lineNumber});
    }
    return entries;
}

} // namespace dbdeck
