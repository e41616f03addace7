#pragma once

#include "schema/schemamodel.h"

#include <QJsonObject>

namespace dbdeck {

// The model as JSON (`dbdeck-cli schema --format json`): every field of every object, lists in
// the model's stable order, so that two dumps of equal schemas are byte-identical.
class SchemaJson
{
public:
    static QJsonObject toJson(const Schema &schema);
};

} // namespace dbdeck
