#pragma once

#include <QString>

namespace dbdeck::cli {

// What dbdeck-cli knows about the terminal it prints to.
class Terminal
{
public:
    // Columns a table may use: COLUMNS when set, else the width of the terminal on standard
    // output, else 0 (not a terminal: no limit, so that piped output is never cut).
    static int width();
    // Progress lines go to standard error, and only when it is a terminal (never in CI or a pipe).
    static bool showsProgress();
    // Human output groups digits in thousands ("3,000,200"); csv and json never do.
    static QString number(qint64 value);
};

} // namespace dbdeck::cli
