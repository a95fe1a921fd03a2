#pragma once

#include "AuditReport.h"
#include "CommandLine.h"
#include "Credentials.h"
#include "EnvironmentStatus.h"
#include "Job.h"
#include "Terminal.h"
#include "Workspace.h"

#include <QStringList>
#include <atomic>

namespace moltdesk {

// moltctl's commands. run() is blocking and is called on a worker thread, so that the main thread
// stays free to run the event loop the keychain needs.
class Cli
{
public:
    Cli(KeychainStore *keychain, Terminal &terminal);
    int run(const QStringList &arguments);
    // From a signal handler's watcher: cancel the running job (Ctrl-C).
    void cancel();

private:
    struct Global
    {
        QString profilePath;
        bool noKeychain = false;
    };
    int usage(const QString &message = {});
    Result<Workspace> openWorkspace();
    CredentialResolver resolver() const;
    // The preamble every command shares (CommandLine.h): `word`'s arguments parsed against the help
    // table, the workspace opened (unless the command needs none), its environments found, the shared
    // options checked. A usage error comes back with Error::code kUsageErrorCode.
    Result<Invocation> prepare(const QString &word, const QStringList &args, bool needsWorkspace = true);
    JobContext jobContext(const Invocation &invocation) const;
    Result<std::shared_ptr<StorageBackend>> openBucket(const Workspace &ws,
                                                       const EnvironmentNames &env) const;

    int cmdStatus(const QStringList &args);
    int cmdLs(const QStringList &args);
    int cmdInitDemo(const QStringList &args);
    int cmdSync(const QStringList &args);
    int cmdRestore(const QStringList &args);
    int cmdMigrate(const QStringList &args);
    int cmdVerify(const QStringList &args);
    int cmdStamp(const QStringList &args);
    int cmdCompare(const QStringList &args);
    int cmdCredentials(const QStringList &args);
    int cmdWorker(const QStringList &args);                                        // in WorkerCommands.cpp
    QList<Finding> liveFindings(const Workspace &ws, const QString &confirmation); // ditto
    QMap<QString, QJsonObject> joinDeployments(const Workspace &ws, QList<EnvironmentStatus> &rows); // ditto
    int cmdHelp(const QString &command);
    int cmdComplete(const QStringList &args);
    // Plans, prints the plan, and unless --dry-run applies it with --confirm; --json for either.
    int runJob(Job &job, const CommandArgs &args);
    // Prints the error (and after a usage error the command's usage); the exit code for it.
    int fail(const Error &e);

    KeychainStore *m_keychain;
    Terminal &m_term;
    Global m_global;
    QString m_command; // the command word being run, for its usage after a usage error
    std::atomic<Job *> m_current{nullptr};
};

} // namespace moltdesk
