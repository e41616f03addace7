#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dbdeck {

// A problem with a migration file, with where it is.
struct MigrationProblem
{
    QString file; // path
    int line = 0; // 0: the file as a whole
    QString message;
    QString toString() const;
};

// One NNNN_slug.sql file: "-- migrate:up [transaction:false | foreign_keys:off]" and an optional
// "-- migrate:down [foreign_keys:off]".
class MigrationFile
{
public:
    // Parses the file's text; problems are appended to *problems and nullopt returned.
    static std::optional<MigrationFile> parse(const QString &path, const QString &text,
                                              QList<MigrationProblem> *problems);
    // SHA-256 (hex) of a section after normalizing line endings and trailing whitespace, so an
    // edit changes it but an editor switching between CRLF and LF does not.
    static QString checksumOf(const QString &section);
    // "0007" for version 7 (the width used in file names); "base" for 0, before any migration.
    static QString formatVersion(qint64 version);
    // Parses "NNNN_slug.sql"; false if the name does not match.
    static bool parseFileName(const QString &fileName, qint64 *version, QString *slug);

    qint64 version() const { return m_version; }
    QString name() const { return m_name; }           // "0001_create_runs"
    QString path() const { return m_path; }
    QString upSql() const { return m_up; }
    std::optional<QString> downSql() const { return m_down; }
    bool transactional() const { return m_transactional; }
    // The section runs as a SQLite table rebuild: foreign keys off around its one transaction,
    // checked before COMMIT (see TableRebuild).
    bool foreignKeysOff(bool up) const { return up ? m_upForeignKeysOff : m_downForeignKeysOff; }
    QString checksum() const { return m_checksum; }
    int upLine() const { return m_upLine; }           // first line of the up section's body
    int downLine() const { return m_downLine; }

private:
    qint64 m_version = 0;
    QString m_name;
    QString m_path;
    QString m_up;
    std::optional<QString> m_down;
    bool m_transactional = true;
    bool m_upForeignKeysOff = false;
    bool m_downForeignKeysOff = false;
    QString m_checksum;
    int m_upLine = 0;
    int m_downLine = 0;
};

} // namespace dbdeck
