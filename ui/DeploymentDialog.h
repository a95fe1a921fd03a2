#pragma once

#include "ActivityLog.h"
#include "AuditReport.h"
#include "CancelToken.h"
#include "Session.h"
#include "WorkerActions.h"

#include <QDialog>
#include <QThreadPool>
#include <functional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace moltdesk {

class ProductionConfirmation;

// Actions > Deployment…: each environment's deployed worker (gateway, R2 configured, the container's
// last sync next to the bucket's, devices) and the container's own actions: "Back up now (in the
// container)", "Restart gateway (restores from R2)", "Check persistence". Production needs its name
// typed. All worker and storage calls run on the dialog's own thread pool; progress while polling,
// Cancel, and every result goes to the activity log through the given logger.
class DeploymentDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Action { Backup, Restart, Persistence };
    enum Column {
        EnvColumn,
        WorkerColumn,
        GatewayColumn,
        R2Column,
        ContainerSyncColumn,
        BucketSyncColumn,
        DevicesColumn,
        HealthColumn,
        ColumnCount
    };
    using Logger = std::function<void(const ActivityEntry &)>;

    // `pool` runs the worker and storage calls; it must outlive the dialog (the window's work pool).
    DeploymentDialog(SessionPtr session, KeychainStore *keychain, bool useKeychain, Logger logger,
                     QThreadPool *pool, QWidget *parent = nullptr);
    ~DeploymentDialog() override;

    QStandardItemModel *model() const { return m_model; }
    // Production's typed-name field (ProductionConfirmation's); nullptr when there is no production.
    QLineEdit *confirmEdit() const;
    QString message() const;
    bool busy() const { return m_busy; }

    void refresh();
    // Starts an action on a row (-1: the selected one); false, with the reason shown, when refused.
    bool start(Action action, int row = -1);
    void cancel();

Q_SIGNALS:
    void refreshed();
    void actionFinished(bool ok, const QString &summary);

private:
    void setBusy(bool busy, const QString &text);
    void finish(const ActivityEntry &entry);
    int currentRow() const;

    SessionPtr m_session;
    KeychainStore *m_keychain;
    bool m_useKeychain;
    Logger m_logger;
    // Never Qt's global pool: these tasks block on the network and the keychain. Not owned, so closing
    // the dialog never blocks the UI thread on a running task (which may itself wait on the keychain,
    // served by the UI thread).
    QThreadPool *m_pool = nullptr;
    CancelToken m_cancel;
    bool m_busy = false;
    quint64 m_generation = 0;

    QStandardItemModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    ProductionConfirmation *m_confirmation = nullptr; // the one guard widget; null without production
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QPushButton *m_backup = nullptr;
    QPushButton *m_restart = nullptr;
    QPushButton *m_persistence = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

// The container's view of one environment for the environments table's Deployment column (nullopt
// when no worker is configured for it). Blocking: call it from a worker thread.
std::optional<ContainerView> deploymentOf(const Session &session, KeychainStore *keychain, bool useKeychain,
                                          const EnvironmentNames &env, const CancelToken &cancel = {});

// The live isolation probe's findings for View > Verify live… (LiveVerifyDialog). Blocking: call it
// from a worker thread. Production's backup is triggered only when `confirmation` is "production".
QList<Finding> liveIsolationFindings(const Session &session, KeychainStore *keychain, bool useKeychain,
                                     const QString &confirmation, const CancelToken &cancel = {},
                                     const WorkerActions::Progress &progress = {});

} // namespace moltdesk
