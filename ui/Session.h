#pragma once

#include "Credentials.h"
#include "Workspace.h"

#include <memory>

namespace moltdesk {

// An opened profile with what workers need to reach storage. Shared with every worker that uses
// it, so opening another profile while work is in flight never leaves a dangling reference.
struct Session
{
    Session(Workspace ws, const QString &path, KeychainStore *keychain, bool useKeychain = true)
        : workspace(std::move(ws)), profilePath(path), resolver(path, keychain, useKeychain),
          factory(workspace)
    {}
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    bool mountMode() const { return workspace.profile().storage.type == StorageType::Mount; }
    // Blocking (keychain, files): call from a worker thread.
    CredentialLookup credentialsFor(const EnvironmentNames &env) const
    {
        return moltdesk::credentialsFor(workspace, resolver, env);
    }

    Workspace workspace;
    QString profilePath;
    CredentialResolver resolver;
    StorageFactory factory; // refers to `workspace`
};

using SessionPtr = std::shared_ptr<const Session>;

} // namespace moltdesk
