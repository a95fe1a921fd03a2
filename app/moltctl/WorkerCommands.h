#pragma once

#include "AccessToken.h"
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

    int run(const QStringList &args);

private:
    struct Options;
    int status(const Options &o);
    int sync(const Options &o);
    int restart(const Options &o);
    int checkPersistence(const Options &o);
    int tokenSet(const Options &o);
    int fail(const Error &e);
    Result<EnvironmentNames> environment(const Options &o);
    WorkerActions::Progress progress();

    Terminal &m_term;
    const Workspace &m_ws;
    const CredentialResolver &m_r2;
    KeychainStore *m_keychain;
    AccessTokenResolver m_access;
};

} // namespace moltdesk
