#pragma once

#include "store/jsonvalue.h"

#include <QByteArray>

namespace dbdeck {

// Parses one JSON text (UTF-8) the way Python's json.loads reads it: integers kept exact and
// apart from floats, NaN/Infinity literals accepted (and refused later on output), a repeated
// key keeping its last value. Throws JsonError with the position and what was expected.
// JsonValue::parse is the public entry; this file keeps the parser's details out of it.
JsonValue parseJsonText(const QByteArray &utf8);

} // namespace dbdeck
