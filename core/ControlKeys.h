#pragma once

#include "IdentityMarker.h"
#include "LastSync.h"
#include "MigrationReport.h"

#include <QString>

namespace moltdesk {

// The prefix of the audit's write probes (`verify --probe-write`), deleted again after each probe.
inline constexpr char kIsolationProbePrefix[] = ".isolation-probe/";

// Keys the tools themselves keep at a bucket's root. Sync never uploads or deletes them as data,
// restore never copies them as files, migration carries them over deliberately (or not at all), and
// status, the audit and the compare view do not count them as data. In core/ (not engine/) because
// all of those read it.
inline bool isControlKey(const QString &key)
{
    return key == QLatin1String(LastSync::kKey) || key == QLatin1String(IdentityMarker::kKey) ||
           key == QLatin1String(MigrationReport::kKey) ||
           key.startsWith(QLatin1String(kIsolationProbePrefix));
}

} // namespace moltdesk
