#pragma once

#include <QString>

namespace moltdesk {

// "0.1.0": the CMake project version.
QString moltdeskVersion();
// "2026-12-01": the date of this version's release (the man pages and AppStream carry it).
QString moltdeskReleaseDate();
// What `--version` prints: "moltctl 0.1.0 (Qt 6.4.2)"; names the Qt it was built with when the one
// loaded at run time differs, since that is the first thing to know about a misbehaving install.
QString versionLine(const QString &program);

} // namespace moltdesk
