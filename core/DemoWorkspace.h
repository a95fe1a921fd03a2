#pragma once

#include "Result.h"

namespace moltdesk {

// A local demo: a mount-mode profile and a data root holding a legacy bucket with realistic data,
// and development and production buckets in different states (production stale and unmarked,
// development fresh and marked), plus local sync sources, so every view and action has something real.
class DemoWorkspace
{
public:
    // Creates the demo under `dir` (which must be empty or absent) and returns the profile's path.
    static Result<QString> create(const QString &dir);
    // The default location the GUI uses when started without a profile.
    static QString defaultDirectory();
};

} // namespace moltdesk
