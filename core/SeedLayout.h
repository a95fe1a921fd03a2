#pragma once

#include "ObjectInfo.h"

#include <QString>

namespace moltdesk {

// What the seed's containers keep in a bucket, for the rules that several parts of the core share.

// Config, paired devices and credentials: files that must never be identical in two environments
// (the audit's leak rule, the compare view's marks).
bool isSensitiveKey(const QString &key);

} // namespace moltdesk
