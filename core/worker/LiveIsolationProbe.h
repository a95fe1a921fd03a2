#pragma once

#include "AuditReport.h"
#include "WorkerActions.h"

namespace moltdesk {

// Isolation proven on the running deployment: for each environment with a worker, snapshot every
// bucket's listing, make that environment's container back up, snapshot again: only its own bucket
// may change, and its own bucket must hold what the worker claimed. Production's backup is triggered
// only when confirmed; without it, production's live check is a "not checked" warning, never "ok".
// Findings use the audit's shape (check "live") so they join the rest of the report.
class LiveIsolationProbe
{
public:
    using Progress = WorkerActions::Progress;

    LiveIsolationProbe(const Workspace &workspace, const WorkerActions &actions);

    QList<Finding> run(const QString &confirmation, const CancelToken &cancel = {},
                       const Progress &progress = {}) const;

private:
    QList<Finding> probe(const EnvironmentNames &env, const CancelToken &cancel,
                         const Progress &progress) const;
    QMap<QString, Result<BucketSnapshot>> snapshotAll(const CancelToken &cancel) const;

    const Workspace &m_workspace;
    const WorkerActions &m_actions;
};

} // namespace moltdesk
