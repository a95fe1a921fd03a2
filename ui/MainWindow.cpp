#include "MainWindow.h"

#include "ActionDialog.h"
#include "ActivityLogModel.h"
#include "AuditModels.h"
#include "AuditWatch.h"
#include "BrowserPanel.h"
#include "BucketBrowserModel.h"
#include "CompareDialog.h"
#include "ContentsPanel.h"
#include "CredentialsDialog.h"
#include "DeploymentDialog.h"
#include "EnvironmentTableModel.h"
#include "FileDialog.h"
#include "IdentityMarker.h"
#include "IsolationPanel.h"
#include "JobStatusStrip.h"
#include "LiveVerifyDialog.h"
#include "LogPanel.h"
#include "OverviewPanel.h"
#include "ProductionConfirmation.h"
#include "ProfileDialog.h"
#include "QueuedDelivery.h"
#include "StampOverwriteDialog.h"
#include "TableView.h"
#include "UiLogging.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent>

// The icon lives in the static moltdesk_ui library: register its resources explicitly.
static void initMoltdeskResources()
{
    Q_INIT_RESOURCE(moltdesk);
}

namespace moltdesk {

namespace {
constexpr int kMaxRecent = 8;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// The activity entry of a stamp, written or not.
ActivityEntry stampActivity(const EnvironmentNames &env, const Status &st, const QString &profilePath)
{
    ActivityEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.environment = env.displayName();
    e.action = QStringLiteral("stamp");
    e.outcome = st ? QStringLiteral("succeeded") : QStringLiteral("failed");
    e.resultSummary = st ? QStringLiteral("stamped %1 as %2").arg(env.bucket, env.displayName())
                         : QStringLiteral("not stamped");
    e.errors = st ? QStringList{} : QStringList{st.error().toString()};
    e.target = env.bucket;
    e.profile = profilePath; // the profile stamped in, even if another one is open by now
    return e;
}

ActivityEntry openWarning(const QString &warning)
{
    ActivityEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.action = QStringLiteral("open");
    entry.outcome = QStringLiteral("warning");
    entry.resultSummary = warning;
    return entry;
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(Options options, QWidget *parent)
    : QMainWindow(parent), m_options(std::move(options)),
      m_log(std::make_shared<ActivityLog>(m_options.activityLogPath.isEmpty() ? ActivityLog::defaultPath()
                                                                              : m_options.activityLogPath)),
      m_controller(WorkspaceController::Options{.useKeychain = m_options.useKeychain,
                                                .activityLogPath = m_log->path()})
{
    initMoltdeskResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Moltdesk"));
    setWindowIcon(QIcon(QStringLiteral(":/moltdesk/moltdesk.svg")));
    m_logPool.setMaxThreadCount(1);
    m_auditWatch = new AuditWatch(this);
    connect(m_auditWatch, &AuditWatch::changed, this, &MainWindow::auditInputsChanged);
    createActions();
    connectActions();
    buildMenus();
    buildToolBar();
    buildUi();
    connectController();
    restoreWindowState();
    rebuildRecentMenu();
    updateActions();
    loadActivity();
}

MainWindow::~MainWindow()
{
    // Dialogs own jobs that may still run: they cancel and wait in their destructors.
    const auto dialogs = findChildren<ActionDialog *>();
    for (ActionDialog *d : dialogs)
        delete d;
    // Their tasks block on workers (a backup may take minutes): cancelled before the controller's
    // pool waits for them.
    qDeleteAll(findChildren<DeploymentDialog *>());
    qDeleteAll(findChildren<LiveVerifyDialog *>());
    m_logPool.waitForDone();
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // Never larger than the screen: on a 900×600 one the default would put the status bar off it.
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1200, 760);
        resize(qMin(1200, avail.width()), qMin(760, avail.height()));
    }
    if (auto *split = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        split->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
}

void MainWindow::createActions()
{
    auto make = [this](const char *name, const QString &text, const QKeySequence &key = {}) {
        auto *a = new QAction(text, this);
        a->setObjectName(QLatin1String(name));
        if (!key.isEmpty())
            a->setShortcut(key);
        return a;
    };
    const QStyle *st = style();
    m_openProfile = make("actionOpenProfile", QStringLiteral("&Open profile…"), QKeySequence::Open);
    m_openProfile->setIcon(st->standardIcon(QStyle::SP_DialogOpenButton));
    m_openDemo = make("actionOpenDemo", QStringLiteral("Open &demo"));
    m_newProfile = make("actionNewProfile", QStringLiteral("&New profile…"), QKeySequence::New);
    m_editProfile =
        make("actionEditProfile", QStringLiteral("&Edit profile…"), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_importWrangler = make("actionImportWrangler", QStringLiteral("&Import wrangler.jsonc…"));
    m_quit = make("actionQuit", QStringLiteral("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_refresh = make("actionRefresh", QStringLiteral("&Refresh"), QKeySequence(Qt::Key_F5));
    m_refresh->setIcon(st->standardIcon(QStyle::SP_BrowserReload));
    m_credentials = make("actionCredentials", QStringLiteral("&Credentials…"));
    m_sync = make("actionSync", QStringLiteral("&Sync"), QKeySequence(Qt::CTRL | Qt::Key_S));
    m_sync->setIcon(st->standardIcon(QStyle::SP_ArrowUp));
    m_restore = make("actionRestore", QStringLiteral("&Restore…"));
    m_restore->setIcon(st->standardIcon(QStyle::SP_ArrowDown));
    m_migrate = make("actionMigrate", QStringLiteral("&Migrate legacy…"));
    m_migrate->setIcon(st->standardIcon(QStyle::SP_ArrowForward));
    m_stamp = make("actionStamp", QStringLiteral("S&tamp marker"));
    m_verify = make("actionVerify", QStringLiteral("&Verify isolation"), QKeySequence(Qt::CTRL | Qt::Key_I));
    m_verify->setIcon(st->standardIcon(QStyle::SP_DialogApplyButton));
    m_compare = make("actionCompare", QStringLiteral("Co&mpare environments…"),
                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_deployment = make("actionDeployment", QStringLiteral("&Deployment (worker)…"));
    m_verifyLive = make("actionVerifyLive", QStringLiteral("Verify &live (trigger each worker's backup)…"));
    m_about = make("actionAbout", QStringLiteral("&About Moltdesk"));
    // Ctrl+PgDn / Ctrl+PgUp and Alt+1…4 reach the detail tabs from anywhere in the window, the table
    // included (a window shortcut, not the tab bar's own keys, which need the focus on the tab bar).
    m_nextTab = make("actionNextTab", QStringLiteral("&Next Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    m_previousTab =
        make("actionPreviousTab", QStringLiteral("&Previous Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    createTabActions();
}

void MainWindow::createTabActions()
{
    const QStringList names{QStringLiteral("&Overview"), QStringLiteral("&Contents"),
                            QStringLiteral("&Isolation"), QStringLiteral("Lo&g")};
    for (int i = 0; i < names.size(); ++i) {
        auto *a = new QAction(names.at(i), this);
        a->setObjectName(QStringLiteral("actionTab%1").arg(i + 1));
        a->setShortcut(QKeySequence(Qt::ALT | (Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i]() {
            if (m_stack->currentIndex() == 1)
                m_tabs->setCurrentIndex(i);
        });
        m_tabActions << a;
    }
}

void MainWindow::connectActions()
{
    connect(m_openProfile, &QAction::triggered, this, &MainWindow::chooseProfile);
    connect(m_openDemo, &QAction::triggered, this, &MainWindow::openDemo);
    connect(m_newProfile, &QAction::triggered, this, [this]() { showProfileDialog(true); });
    connect(m_editProfile, &QAction::triggered, this, [this]() { showProfileDialog(false); });
    connect(m_importWrangler, &QAction::triggered, this, &MainWindow::importWrangler);
    connect(m_quit, &QAction::triggered, this, &MainWindow::close);
    connect(m_refresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_credentials, &QAction::triggered, this, [this]() { showCredentialsDialog(); });
    connect(m_sync, &QAction::triggered, this, [this]() { startAction(Plan::Kind::Sync); });
    connect(m_restore, &QAction::triggered, this, [this]() { startAction(Plan::Kind::Restore); });
    connect(m_migrate, &QAction::triggered, this, [this]() { startAction(Plan::Kind::Migrate); });
    connect(m_stamp, &QAction::triggered, this, [this]() { stampMarker(); });
    connect(m_verify, &QAction::triggered, this, &MainWindow::verifyIsolation);
    connect(m_compare, &QAction::triggered, this, [this]() { showCompareDialog(); });
    connect(m_deployment, &QAction::triggered, this, [this]() { showDeploymentDialog(); });
    connect(m_verifyLive, &QAction::triggered, this, [this]() { showLiveVerifyDialog(); });
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_nextTab, &QAction::triggered, this, [this]() { switchTab(1); });
    connect(m_previousTab, &QAction::triggered, this, [this]() { switchTab(-1); });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(m_newProfile);
    file->addAction(m_openProfile);
    file->addAction(m_openDemo);
    file->addSeparator();
    file->addAction(m_editProfile);
    file->addAction(m_importWrangler);
    m_recentMenu = file->addMenu(QStringLiteral("&Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addSeparator();
    file->addAction(m_quit);
    QMenu *env = menuBar()->addMenu(QStringLiteral("&Environment"));
    env->addAction(m_refresh);
    env->addAction(m_credentials);
    QMenu *actions = menuBar()->addMenu(QStringLiteral("&Actions"));
    actions->addAction(m_sync);
    actions->addAction(m_restore);
    actions->addAction(m_migrate);
    actions->addSeparator();
    actions->addAction(m_stamp);
    actions->addAction(m_deployment);
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(m_verify);
    view->addAction(m_compare);
    view->addAction(m_verifyLive);
    view->addSeparator();
    view->addAction(m_nextTab);
    view->addAction(m_previousTab);
    view->addActions(m_tabActions);
    buildHelpMenu(menuBar()->addMenu(QStringLiteral("&Help")));
}

void MainWindow::buildToolBar()
{
    m_toolBar = addToolBar(QStringLiteral("Main"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_refresh);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_sync);
    m_toolBar->addAction(m_restore);
    m_toolBar->addAction(m_migrate);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_verify);
    auto *spacer = new QWidget(m_toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolBar->addWidget(spacer);
    m_storageLabel = new QLabel(m_toolBar);
    m_storageLabel->setObjectName(QStringLiteral("storageLabel"));
    m_storageLabel->setContentsMargins(0, 0, 8, 0);
    m_toolBar->addWidget(m_storageLabel);
}

void MainWindow::buildHelpMenu(QMenu *help)
{
    auto *docs = new QAction(QStringLiteral("&Documentation"), this);
    docs->setObjectName(QStringLiteral("actionDocumentation"));
    docs->setShortcut(QKeySequence::HelpContents);
    connect(docs, &QAction::triggered, this, []() {
        QDesktopServices::openUrl(QUrl(QStringLiteral(MOLTDESK_HOMEPAGE "/blob/main/docs/gui.md")));
    });
    auto *keys = new QAction(QStringLiteral("&Keyboard Shortcuts"), this);
    keys->setObjectName(QStringLiteral("actionShortcuts"));
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    connect(keys, &QAction::triggered, this, &MainWindow::showShortcuts);
    auto *aboutQt = new QAction(QStringLiteral("About &Qt"), this);
    aboutQt->setObjectName(QStringLiteral("actionAboutQt"));
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    help->addAction(docs);
    help->addAction(keys);
    help->addSeparator();
    help->addAction(m_about);
    help->addAction(aboutQt);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, QStringLiteral("About Moltdesk"),
                       QStringLiteral("<h3>Moltdesk %1</h3><p>See and act on R2 environment isolation for "
                                      "Moltbot/OpenClaw deployments: one bucket per environment, synced, "
                                      "restored and migrated safely.</p>")
                           .arg(QStringLiteral(MOLTDESK_VERSION)));
}

void MainWindow::importWrangler()
{
    // Into the open profile when there is one, else into a new one.
    const QString f = FileDialog::openFileName(
        this, QStringLiteral("Import Environments from wrangler.jsonc"), QDir::homePath(),
        QStringLiteral("Wrangler configuration (*.jsonc *.json);;All files (*)"));
    if (f.isEmpty())
        return;
    if (ProfileDialog *dlg = showProfileDialog(!session()))
        dlg->importWrangler(f);
}

QDialog *MainWindow::showShortcuts()
{
    // Generated from the actions themselves, so the list cannot drift from what the keys do.
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='4'>");
    for (QAction *m : menuBar()->actions()) {
        if (!m->menu())
            continue;
        QString rows;
        for (QAction *a : m->menu()->actions())
            if (!a->shortcut().isEmpty())
                rows += QStringLiteral("<tr><td><kbd>%1</kbd></td><td>%2</td></tr>")
                            .arg(esc(a->shortcut().toString(QKeySequence::NativeText)),
                                 esc(QString(a->text()).remove(QLatin1Char('&'))));
        if (!rows.isEmpty())
            html += QStringLiteral("<tr><td colspan='2'><b>%1</b></td></tr>")
                        .arg(esc(QString(m->text()).remove(QLatin1Char('&')))) +
                    rows;
    }
    html += QStringLiteral(
        "<tr><td colspan='2'><b>Tables and tabs</b></td></tr>"
        "<tr><td><kbd>Tab</kbd> / <kbd>Shift+Tab</kbd></td><td>Next / previous control (leaves "
        "a table)</td></tr><tr><td><kbd>Arrows</kbd></td><td>Move within a table or tree</td></tr>"
        "<tr><td><kbd>Enter</kbd></td><td>Open the selected file in the viewer (Contents)</td></tr></table>");
    auto *dlg = new QDialog(this);
    dlg->setObjectName(QStringLiteral("shortcutsDialog"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(QStringLiteral("Keyboard Shortcuts"));
    auto *layout = new QVBoxLayout(dlg);
    auto *text = new QTextBrowser(dlg);
    text->setObjectName(QStringLiteral("shortcutsText"));
    text->setHtml(html);
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dlg);
    connect(buttons, &QDialogButtonBox::rejected, dlg, &QDialog::reject);
    layout->addWidget(buttons);
    dlg->resize(520, 560);
    dlg->show();
    return dlg;
}

void MainWindow::switchTab(int delta)
{
    if (m_stack->currentIndex() != 1 || m_tabs->count() == 0)
        return;
    m_tabs->setCurrentIndex((m_tabs->currentIndex() + delta + m_tabs->count()) % m_tabs->count());
}

void MainWindow::keepEveryRowVisible()
{
    // The splitter may shrink the table, never below its rows: on a 600 px high screen every
    // environment, production included, stays in sight.
    const int rows = m_envModel->rowCount();
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       rows * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth() +
                       m_table->horizontalScrollBar()->sizeHint().height();
    m_table->setMinimumHeight(height);
}

int MainWindow::selectedRow() const
{
    const QModelIndex cur = m_table->selectionModel()->currentIndex();
    if (!cur.isValid())
        return -1;
    return m_envProxy->mapToSource(cur).row();
}

void MainWindow::selectRow(int row)
{
    const QModelIndex idx = m_envProxy->mapFromSource(m_envModel->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
}

CompareDialog *MainWindow::showCompareDialog(int rowA, int rowB)
{
    if (!session())
        return nullptr;
    const qsizetype count = session()->workspace.environments().size();
    if (count < 2)
        return nullptr;
    if (rowA < 0)
        rowA = qMax(0, selectedRow());
    if (rowB < 0)
        rowB = int((rowA + 1) % count);
    if (rowA >= count || rowB >= count)
        return nullptr;
    auto *dlg = new CompareDialog(session(), m_controller.workPool(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setEnvironments(rowA, rowB);
    dlg->show();
    dlg->compare();
    return dlg;
}

ProfileDialog *MainWindow::showProfileDialog(bool newProfile)
{
    if (!newProfile && !session())
        return nullptr;
    // The opened profile is already in memory: editing it needs no file read on this thread.
    auto *dlg = newProfile ? new ProfileDialog(QString(), nullptr, this)
                           : new ProfileDialog(session()->profilePath, &session()->workspace.profile(), this);
    connect(dlg, &ProfileDialog::saved, this, [this](const QString &path) {
        showMessage(QStringLiteral("Saved %1").arg(QDir::toNativeSeparators(path)), 8000);
        openProfile(path); // adds it to the recent profiles once it opens
    });
    dlg->show();
    return dlg;
}

void MainWindow::fixToolbarWidths()
{
    // Each toolbar button is as wide as its longest text over every environment ("Sync PRODUCTION"),
    // so selecting another row never moves the buttons after it.
    QHash<QWidget *, int> widest;
    const QList<QAction *> named{m_sync, m_restore, m_migrate};
    for (QAction *a : named)
        if (QWidget *w = m_toolBar->widgetForAction(a)) {
            w->setMinimumWidth(0);
            w->setMaximumWidth(QWIDGETSIZE_MAX);
        }
    for (int row = -1; row < m_envModel->rowCount(); ++row) {
        applyActionTexts(row >= 0, row >= 0 ? m_envModel->names(row) : EnvironmentNames{});
        for (QAction *a : named)
            if (QWidget *w = m_toolBar->widgetForAction(a))
                widest[w] = qMax(widest.value(w), w->sizeHint().width());
    }
    for (auto it = widest.cbegin(); it != widest.cend(); ++it)
        it.key()->setFixedWidth(it.value());
}

void MainWindow::applyActionTexts(bool has, const EnvironmentNames &env)
{
    // Texts name the environment they act on; each keeps its mnemonic.
    const QString name =
        has ? (env.isProduction() ? env.environment.toUpper() : env.displayName()) : QString();
    m_sync->setText(has ? QStringLiteral("&Sync %1").arg(name) : QStringLiteral("&Sync"));
    m_restore->setText(has ? QStringLiteral("&Restore %1…").arg(name) : QStringLiteral("&Restore…"));
    m_migrate->setText(has && !env.isLegacy() ? QStringLiteral("&Migrate legacy → %1…").arg(name)
                                              : QStringLiteral("&Migrate legacy…"));
}

DeploymentDialog *MainWindow::showDeploymentDialog()
{
    if (!session())
        return nullptr;
    auto *dlg = new DeploymentDialog(
        session(), m_controller.keychain(), m_controller.useKeychain(),
        [this](const ActivityEntry &e) {
            addActivity(e);
            refreshEnvironment(m_envModel->rowOf(e.environment)); // its Deployment column changed
        },
        m_controller.workPool(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->show();
    dlg->refresh();
    return dlg;
}

void MainWindow::addActivity(const ActivityEntry &entryIn)
{
    // Every entry says who did it and in which profile: the log is an audit trail, shared by profiles.
    ActivityEntry entry = entryIn;
    if (entry.who.isEmpty())
        entry.who = ActivityEntry::currentUser();
    if (entry.profile.isEmpty() && session())
        entry.profile = session()->profilePath;
    activityModel()->prepend(entry);
    const auto log = m_log;
    const auto appended = QtConcurrent::run(&m_logPool, [log, entry]() { return log->append(entry); });
    deliverQueued(appended, this, [this, entry](const Status &s) {
        if (!s) {
            qCWarning(lcUi) << "activity log:" << s.error().toString();
            statusBar()->showMessage(QStringLiteral("Cannot write the activity log: ") + s.error().message,
                                     10000);
            return;
        }
        Q_EMIT activityWritten(entry);
    });
}

void MainWindow::loadActivity()
{
    const auto log = m_log;
    const auto loaded = QtConcurrent::run(&m_logPool, [log]() { return log->readAll(); });
    deliverQueued(loaded, this, [this](const Result<QList<ActivityEntry>> &r) {
        if (!r) {
            qCWarning(lcUi) << "activity log:" << r.error().toString();
            return;
        }
        // Entries added while loading stay on top.
        QList<ActivityEntry> all = r.value();
        for (int i = activityModel()->rowCount() - 1; i >= 0; --i)
            all << activityModel()->entry(i);
        activityModel()->setEntries(all);
    });
}

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProfiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentProfiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProfiles")).toStringList();
    for (const QString &p : recent) {
        QAction *a = m_recentMenu->addAction(QDir::toNativeSeparators(p));
        connect(a, &QAction::triggered, this, [this, p]() { openProfile(p); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (auto *split = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        QSettings().setValue(QStringLiteral("window/splitter"), split->saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::buildUi()
{
    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);
    m_stack->addWidget(buildEmptyPage());
    auto *split = new QSplitter(Qt::Vertical, m_stack);
    split->setObjectName(QStringLiteral("mainSplitter"));
    split->addWidget(buildEnvironmentTable(split));
    split->setCollapsible(0, false);
    split->addWidget(buildTabs(split));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    m_stack->addWidget(split);
    buildStatusBar();
}

// Empty state: what to do when nothing is open.
QWidget *MainWindow::buildEmptyPage()
{
    auto *empty = new QWidget(m_stack);
    auto *el = new QVBoxLayout(empty);
    el->addStretch();
    m_emptyLabel = new QLabel(QStringLiteral("<h2>No profile open</h2><p>Open a deployment's profile, or try "
                                             "everything on a local demo workspace first.</p>"),
                              empty);
    m_emptyLabel->setObjectName(QStringLiteral("emptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    el->addWidget(m_emptyLabel);
    auto *eb = new QHBoxLayout;
    eb->addStretch();
    auto *demoButton = new QPushButton(QStringLiteral("Open the demo workspace"), empty);
    demoButton->setObjectName(QStringLiteral("openDemoButton"));
    auto *profileButton = new QPushButton(QStringLiteral("Open profile…"), empty);
    auto *newButton = new QPushButton(QStringLiteral("New profile…"), empty);
    newButton->setObjectName(QStringLiteral("newProfileButton"));
    eb->addWidget(demoButton);
    eb->addWidget(profileButton);
    eb->addWidget(newButton);
    eb->addStretch();
    el->addLayout(eb);
    el->addStretch();
    connect(demoButton, &QPushButton::clicked, this, &MainWindow::openDemo);
    connect(profileButton, &QPushButton::clicked, this, &MainWindow::chooseProfile);
    connect(newButton, &QPushButton::clicked, this, [this]() { showProfileDialog(true); });
    return empty;
}

QTableView *MainWindow::buildEnvironmentTable(QWidget *parent)
{
    m_envModel = new EnvironmentTableModel(this);
    m_envProxy = new QSortFilterProxyModel(this);
    m_envProxy->setSourceModel(m_envModel);
    m_envProxy->setSortRole(EnvironmentTableModel::SortRole);
    m_envProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table = makeTable(parent, QStringLiteral("environmentsTable"), QStringLiteral("Environments"));
    m_table->setModel(m_envProxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // profile order until the user sorts
    m_table->setIconSize(QSize(16, 16));
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 14);
    sizeTableColumns();
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addActions({m_sync, m_restore, m_migrate, m_stamp, m_credentials, m_refresh});
    connect(m_envModel, &QAbstractItemModel::modelReset, this, &MainWindow::keepEveryRowVisible);
    connect(m_envModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::keepEveryRowVisible);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::selectionChanged);
    return m_table;
}

void MainWindow::sizeTableColumns()
{
    QHeaderView *h = m_table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setStretchLastSection(false); // Health stretches with the others (below), never wider than them
    // On a narrow window the bucket and mount path give way first, elided in the middle (their ends
    // say which environment), so the name, last sync and health stay readable without scrolling.
    h->setMinimumSectionSize(60);
    m_table->setTextElideMode(Qt::ElideMiddle);
    h->setSectionResizeMode(EnvironmentTableModel::BucketColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(EnvironmentTableModel::MountColumn, QHeaderView::Stretch);
    // The container's view starts with its verdict ("✘", "not checked —"), so it can give way too.
    h->setSectionResizeMode(EnvironmentTableModel::DeploymentColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(EnvironmentTableModel::HealthColumn, QHeaderView::Stretch);
    h->resizeSection(EnvironmentTableModel::EnvironmentColumn, 120);
    h->resizeSection(EnvironmentTableModel::BucketColumn, 210);
    h->resizeSection(EnvironmentTableModel::MountColumn, 210);
    // Wide enough for the longest usual state beside its icon ("2 days ago  (stale)").
    const QFontMetrics fm = m_table->fontMetrics();
    h->resizeSection(EnvironmentTableModel::LastSyncColumn,
                     fm.horizontalAdvance(QStringLiteral("2 days ago  (stale)")) + 44);
    h->resizeSection(EnvironmentTableModel::ObjectsColumn, 115);
    h->resizeSection(EnvironmentTableModel::CredentialsColumn,
                     fm.horizontalAdvance(QStringLiteral("not needed (mount)")) + 24);
}

// The detail tabs, one panel each; the window routes their requests.
QTabWidget *MainWindow::buildTabs(QWidget *parent)
{
    m_tabs = new QTabWidget(parent);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setDocumentMode(true);
    m_overview = new OverviewPanel(m_tabs);
    connect(m_overview, &OverviewPanel::stampRequested, this, [this]() { stampMarker(); });
    connect(m_overview, &OverviewPanel::credentialsRequested, this, [this]() { showCredentialsDialog(); });
    m_tabs->addTab(m_overview, QStringLiteral("Overview"));
    m_contents = new ContentsPanel(&m_controller, m_tabs);
    BrowserPanel *browser = m_contents->browser();
    connect(browser, &BrowserPanel::restoreRequested, this,
            [this](const QString &key) { startAction(Plan::Kind::Restore, -1, {key}); });
    connect(browser, &BrowserPanel::activity, this, &MainWindow::addActivity);
    connect(browser, &BrowserPanel::message, this, [this](const QString &text) { showMessage(text, 10000); });
    m_tabs->addTab(m_contents, QStringLiteral("Contents"));
    m_isolation = new IsolationPanel(m_tabs);
    connect(m_isolation, &IsolationPanel::verifyRequested, this, &MainWindow::verifyIsolation);
    m_tabs->addTab(m_isolation, QStringLiteral("Isolation"));
    m_logPanel = new LogPanel(m_tabs);
    connect(m_logPanel, &LogPanel::exportRequested, this, &MainWindow::exportActivity);
    m_tabs->addTab(m_logPanel, QStringLiteral("Log"));
    return m_tabs;
}

void MainWindow::buildStatusBar()
{
    m_jobStrip = new JobStatusStrip(this);
    statusBar()->addWidget(m_jobStrip, 1);
    // The audit's verdict stays visible whatever tab is open.
    m_verdictLabel = new QLabel(this);
    m_verdictLabel->setObjectName(QStringLiteral("verdictLabel"));
    m_verdictLabel->setAccessibleName(QStringLiteral("Isolation verdict"));
    statusBar()->addPermanentWidget(m_verdictLabel);
}

void MainWindow::connectController()
{
    WorkspaceController *c = &m_controller;
    connect(c, &WorkspaceController::sessionChanged, this, &MainWindow::sessionChanged);
    connect(c, &WorkspaceController::opened, this, &MainWindow::profileReady);
    connect(c, &WorkspaceController::openFailed, this, &MainWindow::openFailed);
    connect(c, &WorkspaceController::demoFailed, this, &MainWindow::demoFailed);
    connect(c, &WorkspaceController::refreshStarted, this, [this](int row) {
        m_envModel->setUpdating(row, true);
        m_envModel->setDeploymentChecking(row);
    });
    connect(c, &WorkspaceController::statusReady, this, &MainWindow::statusReady);
    connect(c, &WorkspaceController::deploymentReady, this, &MainWindow::deploymentReady);
    connect(c, &WorkspaceController::refreshed, this, &MainWindow::statusRefreshed);
    connect(c, &WorkspaceController::auditReady, this, &MainWindow::auditReady);
    connect(c, &WorkspaceController::stamped, this, &MainWindow::stamped);
}

void MainWindow::showMessage(const QString &text, int timeout)
{
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, timeout);
}

ActivityLogModel *MainWindow::activityModel() const
{
    return m_logPanel->model();
}

BucketBrowserModel *MainWindow::browserModel() const
{
    return m_contents->browser()->model();
}

BrowserPanel *MainWindow::browserPanel() const
{
    return m_contents->browser();
}

CredentialMatrixModel *MainWindow::matrixModel() const
{
    return m_isolation->matrixModel();
}

PathModel *MainWindow::pathModel() const
{
    return m_isolation->pathModel();
}

FindingsModel *MainWindow::findingsModel() const
{
    return m_isolation->findingsModel();
}

void MainWindow::chooseProfile()
{
    const QString path =
        FileDialog::openFileName(this, QStringLiteral("Open a Profile"), QDir::homePath(),
                                 QStringLiteral("Moltdesk profiles (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProfile(path);
}

void MainWindow::openDemo()
{
    showMessage(QStringLiteral("Preparing the demo workspace…"));
    m_controller.openDemo();
}

void MainWindow::demoFailed(const QString &message)
{
    showMessage(QStringLiteral("Cannot create the demo: ") + message);
    Q_EMIT profileFailed(message);
}

void MainWindow::openProfile(const QString &path)
{
    showMessage(QStringLiteral("Opening %1…").arg(QFileInfo(path).absoluteFilePath()));
    m_controller.openProfile(path);
}

void MainWindow::openFailed(const QString &path, const QString &message)
{
    showMessage(QStringLiteral("Cannot open %1: %2").arg(path, message));
    m_emptyLabel->setText(
        QStringLiteral("<h2>Cannot open the profile</h2><p>%1</p><p>%2</p>").arg(esc(path), esc(message)));
    if (!session())
        m_stack->setCurrentIndex(0);
    Q_EMIT profileFailed(message);
}

void MainWindow::profileReady(const QString &path)
{
    addRecent(path);
    statusBar()->clearMessage();
    for (const QString &w : session()->workspace.warnings())
        addActivity(openWarning(w));
    Q_EMIT profileOpened(path);
    refresh(); // and verifies
}

void MainWindow::sessionChanged(const SessionPtr &s)
{
    const Workspace &ws = s->workspace;
    m_envModel->setEnvironments(ws.environments(), ws.profile().staleAfterHours);
    const QString name =
        ws.wrangler() ? ws.wrangler()->topLevelName : QFileInfo(s->profilePath).completeBaseName();
    // "name — Moltdesk", as desktops expect (the document first); the path is in the tooltip.
    setWindowTitle(QStringLiteral("%1 — Moltdesk").arg(name));
    setWindowFilePath(s->profilePath);
    setToolTip(QStringLiteral("Profile: %1").arg(QDir::toNativeSeparators(s->profilePath)));
    const StorageConfig &sc = ws.profile().storage;
    m_storageLabel->setText(
        sc.type == StorageType::Mount
            ? QStringLiteral("storage: local mount (%1)").arg(QDir::toNativeSeparators(sc.root))
            : QStringLiteral("storage: R2 (%1)").arg(sc.endpoint.host()));
    m_stack->setCurrentIndex(1);
    m_auditWatch->setFiles({});
    fixToolbarWidths();
    updatePanels(); // the new profile, before any row is selected
    if (m_envModel->rowCount() > 0)
        selectRow(0);
    updateActions();
}

void MainWindow::refresh()
{
    if (!session())
        return;
    m_controller.refresh();
    // F5 refreshes the verdict too: a table that turned red under a green banner is a false green.
    verifyIsolation();
}

void MainWindow::refreshEnvironment(int row)
{
    m_controller.refreshEnvironment(row);
}

void MainWindow::statusReady(int row, const EnvironmentStatus &status)
{
    m_envModel->setStatus(row, status);
    if (row == selectedRow())
        updatePanels();
}

void MainWindow::deploymentReady(int row, const std::optional<ContainerView> &view)
{
    m_envModel->setDeployment(row, view);
    if (row == selectedRow())
        updatePanels();
}

EnvironmentSelection MainWindow::selection() const
{
    EnvironmentSelection sel;
    sel.session = session();
    sel.row = sel.session ? selectedRow() : -1;
    if (sel.row >= 0) {
        sel.names = m_envModel->names(sel.row);
        sel.status = m_envModel->status(sel.row);
        sel.updating = m_envModel->isUpdating(sel.row);
    }
    return sel;
}

void MainWindow::selectionChanged()
{
    updateActions();
    updatePanels();
}

void MainWindow::updatePanels()
{
    const EnvironmentSelection sel = selection();
    for (EnvironmentPanel *panel :
         {static_cast<EnvironmentPanel *>(m_overview), static_cast<EnvironmentPanel *>(m_contents),
          static_cast<EnvironmentPanel *>(m_isolation), static_cast<EnvironmentPanel *>(m_logPanel)})
        panel->setEnvironment(sel);
}

void MainWindow::updateActions()
{
    const SessionPtr s = session();
    const int row = selectedRow();
    const bool has = s && row >= 0;
    const EnvironmentNames env = has ? m_envModel->names(row) : EnvironmentNames{};
    m_refresh->setEnabled(bool(s));
    m_verify->setEnabled(bool(s));
    m_sync->setEnabled(has && !env.isLegacy());
    m_restore->setEnabled(has);
    m_migrate->setEnabled(has && !env.isLegacy());
    applyActionTexts(has, env);
    m_stamp->setEnabled(has);
    m_compare->setEnabled(s && s->workspace.environments().size() >= 2);
    m_credentials->setEnabled(has && !s->mountMode());
    m_editProfile->setEnabled(bool(s));
}

void MainWindow::verifyIsolation()
{
    if (!session())
        return;
    m_isolation->markRechecking();
    m_controller.verify();
}

void MainWindow::auditReady(const AuditReport &report)
{
    // Watch what this audit read: after an edit of the profile, that may be another wrangler.jsonc.
    const QStringList watched = m_auditWatch->files();
    if (QSet<QString>(report.inputs.cbegin(), report.inputs.cend()) !=
        QSet<QString>(watched.cbegin(), watched.cend()))
        m_auditWatch->setFiles(report.inputs);
    showAudit(report);
    Q_EMIT auditFinished(report);
}

void MainWindow::showAudit(const AuditReport &report)
{
    const VerdictView v = m_isolation->showAudit(report);
    m_verdictLabel->setText(v.statusText);
    m_tabs->setTabText(m_tabs->indexOf(m_isolation), QStringLiteral("Isolation") + v.tabSuffix);
}

void MainWindow::auditInputsChanged(const QStringList &files)
{
    if (!session())
        return;
    QStringList names;
    for (const QString &f : files)
        names << QFileInfo(f).fileName();
    m_isolation->markStale(names);
    m_verdictLabel->setText(QStringLiteral("<i>isolation verdict stale</i>"));
    verifyIsolation();
}

ActionDialog *MainWindow::startAction(Plan::Kind kind, int row, const QStringList &restoreOnly)
{
    if (row < 0)
        row = selectedRow();
    if (!session() || row < 0 || row >= m_envModel->rowCount())
        return nullptr;
    const EnvironmentNames env = m_envModel->names(row);
    if ((kind == Plan::Kind::Sync || kind == Plan::Kind::Migrate) && env.isLegacy()) {
        showMessage(QStringLiteral("The legacy bucket is read-only here: choose a named environment."), 8000);
        return nullptr;
    }
    QString target;
    if (kind == Plan::Kind::Restore) {
        target = FileDialog::existingDirectory(
            this,
            restoreOnly.isEmpty()
                ? QStringLiteral("Choose the Folder to Restore %1 Into").arg(env.displayName())
                : QStringLiteral("Choose the Folder to Restore %1 from %2 Into")
                      .arg(restoreOnly.join(QStringLiteral(", ")), env.displayName()),
            QDir::homePath());
        if (target.isEmpty())
            return nullptr;
    }
    auto *dlg = new ActionDialog(kind, session(), env, this);
    dlg->setConcurrency(m_concurrency);
    dlg->setRestoreTarget(target);
    dlg->setRestoreOnly(restoreOnly);
    wireActionDialog(dlg);
    dlg->show();
    dlg->start();
    return dlg;
}

void MainWindow::wireActionDialog(ActionDialog *dlg)
{
    connect(dlg, &ActionDialog::activity, this, &MainWindow::addActivity);
    connect(dlg, &ActionDialog::jobFinished, this,
            [this, dlg](const EnvironmentNames &e, const JobResult &) { actionFinished(dlg, e); });
    connect(dlg, &ActionDialog::progressText, this,
            [this, dlg](const QString &t) { showJobProgress(dlg, t); });
}

void MainWindow::actionFinished(ActionDialog *dialog, const EnvironmentNames &env)
{
    m_jobStrip->unregisterJob(dialog);
    refreshEnvironment(m_envModel->rowOf(env.displayName()));
    verifyIsolation(); // every action can change what the audit sees
}

// A running job's line in the status strip: its progress and its own Cancel.
void MainWindow::showJobProgress(ActionDialog *dialog, const QString &text)
{
    if (text.isEmpty()) {
        m_jobStrip->unregisterJob(dialog);
        return;
    }
    if (!m_jobStrip->isRegistered(dialog)) {
        // Names tests and accessibility tools can find: statusCancel_development_sync.
        const EnvironmentNames &env = dialog->environment();
        m_jobStrip->registerJob(
            dialog,
            {.id = QStringLiteral("%1_%2").arg(env.isLegacy() ? QStringLiteral("legacy") : env.environment,
                                               dialog->actionName()),
             .cancelName = QStringLiteral("Cancel %1 %2").arg(dialog->actionName(), env.displayName()),
             .cancel = [dialog]() { dialog->cancelJob(); }});
    }
    m_jobStrip->setProgress(dialog, text);
}

void MainWindow::stampMarker(int row)
{
    if (row < 0)
        row = selectedRow();
    if (!session() || row < 0)
        return;
    const EnvironmentNames env = m_envModel->names(row);
    if (!env.isProduction()) {
        m_controller.stamp(env);
        return;
    }
    // The same guard as every other write to production; non-modal, so nothing waits on it.
    auto *dlg = new ProductionConfirmDialog(
        QStringLiteral("Stamp PRODUCTION"),
        QStringLiteral("Stamping writes .moltdesk-environment into %1, marking it as production's bucket.")
            .arg(env.bucket),
        env.environment, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this,
            [this, env, dlg]() { m_controller.stamp(env, false, dlg->confirmation()->typed()); });
    dlg->open();
}

void MainWindow::stamped(const EnvironmentNames &env, const Status &st, const SessionPtr &s)
{
    const bool current = s == session();
    if (!st && st.error().code == QLatin1String(StampRefusal::UnreadableMarker) && current) {
        // The one override there is, asked for explicitly (moltctl's --force).
        auto *dlg = new StampOverwriteDialog(env, st.error().message, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &QDialog::accepted, this,
                [this, env, dlg]() { m_controller.stamp(env, true, dlg->confirmation()); });
        dlg->open();
    }
    const ActivityEntry e = stampActivity(env, st, s->profilePath);
    addActivity(e);
    showMessage(e.resultSummary + (st ? QString() : QStringLiteral(": ") + st.error().message), 10000);
    if (current) {
        refreshEnvironment(m_envModel->rowOf(env.displayName()));
        verifyIsolation();
    }
}

void MainWindow::showCredentialsDialog(int row)
{
    if (row < 0)
        row = selectedRow();
    if (!session() || row < 0)
        return;
    auto *dlg = new CredentialsDialog(m_controller.keychain(), session(), m_envModel->names(row),
                                      m_controller.workPool(), this);
    connect(dlg, &CredentialsDialog::stored, this, &MainWindow::credentialsStored);
    dlg->show();
}

void MainWindow::credentialsStored(const EnvironmentNames &env, const QString &where)
{
    ActivityEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.environment = env.displayName();
    e.action = QStringLiteral("credentials");
    e.outcome = QStringLiteral("succeeded");
    e.resultSummary = where == QLatin1String("keychain")
                          ? QStringLiteral("stored keys in the keychain")
                          : QStringLiteral("wrote keys into %1").arg(QFileInfo(where).fileName());
    e.target = where;
    addActivity(e);
    refreshEnvironment(m_envModel->rowOf(env.displayName()));
    verifyIsolation();
}

LiveVerifyDialog *MainWindow::showLiveVerifyDialog()
{
    if (!session())
        return nullptr;
    auto *dlg = new LiveVerifyDialog(session(), m_controller.keychain(), m_controller.useKeychain(),
                                     m_controller.workPool(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    const SessionPtr s = session();
    connect(dlg, &LiveVerifyDialog::probeFinished, this,
            [this, s](const QList<Finding> &findings, bool) { liveProbeFinished(s, findings); });
    dlg->show();
    return dlg;
}

void MainWindow::liveProbeFinished(const SessionPtr &s, const QList<Finding> &findings)
{
    if (s != session())
        return;
    for (const ActivityEntry &e : LiveVerifyDialog::activityEntries(findings))
        addActivity(e);
    // Kept for the audits that follow (until another profile opens), each saying when it was seen.
    const QString at = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    QList<Finding> live = findings;
    for (Finding &f : live)
        f.evidence = QStringLiteral("live check at %1: %2").arg(at, f.evidence);
    m_controller.setLiveFindings(live);
    refresh(); // the backups changed buckets and containers' last syncs; refresh() verifies again
}

void MainWindow::exportActivity(const QString &path)
{
    const QList<ActivityEntry> shown = m_logPanel->shownEntries();
    const auto exported = QtConcurrent::run(&m_logPool, [path, shown]() {
        // Oldest first, as the log file itself is written.
        return ActivityLog::exportTo(path, QList<ActivityEntry>(shown.crbegin(), shown.crend()));
    });
    deliverQueued(exported, this, [this, path, n = int(shown.size())](const Status &s) {
        showMessage(s ? QStringLiteral("Exported %1 entries to %2").arg(n).arg(QDir::toNativeSeparators(path))
                      : QStringLiteral("Cannot export the activity log: ") + s.error().message,
                    10000);
        Q_EMIT activityExported(path, s ? n : -1);
    });
}

} // namespace moltdesk
