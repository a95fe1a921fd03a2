#pragma once

#include "AuditReport.h"
#include "CancelToken.h"
#include "Workspace.h"

#include <QDateTime>
#include <memory>

namespace moltdesk {

struct AuditOptions
{
    // Also try to write (and then delete) `.isolation-probe/<random>` in every bucket with every
    // environment's credentials. Off by default: the plain audit only reads.
    bool probeWrite = false;
    // A last sync older than this is stale; 0 means the profile's staleAfterHours.
    int staleAfterHours = 0;
    // Where to learn what is mounted (mount mode); tests point this at a fixture.
    QString mountInfoPath = QStringLiteral("/proc/self/mountinfo");
    // "Now" for the freshness check; invalid means the current time.
    QDateTime now;
    // The activity log to name the sync that deleted migrated objects; empty: not consulted.
    QString activityLogPath;
};

class AuditCheck;

// The isolation audit (`moltctl verify`): checks that every environment of a deployment has its own
// names, paths, identity, credentials and data, and says for each finding what was seen and what to
// do. It only reads, except that probeWrite writes and removes one probe object per bucket and
// credential set.
//
// run() blocks (storage calls are waited on): call it from a worker thread. The workspace,
// resolver and factory must outlive the call.
class IsolationAudit
{
public:
    IsolationAudit(const Workspace &workspace, const CredentialResolver &resolver,
                   const StorageFactory &factory, AuditOptions options = {});
    // The same with a StorageFactory of its own (default S3 tuning).
    IsolationAudit(const Workspace &workspace, const CredentialResolver &resolver, AuditOptions options = {});
    ~IsolationAudit();

    AuditReport run(const CancelToken &cancel = {}) const;
    // One more check, run after the built-in ones on the same context (see AuditCheck.h).
    void addCheck(std::shared_ptr<AuditCheck> check);

    const AuditOptions &options() const { return m_options; }

private:
    const Workspace &m_workspace;
    // A copy: it is small, and callers often pass a temporary.
    CredentialResolver m_resolver;
    std::unique_ptr<StorageFactory> m_ownFactory;
    const StorageFactory *m_factory;
    AuditOptions m_options;
    QList<std::shared_ptr<AuditCheck>> m_extraChecks;
};

} // namespace moltdesk
