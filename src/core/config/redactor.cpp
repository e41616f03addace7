#include "config/redactor.h"

#include "config/pythontext.h"

#include <QMutex>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cstdio>

namespace dbdeck {

namespace {

QMutex &secretsMutex()
{
    static QMutex mutex;
    return mutex;
}

QSet<QString> &secrets()
{
    static QSet<QString> set;
    return set;
}

QtMessageHandler g_previousHandler = nullptr;

void scrubbingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString clean = Redactor::scrub(message);
    if (g_previousHandler)
        g_previousHandler(type, context, clean);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, clean)));
}

bool isSecretKey(const QString &rawKey)
{
    const QString key = PythonText::unquote(QString(rawKey).replace(QLatin1Char('+'), QLatin1Char(' '))).trimmed().toLower();
    return key == QLatin1String("password") || key == QLatin1String("sslpassword");
}

} // namespace

QList<QPair<qsizetype, qsizetype>> Redactor::maskedSpans(const QString &text)
{
    QList<QPair<qsizetype, qsizetype>> spans;
    if (!text.contains(QLatin1String("://")) && !text.contains(QLatin1Char('=')))
        return spans;
    // user:PASSWORD@ as SQLAlchemy reads it: the user name holds no ':' or '/', the password
    // runs to the first '@'. Without an '@', a "user:" followed by anything but a port masks the
    // rest of the line: a cut-off or mistyped URL must not show its password either.
    static const QRegularExpression scheme(QStringLiteral("[\\w+]+://"), QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression userinfo(QStringLiteral("\\A([^:/\\n]*):([^@\\n]*)@"));
    static const QRegularExpression dangling(QStringLiteral("\\A([^:/\\n]*):(?![0-9]+(?:[/?\\s]|\\z))([^\\n]+)"));
    qsizetype from = 0;
    while (true) {
        const auto s = scheme.match(text, from);
        if (!s.hasMatch())
            break;
        const qsizetype start = s.capturedEnd();
        const QString rest = text.mid(start);
        auto m = userinfo.match(rest);
        if (!m.hasMatch())
            m = dangling.match(rest);
        if (m.hasMatch() && m.capturedLength(2) > 0 && m.captured(2) != QLatin1String("***")) {
            spans.append({start + m.capturedStart(2), m.capturedLength(2)});
            from = start + m.capturedEnd(2);
        } else {
            from = start;
        }
    }
    // password=... and sslpassword=... in a query, the key possibly %-encoded; the value runs
    // to the next '&' or the end of the line.
    static const QRegularExpression queryItem(QStringLiteral("([?&])([^=&?\\s]*)=([^&\\n]*)"));
    qsizetype pos = 0;
    while (true) {
        const auto m = queryItem.match(text, pos);
        if (!m.hasMatch())
            break;
        const bool inside = std::any_of(spans.cbegin(), spans.cend(), [&](const auto &span) {
            return m.capturedStart(3) >= span.first && m.capturedStart(3) < span.first + span.second;
        });
        if (!inside && isSecretKey(m.captured(2)) && m.capturedLength(3) > 0 && m.captured(3) != QLatin1String("***")) {
            spans.append({m.capturedStart(3), m.capturedLength(3)});
            pos = m.capturedEnd(3);
        } else {
            pos = m.capturedStart(2);
        }
    }
    std::sort(spans.begin(), spans.end());
    return spans;
}

QString Redactor::redactUrls(const QString &text)
{
    const auto spans = maskedSpans(text);
    QString out = text;
    for (auto it = spans.crbegin(); it != spans.crend(); ++it)
        out.replace(it->first, it->second, QStringLiteral("***"));
    return out;
}

void Redactor::rememberSecretsIn(const QString &text)
{
    for (const auto &[start, length] : maskedSpans(text)) {
        // As written and as any part of dbdeck may decode it (%-escapes, '+', a query's '=').
        const QString raw = text.mid(start, length);
        for (const QString &form : {raw, raw.mid(raw.startsWith(QLatin1Char('=')) ? 1 : 0)}) {
            addSecret(form);
            addSecret(PythonText::unquote(form));
            addSecret(PythonText::unquote(QString(form).replace(QLatin1Char('+'), QLatin1Char(' '))));
        }
    }
}

void Redactor::addSecret(const QString &secret)
{
    if (secret.size() < minimumSecretLength || secret == QLatin1String("***"))
        return;
    QMutexLocker lock(&secretsMutex());
    secrets().insert(secret);
}

QString Redactor::scrub(const QString &text)
{
    QString out = redactUrls(text);
    QList<QString> known;
    {
        QMutexLocker lock(&secretsMutex());
        if (secrets().isEmpty())
            return out;
        known = secrets().values();
    }
    // Longest first, so that a secret containing another is masked whole.
    std::sort(known.begin(), known.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : std::as_const(known))
        out.replace(secret, QStringLiteral("***"));
    return out;
}

void Redactor::installMessageFilter()
{
    const QtMessageHandler previous = qInstallMessageHandler(scrubbingHandler);
    if (previous != scrubbingHandler)
        g_previousHandler = previous; // nullptr: Qt's default, which scrubbingHandler stands in for
}

void Redactor::forgetSecrets()
{
    QMutexLocker lock(&secretsMutex());
    secrets().clear();
}

} // namespace dbdeck
