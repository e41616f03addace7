#pragma once

#include "workertypes.h"

#include <array>
#include <atomic>

namespace dbdeck::gui {

// The newest request of each view, shared by the GUI thread (which issues them) and the workers
// (which skip the ones made obsolete while they waited in the queue). Thread-safe.
class Generations
{
public:
    quint64 next(View view) { return ++m_current[index(view)]; }
    quint64 current(View view) const { return m_current[index(view)].load(); }
    bool isCurrent(View view, quint64 generation) const { return generation == current(view); }

private:
    static std::size_t index(View view) { return static_cast<std::size_t>(view); }
    std::array<std::atomic<quint64>, static_cast<std::size_t>(View::Count_)> m_current{};
};

} // namespace dbdeck::gui
