#pragma once

#include "command.h"

#include <QJsonObject>
#include <QList>

namespace dbdeck::cli {

// `schema` (the live, migrated or declared schema as canonical DDL or JSON) and `diff` (between
// any two of live / migrations / declared).
QList<Command> schemaCommands();

// `revision --autogenerate [--sql]`: writes (or prints) the verified migration(s).
int runAutogenerate(CommandContext &ctx, const QString &message);
// `check --drift`: prints the differences between the live database and what its applied
// migrations produce; returns true when it has drifted. json: filled instead of printing.
bool runDriftCheck(CommandContext &ctx, QJsonObject *json);

} // namespace dbdeck::cli
