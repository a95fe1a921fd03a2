#pragma once

#include "BucketNaming.h"
#include "Result.h"

namespace moltdesk {

// Whatever writes to production's bucket or restarts its container needs the environment's name typed:
// `--confirm production` on the command line, the ProductionConfirmation widget in the window. The one
// check, made where the write happens (Job::runApply for sync and migration, stampMarker, the worker
// commands and the live probe's backup), so no caller can forget it. `what` names the action in the
// refusal ("a backup", "stamping its bucket").
Status confirmProduction(const EnvironmentNames &env, const QString &confirmation, const QString &what);

} // namespace moltdesk
