#pragma once

#include "ActivityLog.h"
#include "AuditReport.h"
#include "Plan.h"
#include "Session.h"
#include "WorkspaceController.h"

#include <QMainWindow>
#include <QThreadPool>

class QAction;
class QDialog;
class QLabel;
class QMenu;
class QSortFilterProxyModel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolBar;

namespace moltdesk {

class ActionDialog;
class AuditWatch;
class DeploymentDialog;
class LiveVerifyDialog;
class ActivityLogModel;
class CompareDialog;
class BrowserPanel;
class BucketBrowserModel;
class ContentsPanel;
class CredentialMatrixModel;
class EnvironmentTableModel;
class FindingsModel;
class IsolationPanel;
class JobStatusStrip;
class LogPanel;
class OverviewPanel;
class PathModel;
class ProfileDialog;
struct EnvironmentSelection;

// The main window: the environments of one profile with their status, details of the selected one
// (overview, contents, isolation, activity log panels), and the actions, each through an ActionDialog.
// A frame: it owns the actions, menus, recent profiles and geometry, and routes between the
// WorkspaceController (the session and every piece of storage and file work, off the UI thread) and
// the panels, which receive the selected environment.
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
    // One row's status and Deployment column, off the UI thread.
    void refreshEnvironment(int row);
    void verifyIsolation();
    // Opens an action dialog for an environment row (-1: the selected one); nullptr when not possible.
    // A restore with `restoreOnly` (Contents > "Restore this file/folder…") restores only those keys
    // or prefixes ('/'-terminated), through the same plan/confirm/staged restore. The restore's target
    // folder is asked through FileDialog (tests preset it there).
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

    // Threads per job (0: the job's default); the benchmarks and cancel tests pin it.
    void setJobConcurrency(int n) { m_concurrency = n; }

    WorkspaceController *controller() { return &m_controller; }
    EnvironmentTableModel *environmentModel() const { return m_envModel; }
    ActivityLogModel *activityModel() const;
    BucketBrowserModel *browserModel() const;
    BrowserPanel *browserPanel() const;
    CredentialMatrixModel *matrixModel() const;
    PathModel *pathModel() const;
    FindingsModel *findingsModel() const;
    SessionPtr session() const { return m_controller.session(); }
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
    // Building: flat lists of the window's parts.
    void createActions();
    void createTabActions();
    void connectActions();
    void buildMenus();
    void buildHelpMenu(QMenu *help);
    void buildToolBar();
    void buildUi();
    QWidget *buildEmptyPage();
    QTableView *buildEnvironmentTable(QWidget *parent);
    void sizeTableColumns();
    QTabWidget *buildTabs(QWidget *parent);
    void buildStatusBar();
    void connectController();
    void restoreWindowState();

    // Routing between the controller and the panels.
    void sessionChanged(const SessionPtr &session);
    void profileReady(const QString &path);
    void openFailed(const QString &path, const QString &message);
    void demoFailed(const QString &message);
    void statusReady(int row, const EnvironmentStatus &status);
    void deploymentReady(int row, const std::optional<ContainerView> &view);
    void auditReady(const AuditReport &report);
    void stamped(const EnvironmentNames &env, const Status &status, const SessionPtr &session);
    void liveProbeFinished(const SessionPtr &session, const QList<Finding> &findings);
    EnvironmentSelection selection() const;
    void selectionChanged();
    void updatePanels();
    void updateActions();
    void applyActionTexts(bool has, const EnvironmentNames &env);
    void fixToolbarWidths();
    void keepEveryRowVisible();
    void switchTab(int delta);
    void showAudit(const AuditReport &report);
    // A file the verdict depends on changed: say the verdict is stale, then audit again.
    void auditInputsChanged(const QStringList &files);
    void importWrangler();
    void showAbout();
    void chooseProfile();
    void showCredentialsDialog(int row = -1);
    void credentialsStored(const EnvironmentNames &env, const QString &where);
    void actionFinished(ActionDialog *dialog, const EnvironmentNames &env);
    void wireActionDialog(ActionDialog *dialog);
    void showJobProgress(ActionDialog *dialog, const QString &text);

    void addActivity(const ActivityEntry &entry);
    void loadActivity();
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void showMessage(const QString &text, int timeout = 0);

    Options m_options;
    std::shared_ptr<ActivityLog> m_log;
    QThreadPool m_logPool; // one thread: appends stay in order
    // The session and the work pool; dialogs run on its pool and reach the keychain through it.
    WorkspaceController m_controller;
    AuditWatch *m_auditWatch = nullptr;
    int m_concurrency = 0;

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
    OverviewPanel *m_overview = nullptr;
    ContentsPanel *m_contents = nullptr;
    IsolationPanel *m_isolation = nullptr;
    LogPanel *m_logPanel = nullptr;
    QLabel *m_storageLabel = nullptr;
    JobStatusStrip *m_jobStrip = nullptr;
    QLabel *m_verdictLabel = nullptr;
};

} // namespace moltdesk
