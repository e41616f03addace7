#include "config/dbconfig.h"
#include "config/dotenv.h"
#include "config/redactor.h"
#include "db/database.h"
#include "db/errors.h"

#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace dbdeck;

namespace {

// Everything printed, logged or thrown while one URL is handled.
QStringList g_logged;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logged << message;
}

struct Sample
{
    QString url;      // as written in DB_URL
    QString password; // as the application reads it (decoded)
    QString written;  // as written in the URL (maybe %-encoded)
};

// A password with a distinctive core (so any piece of it in the output is a leak, not chance)
// and characters that are hard on URL parsing: ':', '/', '?', '#', '%', spaces, quotes, unicode.
Sample generate(QRandomGenerator &random)
{
    static const QString core = QStringLiteral("QZXJKVWY");
    static const QString special = QStringLiteral(":/?#% '\"&=+;!~*()[]é€");
    QString password;
    const int length = 10 + random.bounded(10);
    for (int i = 0; i < length; ++i)
        password += random.bounded(3) == 0 ? special.at(random.bounded(special.size())) : core.at(random.bounded(core.size()));
    password.replace(2, 1, QStringLiteral("Q7Z")); // the core marker is always there
    // Written: '@' and '%' must be encoded for SQLAlchemy (and in a query '&', '+', '=' too, or
    // the application reads another password); the rest is encoded at random.
    const bool inQuery = random.bounded(4) == 0;
    QString written;
    for (const QChar c : password) {
        const bool mustEncode = c == QLatin1Char('%') || c == QLatin1Char('@')
                                || (inQuery && QStringLiteral("&+=").contains(c));
        if (mustEncode || (c.unicode() > 127 && random.bounded(2)) || (!c.isLetterOrNumber() && random.bounded(2)))
            written += QString::fromLatin1(QUrl::toPercentEncoding(QString(c)));
        else
            written += c;
    }
    static const QStringList schemes{QStringLiteral("postgresql"), QStringLiteral("postgresql+psycopg"),
                                     QStringLiteral("postgresql+asyncpg"), QStringLiteral("mysql"), QStringLiteral("Postgres"),
                                     QStringLiteral("sqlite")};
    static const QStringList users{QStringLiteral("app"), QStringLiteral("us?er"), QStringLiteral("a@b"),
                                   QStringLiteral("u%40x"), QStringLiteral(""), QStringLiteral("long_user_name_for_cutting_lines")};
    static const QStringList tails{QStringLiteral("@db.internal:5432/app"), QStringLiteral("@db:notaport/app"),
                                   QStringLiteral("@[::1]:70000/app?sslmode=require"), QStringLiteral("@h/app?options=-c%20a%3Bb"),
                                   QStringLiteral("@h/d%zz?application_name=x%2"), QStringLiteral(""), QStringLiteral("/app"),
                                   QStringLiteral("@h/app?host=h1,h2&port=1,2,3")};
    const QString scheme = schemes.at(random.bounded(schemes.size()));
    const QString user = users.at(random.bounded(users.size()));
    const QString tail = tails.at(random.bounded(tails.size()));
    Sample s;
    s.password = QUrl::fromPercentEncoding(written.toUtf8());
    s.written = written;
    switch (inQuery ? 0 : 1 + random.bounded(3)) {
    case 0: // in the query
        s.url = scheme + QStringLiteral("://") + user + QStringLiteral("@h/app?sslmode=x&password=") + written;
        break;
    case 1: // cut off: no '@' at all
        s.url = scheme + QStringLiteral("://") + user + QLatin1Char(':') + written;
        break;
    default:
        s.url = scheme + QStringLiteral("://") + user + QLatin1Char(':') + written + (tail.isEmpty() ? QStringLiteral("@h/d") : tail);
        break;
    }
    return s;
}

// The pieces of a password that must never appear: the whole (as read and as written) and
// every run of five characters of its core.
QStringList forbidden(const Sample &s)
{
    QStringList out{s.password, s.written};
    QString core;
    for (const QChar c : s.password) {
        if (QStringLiteral("QZXJKVWY7").contains(c))
            core += c;
        else if (core.size() < 5)
            core.clear();
        else
            break;
    }
    for (qsizetype i = 0; i + 5 <= core.size(); ++i)
        out << core.mid(i, 5);
    return out;
}

QString leak(const QStringList &texts, const Sample &s)
{
    for (const QString &text : texts) {
        for (const QString &piece : forbidden(s)) {
            if (!piece.isEmpty() && text.contains(piece))
                return QStringLiteral("\"%1\" shows \"%2\" of %3").arg(text, piece, s.url);
        }
    }
    return {};
}

QString dotenvLine(const QString &url, int form)
{
    QString escaped = url;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    switch (form) {
    case 0: return QStringLiteral("DB_URL=\"%1\"\n").arg(escaped);
    case 1: return QStringLiteral("DB_URL \"%1\n").arg(escaped);          // malformed: no '=', unclosed quote
    case 2: return QStringLiteral("DB_URL=\"%1\n").arg(escaped);          // unclosed quote
    default: return QStringLiteral("export   DB_URL = '%1' trailing text\n").arg(url); // text after the quote
    }
}

} // namespace

class tst_Redactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redactsUrlShapedText_data();
    void redactsUrlShapedText();
    void noPasswordAnywhere();
    void messageFilterScrubsKnownSecrets();
};

void tst_Redactor::redactsUrlShapedText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("url") << "postgresql://u:secret@h/d" << "postgresql://u:***@h/d";
    QTest::newRow("in a sentence") << "cannot use postgresql+asyncpg://bob:pa:ss@h:1/d now"
                                   << "cannot use postgresql+asyncpg://bob:***@h:1/d now";
    QTest::newRow("user with ?") << "bad postgresql://us?r:secret@h/d" << "bad postgresql://us?r:***@h/d";
    QTest::newRow("cut before @") << "DB_URL \"postgresql://u:secretsecre" << "DB_URL \"postgresql://u:***";
    QTest::newRow("host and port kept") << "postgresql://h:5432/d and more" << "postgresql://h:5432/d and more";
    QTest::newRow("query") << "postgresql://u@h/d?sslmode=x&password=secret" << "postgresql://u@h/d?sslmode=x&password=***";
    QTest::newRow("encoded query key") << "x?pass%77ord=secret&a=b" << "x?pass%77ord=***&a=b";
    QTest::newRow("no password") << "sqlite:///a.db" << "sqlite:///a.db";
}

void tst_Redactor::redactsUrlShapedText()
{
    QFETCH(QString, text);
    QFETCH(QString, redacted);
    QCOMPARE(Redactor::redactUrls(text), redacted);
}

void tst_Redactor::noPasswordAnywhere()
{
    // Thousands of generated URLs through everything in-process that shows a URL or an error:
    // parsing, config loading from a flag, the environment and .env lines (well-formed and not),
    // `config`'s values and parsed parts, opening a connection, and the log. Whole CLI runs of
    // a sample are in tst_cliconfig.
    QRandomGenerator random(20261122);
    QTemporaryDir dir;
    const QString envPath = dir.filePath(QStringLiteral("p.env"));
    const QtMessageHandler previous = qInstallMessageHandler(capture);
    Redactor::installMessageFilter(); // in front of capture, as in dbdeck-cli
    int connections = 0;
    for (int i = 0; i < 4000; ++i) {
        Redactor::forgetSecrets(); // each URL as the first one a process sees
        g_logged.clear();
        const Sample s = generate(random);
        QStringList shown;
        QString why;
        if (const auto url = DbUrl::parse(s.url, &why)) {
            shown << url->redacted() << QString::fromUtf8(QJsonDocument(url->describe()).toJson());
        } else {
            shown << why;
        }
        shown << DbUrl::redactText(s.url);
        for (int source = 0; source < 3; ++source) {
            ConfigInputs inputs;
            inputs.environment = QProcessEnvironment();
            inputs.readDotEnv = false;
            if (source == 0)
                inputs.flags.insert(QStringLiteral("DB_URL"), s.url);
            else if (source == 1)
                inputs.environment.insert(QStringLiteral("DB_URL"), s.url);
            else {
                QFile file(envPath);
                QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
                file.write(dotenvLine(s.url, i % 4).toUtf8());
                file.close();
                inputs.envFile = envPath;
            }
            try {
                const DbConfig config = DbConfig::load(inputs);
                for (const SettingValue &value : config.values())
                    shown << value.value;
                shown << config.warnings() << QString::fromUtf8(QJsonDocument(config.url().describe()).toJson());
                if (config.backend() == Backend::Postgres && connections < 40 && source == 0) {
                    // A server that is not there (port 1 refuses at once): the connection error.
                    ++connections;
                    ConfigInputs local = inputs;
                    local.flags.insert(QStringLiteral("DB_URL"),
                                       QStringLiteral("postgresql://app:%1@127.0.0.1:1/app?connect_timeout=2").arg(s.written));
                    Database db(DbConfig::load(local));
                    try {
                        db.connection();
                    } catch (const DbError &error) {
                        shown << error.message();
                        qWarning().noquote() << "connect failed:" << error.message() << local.flags.value(QStringLiteral("DB_URL"));
                    }
                }
            } catch (const DbError &error) {
                shown << error.message();
                qWarning().noquote() << "config failed for" << s.url << "-" << error.message();
            }
        }
        shown << g_logged;
        const QString where = leak(shown, s);
        QVERIFY2(where.isEmpty(), qPrintable(where));
    }
    qInstallMessageHandler(previous);
    QVERIFY(connections > 10);
}

void tst_Redactor::messageFilterScrubsKnownSecrets()
{
    const QtMessageHandler previous = qInstallMessageHandler(capture);
    Redactor::installMessageFilter();
    g_logged.clear();
    QVERIFY(DbUrl::parse(QStringLiteral("postgresql://u:Wh%40tEver9@h/d"), nullptr));
    qWarning("driver said: password Wh@tEver9 rejected (Wh%%40tEver9)");
    qInstallMessageHandler(previous);
    QCOMPARE(g_logged.size(), 1);
    QCOMPARE(g_logged.first(), QStringLiteral("driver said: password *** rejected (***)"));
}

QTEST_GUILESS_MAIN(tst_Redactor)
#include "tst_redactor.moc"
