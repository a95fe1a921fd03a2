#pragma once

#include "BucketComparison.h"
#include "CancelToken.h"
#include "Workspace.h"

namespace moltdesk {

// Lists two environments' buckets (each with its own credentials, both at once) and compares them.
// Blocking: call it from a worker thread. A failed listing is an error, never an empty side.
class EnvironmentComparer
{
public:
    EnvironmentComparer(const Workspace &workspace, const CredentialResolver &resolver);

    Result<BucketComparison> compare(const EnvironmentNames &a, const EnvironmentNames &b,
                                     const CancelToken &cancel = {}) const;

    // Objects up to this size whose checksum the listing does not carry are read and hashed.
    static constexpr qint64 kMaxHashedObject = 16 * 1024 * 1024;

private:
    Result<std::shared_ptr<StorageBackend>> open(const EnvironmentNames &env) const;

    const Workspace &m_workspace;
    const CredentialResolver &m_resolver;
    StorageFactory m_factory;
};

} // namespace moltdesk
