#pragma once

#include "AuditReport.h"

#include <QString>

namespace moltdesk {

// The human-readable form of an audit for `moltctl verify`: the credential matrix as a table
// (rows: whose credentials, columns: buckets), the mount/write/read path table, then the findings
// grouped by severity, worst first, each with its evidence and remedy. Plain text, UTF-8 symbols.
QString renderAuditText(const AuditReport &report);

} // namespace moltdesk
