#pragma once

#include "AuditCheck.h"

#include <memory>
#include <vector>

namespace moltdesk::checks {

// One factory per built-in check, each in its own file next to this one.
std::unique_ptr<AuditCheck> makeNamingCheck();
std::unique_ptr<AuditCheck> makePathsCheck();
std::unique_ptr<AuditCheck> makeAccessCheck();
std::unique_ptr<AuditCheck> makeMarkerCheck();
std::unique_ptr<AuditCheck> makeCredentialsCheck();
std::unique_ptr<AuditCheck> makeLeakCheck();
std::unique_ptr<AuditCheck> makeFreshnessCheck();
std::unique_ptr<AuditCheck> makeLeftoverCheck();

// The registry: the built-in checks in the order they run (their names are AuditChecks::builtIn()).
inline std::vector<std::unique_ptr<AuditCheck>> builtInChecks()
{
    std::vector<std::unique_ptr<AuditCheck>> v;
    for (auto make : {makeNamingCheck, makePathsCheck, makeAccessCheck, makeMarkerCheck, makeCredentialsCheck,
                      makeLeakCheck, makeFreshnessCheck, makeLeftoverCheck})
        v.push_back(make());
    return v;
}

} // namespace moltdesk::checks
