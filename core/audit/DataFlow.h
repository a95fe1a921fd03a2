#pragma once

#include "AuditReport.h"

namespace moltdesk {

// The seed's data flow for one environment, hop by hop, as the audit saw it:
//   wrangler env.<name> -> vars.ENVIRONMENT -> bucket -> identity marker -> mount path
//   -> where sync writes -> where the container's restore reads (BACKUP_DIR) -> last sync.
// Derived from an AuditReport only (no storage access), so it is exactly as current as the report.
enum class HopState { Ok, Warning, Broken, NotChecked };
QString hopStateName(HopState s); // "ok", "warning", "broken", "not-checked"
QString hopSymbol(HopState s);    // ✔ ▲ ✘ ?

struct FlowHop
{
    QString id;    // "wrangler", "environment", "bucket", "marker", "mount", "write", "read", "lastSync"
    QString label; // e.g. "wrangler env.production"
    QString value; // the full value (a path, a bucket, a file:line)
    QString detail;
    HopState state = HopState::NotChecked;
    bool firstBreak = false; // the first broken hop of this environment's chain

    QString description() const; // for accessibility and tooltips: state, value, detail
};

struct FlowColumn
{
    QString environment;
    QList<FlowHop> hops;
};

QList<FlowColumn> buildDataFlow(const AuditReport &report);

} // namespace moltdesk
