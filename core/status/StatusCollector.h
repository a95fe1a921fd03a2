#pragma once

#include "EnvironmentStatus.h"
#include "StorageBackend.h"
#include "Workspace.h"

namespace moltdesk {

// Gathers one environment's status: credentials, reachability, .last-sync, identity marker and
// usage per top-level prefix, from one listing. Blocking: call it from a worker thread.
class StatusCollector
{
public:
    StatusCollector(const Workspace &workspace, const CredentialResolver &resolver,
                    const StorageFactory &factory);

    EnvironmentStatus collect(const EnvironmentNames &env, const CancelToken &cancel = {}) const;
    // The same, with a backend already opened.
    static EnvironmentStatus collectFrom(StorageBackend &backend, EnvironmentStatus seed, int staleAfterHours,
                                         const CancelToken &cancel = {});

    // Mount mode: fills mountKind / mountSource for `directory` from a mountinfo file.
    static void describeMount(const QString &directory, const QString &mountInfoPath, EnvironmentStatus &s);
    void setMountInfoPath(const QString &path) { m_mountInfoPath = path; }

private:
    QString m_mountInfoPath = QStringLiteral("/proc/self/mountinfo");
    const Workspace &m_workspace;
    const CredentialResolver &m_resolver;
    const StorageFactory &m_factory;
};

} // namespace moltdesk
