#include "db/cancellation.h"

#include "db/errors.h"

namespace dbdeck {

namespace {
thread_local CancellationScope *innermost = nullptr;
}

CancellationScope::CancellationScope(std::function<bool()> requested) : m_requested(std::move(requested)), m_outer(innermost)
{
    innermost = this;
}

CancellationScope::~CancellationScope()
{
    innermost = m_outer;
}

void CancellationScope::checkpoint()
{
    for (const CancellationScope *scope = innermost; scope; scope = scope->m_outer) {
        if (scope->m_requested())
            throw CancelledError(QStringLiteral("cancelled"));
    }
}

} // namespace dbdeck
