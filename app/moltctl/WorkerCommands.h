#pragma once

#include "AccessToken.h"
#include "CommandLine.h"
#include "Terminal.h"
#include "WorkerActions.h"

namespace moltdesk {

// `moltctl worker ...`: the deployment's admin API (status, sync, restart, check-persistence, token
// set). Exit codes as for every command: 0 ok, 1 failed (refused token, unreachable worker, a claim
// the bucket contradicts), 2 bad usage or configuration, 3 refused by a guard (--confirm production).
class WorkerCommands
{
public:
    WorkerCommands(Terminal &terminal, const Workspace &workspace, const CredentialResolver &r2,
                   KeychainStore *keychain, bool useKeychain);

    // `invocation` is a worker command's, prepared by Cli (the workspace is the one given here).
    int run(const Invocation &invocation);

private:
    int status(const Invocation &o);
    int sync(const Invocation &o);
    int restart(const Invocation &o);
    int checkPersistence(const Invocation &o);
    int tokenSet(const Invocation &o);
    int fail(const Error &e);
    WorkerActions::Progress progress();

    Terminal &m_term;
    const Workspace &m_ws;
    const CredentialResolver &m_r2;
    KeychainStore *m_keychain;
    AccessTokenResolver m_access;
};

} // namespace moltdesk
