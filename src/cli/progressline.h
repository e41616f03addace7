#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QTextStream>

namespace dbdeck::cli {

// One line of progress on standard error, rewritten in place ("\r"), at most ten times a second,
// and only when standard error is a terminal. finish() (or the destructor) ends the line, so
// that whatever is printed next — the summary — starts on a line of its own.
class ProgressLine
{
public:
    explicit ProgressLine(QTextStream &err);
    ~ProgressLine();
    ProgressLine(const ProgressLine &) = delete;
    ProgressLine &operator=(const ProgressLine &) = delete;

    bool enabled() const { return m_enabled; }
    // force: show it even if the last update was less than 100 ms ago (a new phase).
    void show(const QString &text, bool force = false);
    void finish();

private:
    QTextStream &m_err;
    bool m_enabled = false;
    bool m_open = false; // a line is on screen and not ended yet
    qsizetype m_shownLength = 0;
    QElapsedTimer m_sinceShown;
};

} // namespace dbdeck::cli
