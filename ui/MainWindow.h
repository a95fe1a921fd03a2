#pragma once

#include "ActivityLog.h"
#include "AuditReport.h"
#include "CancelToken.h"
#include "Credentials.h"
#include "EnvironmentStatus.h"
#include "Plan.h"
#include "Session.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QThreadPool>
#include <functional>

class QAction;
class QComboBox;
class QDialog;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QToolBar;
class QTreeView;

namespace moltdesk {

class ActionDialog;
class AuditWatch;
class DataFlowView;
class DeploymentDialog;
class LiveVerifyDialog;
class ActivityFilterProxy;
class ActivityLogModel;
class CompareDialog;
class BrowserPanel;
class BucketBrowserModel;
class CredentialMatrixModel;
class EnvironmentTableModel;
class FindingsModel;
class PathModel;
class ProfileDialog;

// The main window: the environments of one profile with their status, details of the selected one
// (overview, contents, isolation, activity log), and the actions, each through an ActionDialog.
// All storage and file work runs on worker threads; results come back through continuations.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString activityLogPath; // empty: ActivityLog::defaultPath()
        bool useKeychain = true;
    };
    explicit MainWindow(QWidget *parent = nullptr);
    explicit MainWindow(Options options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a profile (in a worker); profileOpened or profileFailed follows.
    void openProfile(const QString &path);
    // Creates the demo at DemoWorkspace::defaultDirectory() if missing (in a worker), then opens it.
    void openDemo();
    void refresh();
    void refreshEnvironment(int row);
    // The Deployment column of a row: its container's view, off the UI thread (part of refreshEnvironment).
    void refreshDeployment(int row);
    void verifyIsolation();
    // Opens an action dialog for an environment row (-1: the selected one); nullptr when not possible.
    // A restore with `restoreOnly` (Contents > "Restore this file/folder…") restores only those keys
    // or prefixes ('/'-terminated), through the same plan/confirm/staged restore.
    ActionDialog *startAction(Plan::Kind kind, int row = -1, const QStringList &restoreOnly = {});
    void stampMarker(int row = -1);
    // File > New profile… (newProfile) or Edit profile…: a ProfileDialog; saving it opens the profile.
    // nullptr for Edit when no profile is open.
    ProfileDialog *showProfileDialog(bool newProfile);
    // View > Compare environments…: rowA against rowB (-1: the selected row against the next one);
    // the comparison starts at once. nullptr when no profile with two environments is open.
    CompareDialog *showCompareDialog(int rowA = -1, int rowB = -1);
    // Actions > Deployment…: the workers' admin API (DeploymentDialog); nullptr when no profile is open.
    DeploymentDialog *showDeploymentDialog();
    // View > Verify live…: the live isolation probe with production's typed-name guard; its findings
    // join every audit shown afterwards (Isolation tab, diagram) and the activity log.
    LiveVerifyDialog *showLiveVerifyDialog();
    // Help > Keyboard Shortcuts: every action's shortcut, read from the actions.
    QDialog *showShortcuts();

    // For tests: a restore target instead of asking with a file dialog; job concurrency.
    void setRestoreDirectory(const QString &dir) { m_restoreDirectory = dir; }
    void setJobConcurrency(int n) { m_concurrency = n; }

    EnvironmentTableModel *environmentModel() const { return m_envModel; }
    ActivityLogModel *activityModel() const { return m_logModel; }
    BucketBrowserModel *browserModel() const { return m_browser; }
    BrowserPanel *browserPanel() const { return m_browserPanel; }
    CredentialMatrixModel *matrixModel() const { return m_matrix; }
    PathModel *pathModel() const { return m_paths; }
    FindingsModel *findingsModel() const { return m_findings; }
    SessionPtr session() const { return m_session; }
    int selectedRow() const;
    void selectRow(int row);
    QString activityLogPath() const { return m_log->path(); }
    // Log > Export…: the entries shown (profile and text filter applied) as JSON lines, in a worker;
    // activityExported follows (entries written, -1 on failure).
    void exportActivity(const QString &path);

Q_SIGNALS:
    void profileOpened(const QString &path);
    void profileFailed(const QString &message);
    void statusRefreshed();
    void auditFinished(const moltdesk::AuditReport &report);
    void activityWritten(const moltdesk::ActivityEntry &entry);
    void activityExported(const QString &path, int entries);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildTabActions(
        const std::function<QAction *(const QString &, const QString &, const QKeySequence &)> &make);
    void buildUi();
    QWidget *buildLogPage();
    void setSession(SessionPtr session);
    void updateActions();
    void updateOverview();
    void updateContents();
    void keepEveryRowVisible();
    void switchTab(int delta);
    void buildHelpMenu(QMenu *help);
    void updateMatrixEmpty();
    void updateLogEmpty();
    void fixToolbarWidths();
    void applyActionTexts(bool has, const EnvironmentNames &env);
    void showAudit(const AuditReport &report);
    // A file the verdict depends on changed: say the verdict is stale, then audit again.
    void auditInputsChanged(const QStringList &files);
    void addActivity(const ActivityEntry &entry);
    void loadActivity();
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void chooseProfile();
    void showCredentialsDialog(int row = -1);
    void writeMarker(const EnvironmentNames &env, bool overwriteUnreadable = false);
    void copyLogDetails();
    void rebuildLogProfiles();
    void onOverviewLink(const QUrl &url);
    void wireActionDialog(ActionDialog *dialog);
    void setJobLine(ActionDialog *dialog, const QString &text);
    void removeJobLine(ActionDialog *dialog);

    Options m_options;
    KeychainStore m_keychain; // lives on the UI thread: it needs its event loop
    SessionPtr m_session;
    std::shared_ptr<ActivityLog> m_log;
    QThreadPool m_logPool; // one thread: appends stay in order
    // Status, listings, audits and stamping block on storage while they run: they get threads of
    // their own, never Qt's global pool, which the raster paint engine waits on (a UI thread painting
    // while the global pool is busy with our blocking work would freeze).
    QThreadPool m_workPool;
    CancelToken m_closing; // the table's worker calls (Deployment column) stop when the window goes
    quint64 m_refreshGeneration = 0;
    int m_pendingRows = 0;
    quint64 m_auditGeneration = 0;
    AuditWatch *m_auditWatch = nullptr;
    quint64 m_contentsGeneration = 0;
    QString m_restoreDirectory;
    int m_concurrency = 0;
    // One line per running job in the status strip, each with its own Cancel.
    struct JobLine
    {
        QWidget *widget = nullptr;
        QLabel *label = nullptr;
        QPushButton *cancel = nullptr;
    };
    QHash<ActionDialog *, JobLine> m_jobLines;

    QAction *m_openProfile = nullptr;
    QAction *m_openDemo = nullptr;
    QAction *m_newProfile = nullptr;
    QAction *m_editProfile = nullptr;
    QAction *m_importWrangler = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_credentials = nullptr;
    QAction *m_sync = nullptr;
    QAction *m_restore = nullptr;
    QAction *m_migrate = nullptr;
    QAction *m_stamp = nullptr;
    QAction *m_verify = nullptr;
    QAction *m_compare = nullptr;
    QAction *m_deployment = nullptr;
    QAction *m_verifyLive = nullptr; // View > Verify live…: LiveVerifyDialog
    QList<Finding> m_liveFindings;   // the last live check's, added to every audit shown after it
    QAction *m_about = nullptr;
    QAction *m_nextTab = nullptr;
    QAction *m_previousTab = nullptr;
    QList<QAction *> m_tabActions; // Alt+1…4
    QToolBar *m_toolBar = nullptr;
    QMenu *m_recentMenu = nullptr;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    EnvironmentTableModel *m_envModel = nullptr;
    QSortFilterProxyModel *m_envProxy = nullptr;
    QTableView *m_table = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_overview = nullptr;
    BucketBrowserModel *m_browser = nullptr;
    BrowserPanel *m_browserPanel = nullptr;
    QTreeView *m_contentsView = nullptr;
    QLabel *m_contentsLabel = nullptr;
    QLabel *m_banner = nullptr;
    CredentialMatrixModel *m_matrix = nullptr;
    PathModel *m_paths = nullptr;
    FindingsModel *m_findings = nullptr;
    DataFlowView *m_flow = nullptr;
    QTableView *m_findingsView = nullptr;
    QLabel *m_findingDetail = nullptr;
    ActivityLogModel *m_logModel = nullptr;
    ActivityFilterProxy *m_logProxy = nullptr;
    QComboBox *m_logProfileFilter = nullptr;
    QLabel *m_logEmpty = nullptr;
    QLabel *m_matrixEmpty = nullptr;
    QTableView *m_logView = nullptr;
    QLineEdit *m_logFilter = nullptr;
    QLabel *m_storageLabel = nullptr;
    QWidget *m_jobStrip = nullptr;
    QLabel *m_verdictLabel = nullptr;
};

} // namespace moltdesk
