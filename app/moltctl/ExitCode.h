#pragma once

#include "Error.h"

namespace moltdesk {

// The same for every moltctl command (documented in the README).
enum ExitCode : int {
    ExitOk = 0,         // success
    ExitFailed = 1,     // the operation failed (or verify found a failure)
    ExitUsage = 2,      // bad usage, configuration or input
    ExitRefused = 3,    // refused by a safety guard: confirmation or limit needed
    ExitUnverified = 4, // verify: no failure found, but some check could not run
};

inline int exitCodeFor(const Error &e)
{
    switch (e.kind) {
    case ErrorKind::InvalidInput:
        return ExitUsage;
    case ErrorKind::Refused:
        return ExitRefused;
    default:
        return ExitFailed;
    }
}

} // namespace moltdesk
