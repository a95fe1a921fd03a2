#pragma once

#include "ActivityLog.h"
#include "AuditReport.h"
#include "CancelToken.h"
#include "Session.h"

#include <QDialog>
#include <QThreadPool>

class QLabel;
class QProgressBar;
class QPushButton;

namespace moltdesk {

class ProductionConfirmation;

// View > Verify live…: the live isolation probe (LiveIsolationProbe) from the window. For each
// environment with a worker, every bucket is listed, that environment's container backs up, every
// bucket is listed again: only its own bucket may change. Production's backup is triggered only once
// its name is typed in the dialog's ProductionConfirmation; otherwise production's live check is
// reported "not checked". The probe runs on the given pool (never the UI thread), with progress and
// Cancel; its findings go to the window through probeFinished.
class LiveVerifyDialog : public QDialog
{
    Q_OBJECT
public:
    // `pool` must outlive the dialog (the window's work pool).
    LiveVerifyDialog(SessionPtr session, KeychainStore *keychain, bool useKeychain, QThreadPool *pool,
                     QWidget *parent = nullptr);
    ~LiveVerifyDialog() override;

    // nullptr when the profile has no production environment.
    ProductionConfirmation *confirmation() const { return m_confirmation; }
    bool busy() const { return m_busy; }
    QString message() const;

    bool start();
    void cancel();

    // The activity log's entries for a probe's findings: one per environment it reported on.
    static QList<ActivityEntry> activityEntries(const QList<Finding> &findings);

Q_SIGNALS:
    void probeFinished(const QList<moltdesk::Finding> &findings, bool cancelled);

private:
    void setBusy(bool busy);
    void finish(const QList<Finding> &findings, bool cancelled);

    SessionPtr m_session;
    KeychainStore *m_keychain;
    bool m_useKeychain;
    QThreadPool *m_pool; // not owned: closing the dialog never waits on a running probe
    CancelToken m_cancel;
    bool m_busy = false;

    ProductionConfirmation *m_confirmation = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

} // namespace moltdesk
