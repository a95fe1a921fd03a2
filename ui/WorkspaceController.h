#pragma once

#include "AuditReport.h"
#include "CancelToken.h"
#include "Credentials.h"
#include "EnvironmentStatus.h"
#include "Result.h"
#include "Session.h"
#include "WorkerActions.h"

#include <QObject>
#include <QThreadPool>
#include <memory>
#include <optional>

namespace moltdesk {

class StorageBackend;

// The window's work without its widgets: the open profile (Session), the pool its storage and file
// work runs on, and the generation counters that drop results gone stale (a newer refresh, another
// profile, another selection). Every entry point returns at once; the result comes back as a signal
// on the UI thread. Rows are the workspace's environment rows (named ones, then legacy), the same
// order as EnvironmentTableModel's.
class WorkspaceController : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool useKeychain = true;
        QString activityLogPath; // what the audit reads of past actions
    };
    explicit WorkspaceController(Options options, QObject *parent = nullptr);
    // Stops the work that waits on the UI thread (the keychain answers there) before the pool is joined.
    ~WorkspaceController() override;

    SessionPtr session() const { return m_session; }
    // Status, listings, audits and stamping block on storage while they run: they get threads of their
    // own, never Qt's global pool, which the raster paint engine waits on (a UI thread painting while
    // the global pool is busy with blocking work would freeze). Dialogs run their work here too.
    QThreadPool *workPool() { return &m_workPool; }
    KeychainStore *keychain() { return &m_keychain; }
    bool useKeychain() const { return m_options.useKeychain; }

    // Opens a profile: sessionChanged then opened, or openFailed. The current session stays until then.
    void openProfile(const QString &path);
    // Creates the demo at DemoWorkspace::defaultDirectory() if missing, then opens it.
    void openDemo();
    // Every row's status and container view (refreshStarted per row, then statusReady and
    // deploymentReady; refreshed once the newest refresh's rows are all in). Results of an older
    // refresh or another profile are dropped.
    void refresh();
    void refreshEnvironment(int row);
    // The isolation audit over the profile as it is now on disk: auditReady. Only the newest is delivered.
    void verify();
    // The live check's findings, added to every audit after it until another profile opens.
    void setLiveFindings(const QList<Finding> &findings) { m_liveFindings = findings; }
    // Writes the identity marker: stamped (with the session it was written through).
    // `confirmation`: what the operator typed (production's bucket is stamped only with its name).
    void stamp(const EnvironmentNames &env, bool overwriteUnreadable = false,
               const QString &confirmation = {});
    // Opens an environment's bucket for the Contents tab: bucketOpened, only for the newest request.
    void browse(const EnvironmentNames &env);
    // Drops a pending browse (nothing selected any more).
    void stopBrowsing() { ++m_browseGeneration; }

Q_SIGNALS:
    void sessionChanged(const moltdesk::SessionPtr &session);
    void opened(const QString &path);
    void openFailed(const QString &path, const QString &message);
    void demoFailed(const QString &message);
    void refreshStarted(int row);
    void statusReady(int row, const moltdesk::EnvironmentStatus &status);
    void deploymentReady(int row, const std::optional<moltdesk::ContainerView> &view);
    void refreshed();
    void auditReady(const moltdesk::AuditReport &report);
    void stamped(const moltdesk::EnvironmentNames &env, const moltdesk::Status &status,
                 const moltdesk::SessionPtr &session);
    void bucketOpened(const moltdesk::EnvironmentNames &env,
                      const moltdesk::Result<std::shared_ptr<moltdesk::StorageBackend>> &backend);

private:
    void collectStatus(int row, const EnvironmentNames &env);
    void collectDeployment(int row, const EnvironmentNames &env);
    void rowDone();

    Options m_options;
    KeychainStore m_keychain; // lives on the UI thread: it needs its event loop
    SessionPtr m_session;
    QList<Finding> m_liveFindings;
    CancelToken m_closing; // the Deployment column's worker calls stop when the controller goes
    quint64 m_refreshGeneration = 0;
    int m_pendingRows = 0;
    quint64 m_auditGeneration = 0;
    quint64 m_browseGeneration = 0;
    QThreadPool m_workPool; // last: joined first, while everything its tasks use still exists
};

} // namespace moltdesk
