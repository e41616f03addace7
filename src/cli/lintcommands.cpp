#include "lintcommands.h"

#include "db/database.h"
#include "db/errors.h"
#include "exitcodes.h"
#include "migrate/migrationlinter.h"
#include "migrate/migrator.h"
#include "texttable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace dbdeck::cli {

namespace {

// Paths under the working folder are shown relative to it, as compilers do.
QString shownPath(const QString &path)
{
    const QString relative = QDir::current().relativeFilePath(path);
    return relative.startsWith(QLatin1String("..")) || QFileInfo(relative).isAbsolute() ? path : relative;
}

QString dialectName(SqlSplitter::Dialect dialect)
{
    return dialect == SqlSplitter::Dialect::Postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
}

std::optional<SqlSplitter::Dialect> dialectOption(CommandContext &ctx)
{
    if (!ctx.parser.isSet(QStringLiteral("dialect")))
        return std::nullopt;
    const QString value = ctx.parser.value(QStringLiteral("dialect")).toLower();
    if (value == QLatin1String("sqlite"))
        return SqlSplitter::Dialect::Sqlite;
    if (value == QLatin1String("postgresql") || value == QLatin1String("postgres"))
        return SqlSplitter::Dialect::Postgres;
    throw UsageError(QStringLiteral("--dialect %1 is not known; allowed: sqlite, postgresql").arg(value));
}

QString plural(int n, const char *word)
{
    return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(word), n == 1 ? QString() : QStringLiteral("s"));
}

QString summary(const LintReport &report)
{
    const QString where = QStringLiteral("%1 (%2)").arg(plural(int(report.migrations.size()), "migration"),
                                                        dialectName(report.dialect));
    if (report.errors() == 0 && report.warnings() == 0)
        return QStringLiteral("lint: no findings in %1").arg(where);
    return QStringLiteral("lint: %1, %2 in %3").arg(plural(report.errors(), "error"), plural(report.warnings(), "warning"), where);
}

// Reads FILES given on the command line; parse problems are collected like MigrationSet's.
QList<MigrationFile> readFiles(const QStringList &paths, QList<MigrationProblem> *problems)
{
    QList<MigrationFile> files;
    for (const QString &path : paths) {
        QFile file(path);
        if (!QFileInfo(path).isFile())
            throw NotFoundError(QStringLiteral("cannot lint %1: there is no such file").arg(path));
        if (!file.open(QIODevice::ReadOnly)) {
            problems->append({path, 0, QStringLiteral("cannot read: %1").arg(file.errorString())});
            continue;
        }
        if (auto parsed = MigrationFile::parse(path, QString::fromUtf8(file.readAll()), problems))
            files.append(*parsed);
    }
    return files;
}

int runRules(CommandContext &ctx, const QString &format)
{
    if (format == QLatin1String("json")) {
        QJsonArray rules;
        for (const LintRule &r : LintRules::all())
            rules.append(QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("category"), r.category},
                                     {QStringLiteral("sqlite"), severityName(r.sqlite)},
                                     {QStringLiteral("postgresql"), severityName(r.postgres)},
                                     {QStringLiteral("down_sections"), r.appliesToDown},
                                     {QStringLiteral("summary"), r.summary}});
        printJson(ctx.out, rules);
        return ExitOk;
    }
    TextTable table({QStringLiteral("RULE"), QStringLiteral("SQLITE"), QStringLiteral("POSTGRESQL"), QStringLiteral("WHAT")});
    for (const LintRule &r : LintRules::all())
        table.addRow({r.id, severityName(r.sqlite), severityName(r.postgres), r.summary});
    ctx.out << table.render() << "\nEach rule, why it matters and what to write instead: docs/migrations.md, \"Lint rules\".\n";
    return ExitOk;
}

int runLint(CommandContext &ctx)
{
    const QString format = ctx.format({QStringLiteral("text"), QStringLiteral("json")});
    if (ctx.parser.isSet(QStringLiteral("rules")))
        return runRules(ctx, format);
    const QStringList paths = ctx.parser.positionalArguments().mid(1);
    const bool all = ctx.parser.isSet(QStringLiteral("all"));
    if (all && !paths.isEmpty())
        throw UsageError(QStringLiteral("give either FILES or --all, not both"));
    // Settings first: a bad LINT_IGNORE stops before anything is read.
    const LintOptions options = LintOptions::fromConfig(ctx.config(), dialectOption(ctx));
    QList<MigrationProblem> problems;
    QList<MigrationFile> files;
    QString nothing;
    if (!paths.isEmpty()) {
        files = readFiles(paths, &problems);
    } else {
        const MigrationSet &set = ctx.migrator().set();
        problems = set.problems();
        if (all) {
            files = set.files();
        } else {
            const StatusReport status = ctx.migrator().status();
            files = MigrationLinter::pendingFiles(status, set);
            nothing = QStringLiteral("lint: no pending migrations (current %1); dbdeck-cli lint --all lints every file")
                          .arg(MigrationFile::formatVersion(status.current));
        }
    }
    const LintReport report = MigrationLinter(options).lint(files);
    const bool failed = !problems.isEmpty() || report.errors() > 0;
    if (format == QLatin1String("json")) {
        QJsonObject json = lintReportJson(report);
        QStringList problemTexts;
        for (const MigrationProblem &p : problems)
            problemTexts << p.toString();
        json.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problemTexts));
        json.insert(QStringLiteral("ok"), !failed);
        printJson(ctx.out, json);
        return failed ? ExitCheckFailed : ExitOk;
    }
    for (const MigrationProblem &p : problems)
        ctx.err << "problem: " << p.toString() << '\n';
    printFindings(ctx.out, report);
    ctx.out << (files.isEmpty() && !nothing.isEmpty() ? nothing : summary(report)) << '\n';
    return failed ? ExitCheckFailed : ExitOk;
}

} // namespace

LintReport lintPendingForCheck(CommandContext &ctx, const StatusReport &status)
{
    const LintOptions options = LintOptions::fromConfig(ctx.config());
    return MigrationLinter(options).lint(MigrationLinter::pendingFiles(status, ctx.migrator().set()));
}

void printFindings(QTextStream &out, const LintReport &report)
{
    for (const LintFinding &f : report.findings()) {
        LintFinding shown = f;
        shown.file = shownPath(f.file);
        out << shown.toString() << '\n';
        if (!f.hint.isEmpty())
            out << "    hint: " << f.hint << '\n';
    }
}

QJsonObject lintReportJson(const LintReport &report)
{
    QJsonArray findings;
    for (const LintFinding &f : report.findings())
        findings.append(QJsonObject{{QStringLiteral("file"), shownPath(f.file)},
                                    {QStringLiteral("version"), qint64(f.version)},
                                    {QStringLiteral("line"), f.position.line},
                                    {QStringLiteral("column"), f.position.column},
                                    {QStringLiteral("severity"), severityName(f.severity)},
                                    {QStringLiteral("rule"), f.rule},
                                    {QStringLiteral("message"), f.message},
                                    {QStringLiteral("hint"), f.hint}});
    QJsonArray migrations;
    for (const MigrationLint &m : report.migrations)
        migrations.append(QJsonObject{{QStringLiteral("version"), qint64(m.version)}, {QStringLiteral("name"), m.name},
                                      {QStringLiteral("file"), shownPath(m.path)}, {QStringLiteral("errors"), m.errors()},
                                      {QStringLiteral("warnings"), m.warnings()}});
    return {{QStringLiteral("dialect"), dialectName(report.dialect)},
            {QStringLiteral("errors"), report.errors()},
            {QStringLiteral("warnings"), report.warnings()},
            {QStringLiteral("migrations"), migrations},
            {QStringLiteral("findings"), findings}};
}

QList<Command> lintCommands()
{
    return {
        {QStringLiteral("lint"),
         QStringLiteral("Check migrations for locking, data loss and portability problems (exit 7 on errors)."),
         [](QCommandLineParser &parser) {
             parser.addPositionalArgument(QStringLiteral("files"),
                                          QStringLiteral("Migration files to lint as one run (default: the pending ones)."),
                                          QStringLiteral("[FILES...]"));
             parser.addOption({QStringLiteral("all"), QStringLiteral("Lint every file of MIGRATIONS_DIR, as on a new database.")});
             parser.addOption({QStringLiteral("dialect"),
                               QStringLiteral("Lint for sqlite or postgresql (default: the backend of DB_URL)."),
                               QStringLiteral("dialect")});
             parser.addOption({QStringLiteral("rules"), QStringLiteral("List the rules, their ids and severities.")});
             parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: text or json."), QStringLiteral("format"),
                               QStringLiteral("text")});
         },
         runLint},
    };
}

} // namespace dbdeck::cli
