#pragma once

#include <functional>

namespace dbdeck {

// Cancelling work that runs on connections it opens itself (the scratch databases of a drift
// check, an autogenerate or a preflight), which StatementInterrupter cannot reach: the caller
// marks the work with a scope on its thread, and the work calls checkpoint() between statements
// and between migrations. A thread-local rather than a flag passed down, because the scratch
// work sits several layers below its callers (DriftCheck, Autogenerator, DeclaredSchema,
// MigratedSchema), none of which has anything else to say about cancelling.
class CancellationScope
{
public:
    // While it lives, checkpoint() on this thread throws once requested() says so (it is called
    // on this thread, and must be cheap and thread-safe against whoever cancels). Scopes nest:
    // the inner one is consulted, then the outer ones.
    explicit CancellationScope(std::function<bool()> requested);
    ~CancellationScope();
    CancellationScope(const CancellationScope &) = delete;
    CancellationScope &operator=(const CancellationScope &) = delete;

    // Throws CancelledError when this thread's work was asked to stop; a no-op outside a scope.
    static void checkpoint();

private:
    std::function<bool()> m_requested;
    CancellationScope *m_outer;
};

} // namespace dbdeck
