#include "migrate/sqlexpression.h"

#include <QSet>

namespace dbdeck {

QString SqlExpression::text(const QList<SqlToken> &tokens)
{
    QString result;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const SqlToken &t = tokens.at(i);
        const bool tight = i == 0 || t.isPunctuation(QLatin1Char('(')) || t.isPunctuation(QLatin1Char(')'))
            || t.isPunctuation(QLatin1Char(',')) || t.isPunctuation(QLatin1Char('.')) || t.text == QLatin1String("::")
            || tokens.at(i - 1).isPunctuation(QLatin1Char('(')) || tokens.at(i - 1).isPunctuation(QLatin1Char('.'))
            || tokens.at(i - 1).text == QLatin1String("::");
        if (!tight)
            result += QLatin1Char(' ');
        if (t.isPunctuation(QLatin1Char(',')))
            result += QStringLiteral(", ");
        else
            result += t.text;
    }
    return result.trimmed();
}

bool SqlExpression::isConstant(const QList<SqlToken> &tokens)
{
    qsizetype begin = 0;
    qsizetype end = tokens.size();
    while (end - begin >= 2 && tokens.at(begin).isPunctuation(QLatin1Char('('))
           && tokens.at(end - 1).isPunctuation(QLatin1Char(')'))) {
        ++begin;
        --end;
    }
    // A trailing PostgreSQL cast: '{}'::jsonb, 'x'::character varying.
    for (qsizetype i = begin; i < end; ++i) {
        if (tokens.at(i).text == QLatin1String("::")) {
            end = i;
            break;
        }
    }
    if (end - begin == 2 && (tokens.at(begin).text == QLatin1String("-") || tokens.at(begin).text == QLatin1String("+")))
        ++begin;
    if (end - begin != 1)
        return false;
    const SqlToken &t = tokens.at(begin);
    return t.kind == SqlToken::Kind::String || t.kind == SqlToken::Kind::Number || t.kind == SqlToken::Kind::DollarString
        || t.isKeyword("NULL") || t.isKeyword("TRUE") || t.isKeyword("FALSE");
}

namespace {

bool namesFollow(const SqlToken &t)
{
    return t.isKeyword("TABLE") || t.isKeyword("INTO") || t.isKeyword("REFERENCES") || t.isKeyword("ON")
        || t.isKeyword("EXISTS") || t.isKeyword("INDEX") || t.isKeyword("VIEW") || t.isKeyword("ONLY");
}

} // namespace

QList<SqlFunctionCall> SqlExpression::functionCalls(const QList<SqlToken> &tokens)
{
    QList<SqlFunctionCall> calls;
    for (qsizetype i = 0; i + 1 < tokens.size(); ++i) {
        const SqlToken &t = tokens.at(i);
        if (t.kind != SqlToken::Kind::Word || !tokens.at(i + 1).isPunctuation(QLatin1Char('(')))
            continue;
        if (i > 0 && tokens.at(i - 1).text == QLatin1String("::"))
            continue; // a cast's type: '1'::numeric(10, 2)
        if (i > 0 && namesFollow(tokens.at(i - 1)))
            continue; // a table's name before its column list: INSERT INTO quote (a, b)
        SqlFunctionCall call{t.text.toLower(), t.position, 0};
        int depth = 0;
        bool any = false;
        for (qsizetype j = i + 1; j < tokens.size(); ++j) {
            const SqlToken &u = tokens.at(j);
            if (u.isPunctuation(QLatin1Char('('))) {
                ++depth;
            } else if (u.isPunctuation(QLatin1Char(')'))) {
                if (--depth == 0)
                    break;
            } else if (depth == 1 && u.isPunctuation(QLatin1Char(','))) {
                ++call.arguments;
            } else if (depth >= 1) {
                any = true;
            }
        }
        if (any)
            ++call.arguments;
        calls.append(call);
    }
    return calls;
}

QString SqlExpression::volatileCall(const QList<SqlToken> &tokens, bool *known)
{
    static const QSet<QString> volatileFunctions{
        QStringLiteral("random"), QStringLiteral("random_normal"), QStringLiteral("clock_timestamp"),
        QStringLiteral("timeofday"), QStringLiteral("gen_random_uuid"), QStringLiteral("uuid_generate_v1"),
        QStringLiteral("uuid_generate_v1mc"), QStringLiteral("uuid_generate_v4"), QStringLiteral("nextval"),
        QStringLiteral("setval"), QStringLiteral("txid_current"), QStringLiteral("gen_random_bytes")};
    // Stable or immutable: evaluated once for the ALTER TABLE, so no rewrite.
    static const QSet<QString> stableFunctions{
        QStringLiteral("now"), QStringLiteral("transaction_timestamp"), QStringLiteral("statement_timestamp"),
        QStringLiteral("current_setting"), QStringLiteral("lower"), QStringLiteral("upper"), QStringLiteral("length"),
        QStringLiteral("coalesce"), QStringLiteral("nullif"), QStringLiteral("concat"), QStringLiteral("to_char"),
        QStringLiteral("to_json"), QStringLiteral("to_jsonb"), QStringLiteral("json_build_object"),
        QStringLiteral("jsonb_build_object"), QStringLiteral("json_build_array"), QStringLiteral("jsonb_build_array"),
        QStringLiteral("array"), QStringLiteral("make_date"), QStringLiteral("make_timestamp"),
        QStringLiteral("make_timestamptz"), QStringLiteral("date_trunc"), QStringLiteral("timezone"),
        QStringLiteral("abs"), QStringLiteral("round"), QStringLiteral("trim"), QStringLiteral("replace"),
        QStringLiteral("substr"), QStringLiteral("greatest"), QStringLiteral("least"), QStringLiteral("cast"),
        QStringLiteral("interval"), QStringLiteral("current_user"), QStringLiteral("session_user")};
    static const QSet<QString> keywords{QStringLiteral("in"), QStringLiteral("and"), QStringLiteral("or"),
                                        QStringLiteral("not"), QStringLiteral("exists"), QStringLiteral("any"),
                                        QStringLiteral("all"), QStringLiteral("row"), QStringLiteral("values"),
                                        QStringLiteral("select"), QStringLiteral("when"), QStringLiteral("then"),
                                        QStringLiteral("else")};
    for (const SqlFunctionCall &call : functionCalls(tokens)) {
        if (keywords.contains(call.name))
            continue;
        if (volatileFunctions.contains(call.name)) {
            if (known)
                *known = true;
            return call.name;
        }
        if (!stableFunctions.contains(call.name)) {
            if (known)
                *known = false;
            return call.name;
        }
    }
    return {};
}

} // namespace dbdeck
