#include "store/records.h"

namespace dbdeck {

QStringList Run::statuses()
{
    return {QStringLiteral("queued"), QStringLiteral("running"), QStringLiteral("succeeded"), QStringLiteral("failed"),
            QStringLiteral("cancelled")};
}

QStringList Run::finalStatuses()
{
    return {QStringLiteral("succeeded"), QStringLiteral("failed"), QStringLiteral("cancelled")};
}

QStringList Event::levels()
{
    return {QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")};
}

} // namespace dbdeck
