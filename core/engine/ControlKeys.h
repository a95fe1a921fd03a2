#pragma once

#include <QString>

namespace moltdesk {

// Keys the tools themselves keep at a bucket's root. Sync never uploads or deletes them as data,
// restore never copies them as files, migration carries them over deliberately (or not at all).
inline bool isControlKey(const QString &key)
{
    return key == QLatin1String(".last-sync") || key == QLatin1String(".moltdesk-environment") ||
           key == QLatin1String(".migrated-from") || key.startsWith(QLatin1String(".isolation-probe/"));
}

} // namespace moltdesk
