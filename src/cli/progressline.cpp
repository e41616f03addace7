#include "progressline.h"

#include "terminal.h"

namespace dbdeck::cli {

ProgressLine::ProgressLine(QTextStream &err) : m_err(err), m_enabled(Terminal::showsProgress()) {}

ProgressLine::~ProgressLine()
{
    finish();
}

void ProgressLine::show(const QString &text, bool force)
{
    if (!m_enabled || (m_open && !force && m_sinceShown.isValid() && m_sinceShown.elapsed() < 100))
        return;
    // Blanks over the rest of a longer previous text, so no characters of it remain.
    const QString padding(std::max<qsizetype>(0, m_shownLength - text.size()), QLatin1Char(' '));
    m_err << '\r' << text << padding;
    m_err.flush();
    m_shownLength = text.size();
    m_open = true;
    m_sinceShown.start();
}

void ProgressLine::finish()
{
    if (!m_open)
        return;
    m_err << '\n';
    m_err.flush();
    m_open = false;
    m_shownLength = 0;
}

} // namespace dbdeck::cli
