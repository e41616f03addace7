#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace dbdeck {

// Keeps passwords out of everything dbdeck prints or logs, in two ways that do not depend on
// a URL being well-formed:
//  - redactUrls() masks what looks like a password in URL-shaped text (user:PASSWORD@ after
//    "scheme://", password= and sslpassword= query values, and after "scheme://user:" with no
//    '@' the rest of the line), erring on the side of masking too much;
//  - every password a URL held when it was read (as written and decoded) is remembered, and
//    scrub() and the installed message handler replace it wherever it turns up.
class Redactor
{
public:
    static QString redactUrls(const QString &text);
    // Where redactUrls() masks, in text's positions, sorted.
    static QList<QPair<qsizetype, qsizetype>> maskedSpans(const QString &text);
    // Remembers what redactUrls() would mask in text as secrets: a URL that reads oddly
    // ("user:pass" with no '@') keeps the would-be password out of every later message too.
    static void rememberSecretsIn(const QString &text);
    // Remembers a secret (ignored when shorter than minimumSecretLength: masking every "pw" in
    // the output would garble it; such passwords are still masked by position).
    static void addSecret(const QString &secret);
    static constexpr int minimumSecretLength = 4;
    // redactUrls() plus every remembered secret as ***.
    static QString scrub(const QString &text);
    // Routes every qDebug/qInfo/qWarning/qCritical message through scrub() before the handler
    // that was installed before (Qt's default: standard error). Call once, early in main().
    static void installMessageFilter();
    // For tests: forget the remembered secrets.
    static void forgetSecrets();
};

} // namespace dbdeck
