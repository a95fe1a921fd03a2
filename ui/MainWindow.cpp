#include "MainWindow.h"

#include "ActionDialog.h"
#include "ActivityLogModel.h"
#include "AuditModels.h"
#include "AuditWatch.h"
#include "BrowserPanel.h"
#include "BucketBrowserModel.h"
#include "CompareDialog.h"
#include "CredentialsDialog.h"
#include "DataFlowView.h"
#include "DemoWorkspace.h"
#include "DeploymentDialog.h"
#include "EnvironmentTableModel.h"
#include "FocusFrame.h"
#include "IdentityMarker.h"
#include "IsolationAudit.h"
#include "LastSync.h"
#include "LiveVerifyDialog.h"
#include "ProductionConfirmation.h"
#include "ProfileDialog.h"
#include "StampOverwriteDialog.h"
#include "StatusCollector.h"
#include "UiLogging.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
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
#include <QTreeView>
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

QTableView *makeTable(QWidget *parent, const QString &name, const QString &accessible)
{
    auto *t = new QTableView(parent);
    t->setObjectName(name);
    t->setAccessibleName(accessible);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->setVisible(false);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    t->horizontalHeader()->setHighlightSections(false);
    // Tab and Shift+Tab move to the next control, never from cell to cell: a keyboard user must be able
    // to leave a table. The arrows move within it.
    t->setTabKeyNavigation(false);
    markFocus(t);
    return t;
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(Options options, QWidget *parent)
    : QMainWindow(parent), m_options(std::move(options)),
      m_log(std::make_shared<ActivityLog>(m_options.activityLogPath.isEmpty() ? ActivityLog::defaultPath()
                                                                              : m_options.activityLogPath))
{
    initMoltdeskResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Moltdesk"));
    setWindowIcon(QIcon(QStringLiteral(":/moltdesk/moltdesk.svg")));
    m_logPool.setMaxThreadCount(1);
    m_auditWatch = new AuditWatch(this);
    connect(m_auditWatch, &AuditWatch::changed, this, &MainWindow::auditInputsChanged);
    m_workPool.setMaxThreadCount(qMax(6, QThread::idealThreadCount()));
    buildActions();
    buildUi();
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // Never larger than the screen: on a 900×600 one the default would put the status bar off it.
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1200, 760);
        resize(qMin(1200, avail.width()), qMin(760, avail.height()));
    }
    if (auto *split = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        split->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
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
    // Their tasks block on workers (a backup may take minutes): cancelled before m_workPool waits for them.
    qDeleteAll(findChildren<DeploymentDialog *>());
    qDeleteAll(findChildren<LiveVerifyDialog *>());
    m_closing.cancel();
    m_logPool.waitForDone();
}

void MainWindow::buildActions()
{
    auto make = [this](const QString &name, const QString &text, const QKeySequence &key = {}) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (!key.isEmpty())
            a->setShortcut(key);
        return a;
    };
    const QStyle *st = style();
    m_openProfile =
        make(QStringLiteral("actionOpenProfile"), QStringLiteral("&Open profile…"), QKeySequence::Open);
    m_openProfile->setIcon(st->standardIcon(QStyle::SP_DialogOpenButton));
    m_openDemo = make(QStringLiteral("actionOpenDemo"), QStringLiteral("Open &demo"));
    m_newProfile =
        make(QStringLiteral("actionNewProfile"), QStringLiteral("&New profile…"), QKeySequence::New);
    m_editProfile = make(QStringLiteral("actionEditProfile"), QStringLiteral("&Edit profile…"),
                         QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_importWrangler =
        make(QStringLiteral("actionImportWrangler"), QStringLiteral("&Import wrangler.jsonc…"));
    m_quit = make(QStringLiteral("actionQuit"), QStringLiteral("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_refresh = make(QStringLiteral("actionRefresh"), QStringLiteral("&Refresh"), QKeySequence(Qt::Key_F5));
    m_refresh->setIcon(st->standardIcon(QStyle::SP_BrowserReload));
    m_credentials = make(QStringLiteral("actionCredentials"), QStringLiteral("&Credentials…"));
    m_sync = make(QStringLiteral("actionSync"), QStringLiteral("&Sync"), QKeySequence(Qt::CTRL | Qt::Key_S));
    m_sync->setIcon(st->standardIcon(QStyle::SP_ArrowUp));
    m_restore = make(QStringLiteral("actionRestore"), QStringLiteral("&Restore…"));
    m_restore->setIcon(st->standardIcon(QStyle::SP_ArrowDown));
    m_migrate = make(QStringLiteral("actionMigrate"), QStringLiteral("&Migrate legacy…"));
    m_migrate->setIcon(st->standardIcon(QStyle::SP_ArrowForward));
    m_stamp = make(QStringLiteral("actionStamp"), QStringLiteral("S&tamp marker"));
    m_verify = make(QStringLiteral("actionVerify"), QStringLiteral("&Verify isolation"),
                    QKeySequence(Qt::CTRL | Qt::Key_I));
    m_verify->setIcon(st->standardIcon(QStyle::SP_DialogApplyButton));
    m_compare = make(QStringLiteral("actionCompare"), QStringLiteral("Co&mpare environments…"),
                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_deployment = make(QStringLiteral("actionDeployment"), QStringLiteral("&Deployment (worker)…"));
    m_verifyLive = make(QStringLiteral("actionVerifyLive"),
                        QStringLiteral("Verify &live (trigger each worker's backup)…"));
    m_about = make(QStringLiteral("actionAbout"), QStringLiteral("&About Moltdesk"));
    buildTabActions(make);

    connect(m_openProfile, &QAction::triggered, this, &MainWindow::chooseProfile);
    connect(m_openDemo, &QAction::triggered, this, &MainWindow::openDemo);
    connect(m_newProfile, &QAction::triggered, this, [this]() { showProfileDialog(true); });
    connect(m_editProfile, &QAction::triggered, this, [this]() { showProfileDialog(false); });
    connect(m_importWrangler, &QAction::triggered, this, [this]() {
        // Into the open profile when there is one, else into a new one.
        const QString f = QFileDialog::getOpenFileName(
            this, QStringLiteral("Import Environments from wrangler.jsonc"), QDir::homePath(),
            QStringLiteral("Wrangler configuration (*.jsonc *.json);;All files (*)"));
        if (f.isEmpty())
            return;
        if (ProfileDialog *dlg = showProfileDialog(!m_session))
            dlg->importWrangler(f);
    });
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
    connect(m_about, &QAction::triggered, this, [this]() {
        QMessageBox::about(
            this, QStringLiteral("About Moltdesk"),
            QStringLiteral("<h3>Moltdesk %1</h3><p>See and act on R2 environment isolation for "
                           "Moltbot/OpenClaw deployments: one bucket per environment, synced, "
                           "restored and migrated safely.</p>")
                .arg(QStringLiteral(MOLTDESK_VERSION)));
    });

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
    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    buildHelpMenu(help);

    QToolBar *tb = addToolBar(QStringLiteral("Main"));
    m_toolBar = tb;
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setMovable(false);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(m_refresh);
    tb->addSeparator();
    tb->addAction(m_sync);
    tb->addAction(m_restore);
    tb->addAction(m_migrate);
    tb->addSeparator();
    tb->addAction(m_verify);
    auto *spacer = new QWidget(tb);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    tb->addWidget(spacer);
    m_storageLabel = new QLabel(tb);
    m_storageLabel->setObjectName(QStringLiteral("storageLabel"));
    m_storageLabel->setContentsMargins(0, 0, 8, 0);
    tb->addWidget(m_storageLabel);
}

void MainWindow::buildTabActions(
    const std::function<QAction *(const QString &, const QString &, const QKeySequence &)> &make)
{
    // Ctrl+PgDn / Ctrl+PgUp and Alt+1…4 reach the detail tabs from anywhere in the window, the table
    // included (a window shortcut, not the tab bar's own keys, which need the focus on the tab bar).
    m_nextTab = make(QStringLiteral("actionNextTab"), QStringLiteral("&Next Tab"),
                     QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    m_previousTab = make(QStringLiteral("actionPreviousTab"), QStringLiteral("&Previous Tab"),
                         QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(m_nextTab, &QAction::triggered, this, [this]() { switchTab(1); });
    connect(m_previousTab, &QAction::triggered, this, [this]() { switchTab(-1); });
    const QStringList names{QStringLiteral("&Overview"), QStringLiteral("&Contents"),
                            QStringLiteral("&Isolation"), QStringLiteral("Lo&g")};
    for (int i = 0; i < names.size(); ++i) {
        QAction *a = make(QStringLiteral("actionTab%1").arg(i + 1), names.at(i),
                          QKeySequence(Qt::ALT | (Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i]() {
            if (m_stack->currentIndex() == 1)
                m_tabs->setCurrentIndex(i);
        });
        m_tabActions << a;
    }
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

void MainWindow::buildUi()
{
    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);

    // Empty state: what to do when nothing is open.
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
    m_stack->addWidget(empty);

    auto *split = new QSplitter(Qt::Vertical, m_stack);
    split->setObjectName(QStringLiteral("mainSplitter"));
    m_envModel = new EnvironmentTableModel(this);
    m_envProxy = new QSortFilterProxyModel(this);
    m_envProxy->setSourceModel(m_envModel);
    m_envProxy->setSortRole(EnvironmentTableModel::SortRole);
    m_envProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table = makeTable(split, QStringLiteral("environmentsTable"), QStringLiteral("Environments"));
    m_table->setModel(m_envProxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // profile order until the user sorts
    m_table->setIconSize(QSize(16, 16));
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 14);
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
    h->resizeSection(EnvironmentTableModel::LastSyncColumn,
                     m_table->fontMetrics().horizontalAdvance(QStringLiteral("2 days ago  (stale)")) + 44);
    h->resizeSection(EnvironmentTableModel::ObjectsColumn, 115);
    h->resizeSection(EnvironmentTableModel::CredentialsColumn,
                     m_table->fontMetrics().horizontalAdvance(QStringLiteral("not needed (mount)")) + 24);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addActions({m_sync, m_restore, m_migrate, m_stamp, m_credentials, m_refresh});
    split->addWidget(m_table);
    split->setCollapsible(0, false);
    connect(m_envModel, &QAbstractItemModel::modelReset, this, &MainWindow::keepEveryRowVisible);
    connect(m_envModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::keepEveryRowVisible);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this]() {
        updateActions();
        updateOverview();
        updateContents();
    });

    m_tabs = new QTabWidget(split);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setDocumentMode(true);

    m_overview = new QTextBrowser(m_tabs);
    m_overview->setObjectName(QStringLiteral("overviewText"));
    m_overview->setAccessibleName(QStringLiteral("Environment overview"));
    m_overview->setOpenLinks(false);
    connect(m_overview, &QTextBrowser::anchorClicked, this, &MainWindow::onOverviewLink);
    m_tabs->addTab(m_overview, QStringLiteral("Overview"));

    auto *contents = new QWidget(m_tabs);
    auto *cl = new QVBoxLayout(contents);
    m_contentsLabel = new QLabel(contents);
    m_contentsLabel->setObjectName(QStringLiteral("contentsLabel"));
    cl->addWidget(m_contentsLabel);
    m_browserPanel = new BrowserPanel(&m_workPool, contents);
    m_browser = m_browserPanel->model();
    m_contentsView = m_browserPanel->view();
    connect(m_browserPanel, &BrowserPanel::restoreRequested, this,
            [this](const QString &key) { startAction(Plan::Kind::Restore, -1, {key}); });
    connect(m_browserPanel, &BrowserPanel::activity, this, &MainWindow::addActivity);
    connect(m_browserPanel, &BrowserPanel::message, this, [this](const QString &text) {
        if (text.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(text, 10000);
    });
    cl->addWidget(m_browserPanel, 1);
    connect(m_browser, &BucketBrowserModel::loadingChanged, this, [this](bool loading) {
        const QString base = m_contentsLabel->property("base").toString();
        m_contentsLabel->setText(loading ? base + QStringLiteral("  — listing…") : base);
    });
    m_tabs->addTab(contents, QStringLiteral("Contents"));

    auto *iso = new QWidget(m_tabs);
    auto *il = new QVBoxLayout(iso);
    auto *bannerRow = new QHBoxLayout;
    m_banner = new QLabel(QStringLiteral("Isolation not checked yet — Verify isolation (Ctrl+I)"), iso);
    m_banner->setObjectName(QStringLiteral("isolationBanner"));
    m_banner->setAccessibleName(QStringLiteral("Isolation verdict"));
    m_banner->setProperty("state", QStringLiteral("unknown"));
    m_banner->setMargin(8);
    m_banner->setAutoFillBackground(true);
    QFont bf = m_banner->font();
    bf.setBold(true);
    bf.setPointSizeF(bf.pointSizeF() * 1.15);
    m_banner->setFont(bf);
    bannerRow->addWidget(m_banner, 1);
    auto *verifyButton = new QPushButton(QStringLiteral("Verify again"), iso);
    verifyButton->setObjectName(QStringLiteral("verifyButton"));
    connect(verifyButton, &QPushButton::clicked, this, &MainWindow::verifyIsolation);
    bannerRow->addWidget(verifyButton);
    il->addLayout(bannerRow);
    auto *isoSplit = new QSplitter(Qt::Horizontal, iso);
    auto *leftIso = new QWidget(isoSplit);
    auto *lil = new QVBoxLayout(leftIso);
    lil->setContentsMargins(0, 0, 0, 0);
    lil->addWidget(new QLabel(QStringLiteral("<b>Credentials × buckets</b>"), leftIso));
    m_matrix = new CredentialMatrixModel(this);
    auto *matrixView =
        makeTable(leftIso, QStringLiteral("credentialMatrix"), QStringLiteral("Credential matrix"));
    matrixView->verticalHeader()->setVisible(true);
    matrixView->setModel(m_matrix);
    matrixView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    lil->addWidget(matrixView);
    m_matrixEmpty = new QLabel(leftIso);
    m_matrixEmpty->setObjectName(QStringLiteral("matrixEmpty"));
    m_matrixEmpty->setWordWrap(true);
    m_matrixEmpty->setVisible(false);
    m_matrixEmpty->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    lil->addWidget(m_matrixEmpty);
    lil->addWidget(new QLabel(QStringLiteral("<b>Paths</b>"), leftIso));
    m_paths = new PathModel(this);
    auto *pathView =
        makeTable(leftIso, QStringLiteral("pathTable"), QStringLiteral("Mount, write and read paths"));
    pathView->setModel(m_paths);
    pathView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    pathView->horizontalHeader()->setSectionResizeMode(PathModel::AgreeColumn, QHeaderView::ResizeToContents);
    lil->addWidget(pathView);
    auto *rightIso = new QWidget(isoSplit);
    auto *ril = new QVBoxLayout(rightIso);
    ril->setContentsMargins(0, 0, 0, 0);
    ril->addWidget(new QLabel(QStringLiteral("<b>Findings</b>"), rightIso));
    m_findings = new FindingsModel(this);
    m_findingsView = makeTable(rightIso, QStringLiteral("findingsView"), QStringLiteral("Audit findings"));
    m_findingsView->setModel(m_findings);
    m_findingsView->horizontalHeader()->setSectionResizeMode(FindingsModel::TitleColumn,
                                                             QHeaderView::Stretch);
    m_findingsView->horizontalHeader()->setSectionResizeMode(FindingsModel::SeverityColumn,
                                                             QHeaderView::ResizeToContents);
    m_findingsView->horizontalHeader()->setSectionResizeMode(FindingsModel::EnvironmentColumn,
                                                             QHeaderView::ResizeToContents);
    m_findingsView->horizontalHeader()->resizeSection(FindingsModel::RemedyColumn, 220);
    ril->addWidget(m_findingsView, 1);
    m_findingDetail = new QLabel(rightIso);
    m_findingDetail->setObjectName(QStringLiteral("findingDetail"));
    m_findingDetail->setWordWrap(true);
    m_findingDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ril->addWidget(m_findingDetail);
    connect(m_findingsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &cur) {
                if (!cur.isValid()) {
                    m_findingDetail->clear();
                    return;
                }
                const Finding &f = m_findings->finding(cur.row());
                QString html = QStringLiteral("<b>%1</b><br>Seen: %2").arg(esc(f.title), esc(f.evidence));
                if (!f.remedy.isEmpty())
                    html += QStringLiteral("<br>Fix: %1").arg(esc(f.remedy));
                if (!f.file.isEmpty())
                    html += QStringLiteral("<br>File: <code>%1%2</code>")
                                .arg(esc(f.file), f.line > 0 ? QStringLiteral(":%1").arg(f.line) : QString());
                if (!f.fixCommand.isEmpty())
                    html += QStringLiteral("<br>Command: <code>%1</code>").arg(esc(f.fixCommand));
                m_findingDetail->setText(html);
            });
    isoSplit->setStretchFactor(0, 2);
    isoSplit->setStretchFactor(1, 3);
    // The data flow above the tables: where each environment's chain breaks, at a glance.
    auto *isoVertical = new QSplitter(Qt::Vertical, iso);
    auto *flowScroll = new QScrollArea(isoVertical);
    flowScroll->setObjectName(QStringLiteral("dataFlowScroll"));
    flowScroll->setWidgetResizable(true);
    m_flow = new DataFlowView(flowScroll);
    flowScroll->setWidget(m_flow);
    isoSplit->setParent(isoVertical);
    isoVertical->addWidget(flowScroll);
    isoVertical->addWidget(isoSplit);
    isoVertical->setStretchFactor(0, 3);
    isoVertical->setStretchFactor(1, 2);
    flowScroll->setMinimumHeight(160);
    isoVertical->setSizes({480, 300}); // the whole chain visible at the default window size
    il->addWidget(isoVertical, 1);
    // On a small screen the isolation page scrolls inside its tab rather than pushing the window taller
    // than the screen (its diagram and tables need ~400 px).
    auto *isoScroll = new QScrollArea(m_tabs);
    isoScroll->setObjectName(QStringLiteral("isolationScroll"));
    isoScroll->setFrameShape(QFrame::NoFrame);
    isoScroll->setWidgetResizable(true);
    iso->setMinimumHeight(560); // below that the tab scrolls: diagram and tables keep their heights
    isoScroll->setWidget(iso);
    m_tabs->addTab(isoScroll, QStringLiteral("Isolation"));

    m_tabs->addTab(buildLogPage(), QStringLiteral("Log"));

    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    m_stack->addWidget(split);

    m_jobStrip = new QWidget(this);
    m_jobStrip->setObjectName(QStringLiteral("jobStrip"));
    m_jobStrip->setAccessibleName(QStringLiteral("Running jobs"));
    auto *jl = new QHBoxLayout(m_jobStrip);
    jl->setContentsMargins(0, 0, 0, 0);
    jl->addStretch(1);
    statusBar()->addWidget(m_jobStrip, 1);
    // The audit's verdict stays visible whatever tab is open.
    m_verdictLabel = new QLabel(this);
    m_verdictLabel->setObjectName(QStringLiteral("verdictLabel"));
    m_verdictLabel->setAccessibleName(QStringLiteral("Isolation verdict"));
    statusBar()->addPermanentWidget(m_verdictLabel);
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

// The Log tab: the activity log with its text and profile filters, Copy Details, Export… and the
// empty state.
QWidget *MainWindow::buildLogPage()
{
    auto *logPage = new QWidget(m_tabs);
    auto *ll = new QVBoxLayout(logPage);
    auto *lrow = new QHBoxLayout;
    m_logFilter = new QLineEdit(logPage);
    m_logFilter->setObjectName(QStringLiteral("logFilter"));
    m_logFilter->setPlaceholderText(QStringLiteral("Filter the activity log…"));
    m_logFilter->setAccessibleName(QStringLiteral("Filter the activity log"));
    m_logFilter->setClearButtonEnabled(true);
    lrow->addWidget(m_logFilter, 1);
    m_logProfileFilter = new QComboBox(logPage);
    m_logProfileFilter->setObjectName(QStringLiteral("logProfileFilter"));
    m_logProfileFilter->setAccessibleName(QStringLiteral("Show the activity of"));
    m_logProfileFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    lrow->addWidget(m_logProfileFilter);
    auto *copyButton = new QPushButton(QStringLiteral("Cop&y Details"), logPage);
    copyButton->setObjectName(QStringLiteral("copyDetailsButton"));
    lrow->addWidget(copyButton);
    auto *exportButton = new QPushButton(QStringLiteral("E&xport…"), logPage);
    exportButton->setObjectName(QStringLiteral("exportLogButton"));
    exportButton->setToolTip(QStringLiteral("Save the entries shown as JSON lines"));
    lrow->addWidget(exportButton);
    ll->addLayout(lrow);
    m_logModel = new ActivityLogModel(this);
    m_logProxy = new ActivityFilterProxy(this);
    m_logProxy->setSourceModel(m_logModel);
    m_logProxy->setFilterKeyColumn(-1);
    m_logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_logView = makeTable(logPage, QStringLiteral("logView"), QStringLiteral("Activity log"));
    m_logView->setModel(m_logProxy);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    m_logView->horizontalHeader()->resizeSection(ActivityLogModel::TimeColumn, 150);
    ll->addWidget(m_logView);
    m_logEmpty = new QLabel(logPage);
    m_logEmpty->setObjectName(QStringLiteral("logEmpty"));
    m_logEmpty->setWordWrap(true);
    m_logEmpty->setAlignment(Qt::AlignCenter);
    ll->addWidget(m_logEmpty);
    connect(m_logProxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateLogEmpty);
    connect(m_logProxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateLogEmpty);
    connect(m_logProxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateLogEmpty);
    connect(m_logProxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateLogEmpty);
    connect(m_logFilter, &QLineEdit::textChanged, m_logProxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(copyButton, &QPushButton::clicked, this, &MainWindow::copyLogDetails);
    connect(exportButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(
            this, QStringLiteral("Export Activity Log"), QDir::homePath() + QStringLiteral("/activity.jsonl"),
            QStringLiteral("JSON lines (*.jsonl);;All files (*)"));
        if (!path.isEmpty())
            exportActivity(path);
    });
    connect(m_logProfileFilter, &QComboBox::currentIndexChanged, this, [this]() {
        const QVariant v = m_logProfileFilter->currentData();
        m_logProxy->setProfile(v.isValid() ? v.toString() : QString());
        updateLogEmpty();
    });
    connect(m_logModel, &QAbstractItemModel::modelReset, this, &MainWindow::rebuildLogProfiles);
    connect(m_logModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::rebuildLogProfiles);
    rebuildLogProfiles();
    updateLogEmpty();
    return logPage;
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

void MainWindow::chooseProfile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Open a Profile"), QDir::homePath(),
                                     QStringLiteral("Moltdesk profiles (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProfile(path);
}

CompareDialog *MainWindow::showCompareDialog(int rowA, int rowB)
{
    if (!m_session)
        return nullptr;
    const qsizetype count = m_session->workspace.environments().size();
    if (count < 2)
        return nullptr;
    if (rowA < 0)
        rowA = qMax(0, selectedRow());
    if (rowB < 0)
        rowB = int((rowA + 1) % count);
    if (rowA >= count || rowB >= count)
        return nullptr;
    auto *dlg = new CompareDialog(m_session, &m_workPool, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setEnvironments(rowA, rowB);
    dlg->show();
    dlg->compare();
    return dlg;
}

ProfileDialog *MainWindow::showProfileDialog(bool newProfile)
{
    if (!newProfile && !m_session)
        return nullptr;
    // The opened profile is already in memory: editing it needs no file read on this thread.
    auto *dlg = newProfile ? new ProfileDialog(QString(), nullptr, this)
                           : new ProfileDialog(m_session->profilePath, &m_session->workspace.profile(), this);
    connect(dlg, &ProfileDialog::saved, this, [this](const QString &path) {
        statusBar()->showMessage(QStringLiteral("Saved %1").arg(QDir::toNativeSeparators(path)), 8000);
        openProfile(path); // adds it to the recent profiles once it opens
    });
    dlg->show();
    return dlg;
}

void MainWindow::openDemo()
{
    statusBar()->showMessage(QStringLiteral("Preparing the demo workspace…"));
    QtConcurrent::run(&m_workPool, []() -> Result<QString> {
        const QString dir = DemoWorkspace::defaultDirectory();
        const QString profile = dir + QStringLiteral("/profile.json");
        if (QFileInfo::exists(profile))
            return profile;
        return DemoWorkspace::create(dir);
    }).then(this, [this](const Result<QString> &r) {
        if (!r) {
            statusBar()->showMessage(QStringLiteral("Cannot create the demo: ") + r.error().message);
            Q_EMIT profileFailed(r.error().message);
            return;
        }
        openProfile(r.value());
    });
}

void MainWindow::openProfile(const QString &pathIn)
{
    const QString path = QFileInfo(pathIn).absoluteFilePath();
    statusBar()->showMessage(QStringLiteral("Opening %1…").arg(path));
    QtConcurrent::run(&m_workPool, [path]() {
        return Workspace::open(path);
    }).then(this, [this, path](const Result<Workspace> &ws) {
        if (!ws) {
            const QString msg = ws.error().toString();
            qCWarning(lcUi) << "cannot open" << path << msg;
            statusBar()->showMessage(QStringLiteral("Cannot open %1: %2").arg(path, msg));
            m_emptyLabel->setText(QStringLiteral("<h2>Cannot open the profile</h2><p>%1</p><p>%2</p>")
                                      .arg(esc(path), esc(msg)));
            if (!m_session)
                m_stack->setCurrentIndex(0);
            Q_EMIT profileFailed(msg);
            return;
        }
        setSession(std::make_shared<const Session>(ws.value(), path, &m_keychain, m_options.useKeychain));
        addRecent(path);
        statusBar()->clearMessage();
        for (const QString &w : m_session->workspace.warnings()) {
            ActivityEntry entry;
            entry.time = QDateTime::currentDateTimeUtc();
            entry.action = QStringLiteral("open");
            entry.outcome = QStringLiteral("warning");
            entry.resultSummary = w;
            addActivity(entry);
        }
        Q_EMIT profileOpened(path);
        refresh(); // and verifies
    });
}

void MainWindow::setSession(SessionPtr session)
{
    m_session = std::move(session);
    m_liveFindings.clear(); // another profile's deployment
    ++m_refreshGeneration;
    ++m_auditGeneration;
    const Workspace &ws = m_session->workspace;
    m_envModel->setEnvironments(ws.environments(), ws.profile().staleAfterHours);
    const QString name =
        ws.wrangler() ? ws.wrangler()->topLevelName : QFileInfo(m_session->profilePath).completeBaseName();
    // "name — Moltdesk", as desktops expect (the document first); the path is in the tooltip.
    setWindowTitle(QStringLiteral("%1 — Moltdesk").arg(name));
    setWindowFilePath(m_session->profilePath);
    setToolTip(QStringLiteral("Profile: %1").arg(QDir::toNativeSeparators(m_session->profilePath)));
    const StorageConfig &sc = ws.profile().storage;
    m_storageLabel->setText(
        sc.type == StorageType::Mount
            ? QStringLiteral("storage: local mount (%1)").arg(QDir::toNativeSeparators(sc.root))
            : QStringLiteral("storage: R2 (%1)").arg(sc.endpoint.host()));
    m_stack->setCurrentIndex(1);
    m_banner->setText(QStringLiteral("Isolation not checked yet — Verify isolation (Ctrl+I)"));
    m_banner->setProperty("state", QStringLiteral("unknown"));
    m_banner->setProperty("stale", false);
    m_banner->setStyleSheet(QString());
    m_auditWatch->setFiles({});
    fixToolbarWidths();
    rebuildLogProfiles();
    m_logProfileFilter->setCurrentIndex(qMax(0, m_logProfileFilter->findData(m_session->profilePath)));
    if (m_envModel->rowCount() > 0)
        selectRow(0);
    updateActions();
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

void MainWindow::refresh()
{
    if (!m_session)
        return;
    ++m_refreshGeneration;
    m_pendingRows = 0;
    for (int row = 0; row < m_envModel->rowCount(); ++row)
        refreshEnvironment(row);
    // F5 refreshes the verdict too: a table that turned red under a green banner is a false green.
    verifyIsolation();
}

void MainWindow::refreshEnvironment(int row)
{
    if (!m_session || row < 0 || row >= m_envModel->rowCount())
        return;
    const quint64 gen = m_refreshGeneration;
    const SessionPtr s = m_session;
    const EnvironmentNames env = m_envModel->names(row);
    m_envModel->setUpdating(row, true);
    ++m_pendingRows;
    QtConcurrent::run(&m_workPool, [s, env]() {
        const StatusCollector collector(s->workspace, s->resolver, s->factory);
        return collector.collect(env);
    }).then(this, [this, gen, row, s](const EnvironmentStatus &st) {
        if (gen != m_refreshGeneration || s != m_session)
            return; // a newer refresh or another profile
        m_envModel->setStatus(row, st);
        if (st.error)
            qCInfo(lcUi) << st.names.displayName() << "status:" << st.error->toString();
        if (row == selectedRow())
            updateOverview();
        if (--m_pendingRows == 0)
            Q_EMIT statusRefreshed();
    });
    refreshDeployment(row);
}

void MainWindow::refreshDeployment(int row)
{
    // The container's view, alongside the bucket's: the model joins the two once both are in.
    const quint64 gen = m_refreshGeneration;
    const SessionPtr s = m_session;
    const EnvironmentNames env = m_envModel->names(row);
    KeychainStore *keychain = &m_keychain;
    const bool useKeychain = m_options.useKeychain;
    const CancelToken closing = m_closing;
    m_envModel->setDeploymentChecking(row);
    ++m_pendingRows;
    QtConcurrent::run(&m_workPool, [s, env, keychain, useKeychain, closing]() {
        return deploymentOf(*s, keychain, useKeychain, env, closing);
    }).then(this, [this, gen, row, s](const std::optional<ContainerView> &view) {
        if (gen != m_refreshGeneration || s != m_session)
            return;
        m_envModel->setDeployment(row, view);
        if (row == selectedRow())
            updateOverview();
        if (--m_pendingRows == 0)
            Q_EMIT statusRefreshed();
    });
}

void MainWindow::updateActions()
{
    const bool has = m_session && selectedRow() >= 0;
    const int row = selectedRow();
    const EnvironmentNames env = has ? m_envModel->names(row) : EnvironmentNames{};
    m_refresh->setEnabled(bool(m_session));
    m_verify->setEnabled(bool(m_session));
    m_sync->setEnabled(has && !env.isLegacy());
    m_restore->setEnabled(has);
    m_migrate->setEnabled(has && !env.isLegacy());
    applyActionTexts(has, env);
    m_stamp->setEnabled(has);
    m_compare->setEnabled(m_session && m_session->workspace.environments().size() >= 2);
    m_credentials->setEnabled(has && !m_session->mountMode());
    m_editProfile->setEnabled(bool(m_session));
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

void MainWindow::updateOverview()
{
    const int row = selectedRow();
    if (!m_session || row < 0) {
        m_overview->setHtml(QStringLiteral("<p>Select an environment.</p>"));
        return;
    }
    const EnvironmentNames &n = m_envModel->names(row);
    const auto &st = m_envModel->status(row);
    const QString prodColor = EnvironmentTableModel::productionColor().name();
    QString html;
    html += n.isProduction()
                ? QStringLiteral("<h2 style='color:%1'>%2</h2>").arg(prodColor, esc(n.environment.toUpper()))
                : QStringLiteral("<h2>%1</h2>").arg(esc(n.displayName()));
    html += QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    auto row2 = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    row2(QStringLiteral("bucket"), QStringLiteral("<code>%1</code>").arg(esc(n.bucket)));
    row2(QStringLiteral("mount path"), QStringLiteral("<code>%1</code>").arg(esc(n.mountPath)));
    if (!st) {
        row2(QStringLiteral("status"),
             m_envModel->isUpdating(row) ? QStringLiteral("updating…") : QStringLiteral("not checked"));
        html += QStringLiteral("</table>");
        m_overview->setHtml(html);
        return;
    }
    row2(QStringLiteral("location"), QStringLiteral("<code>%1</code>").arg(esc(st->location)));
    QString creds = esc(st->credentialText);
    if (!st->missingCredentials.isEmpty())
        creds = QStringLiteral("<span style='color:%1'>%2</span> — <a href='moltdesk:credentials'>Add "
                               "credentials for %3</a>")
                    .arg(prodColor, creds, esc(n.displayName()));
    row2(QStringLiteral("credentials"), creds);
    QString marker;
    switch (st->markerState) {
    case EnvironmentStatus::MarkerState::Own:
        marker = QStringLiteral("%1 <span style='color:#2e7d32'>✔</span>").arg(esc(n.displayName()));
        break;
    case EnvironmentStatus::MarkerState::Missing:
        // The audit's advice for a bucket without a marker, legacy included, is to stamp it: the link does.
        marker =
            n.isLegacy()
                ? QStringLiteral("none — <a href='moltdesk:stamp'>Stamp this bucket as the legacy bucket</a>")
                : QStringLiteral("none — <a href='moltdesk:stamp'>Stamp this bucket as %1</a>")
                      .arg(esc(n.displayName()));
        break;
    case EnvironmentStatus::MarkerState::Foreign:
        marker = QStringLiteral("<span style='color:%1'><b>✘ names %2</b> — this bucket is cross-wired; run "
                                "Verify isolation</span>")
                     .arg(prodColor,
                          esc(st->marker ? (st->marker->environment.isEmpty() ? QStringLiteral("(legacy)")
                                                                              : st->marker->environment)
                                         : QString()));
        break;
    case EnvironmentStatus::MarkerState::Unreadable:
        marker = QStringLiteral("<span style='color:%1'>unreadable</span>").arg(prodColor);
        break;
    case EnvironmentStatus::MarkerState::Unknown:
        marker = QStringLiteral("unknown");
        break;
    }
    row2(QStringLiteral("marker"), marker);
    QString last;
    switch (st->lastSyncState) {
    case EnvironmentStatus::LastSyncState::Valid:
        last = QStringLiteral("<code>%1</code> (%2)")
                   .arg(esc(QString::fromUtf8(st->lastSyncRaw).trimmed()),
                        esc(LastSync::relativeAge(st->lastSync, QDateTime::currentDateTimeUtc())));
        break;
    case EnvironmentStatus::LastSyncState::Missing:
        last = QStringLiteral("none (never synced)");
        break;
    case EnvironmentStatus::LastSyncState::Unreadable:
        last = QStringLiteral("<span style='color:%1'>unreadable: <code>%2</code> (%3)</span>")
                   .arg(prodColor, esc(QString::fromUtf8(st->lastSyncRaw.left(80))), esc(st->lastSyncError));
        break;
    case EnvironmentStatus::LastSyncState::Unknown:
        last = QStringLiteral("unknown");
        break;
    }
    row2(QStringLiteral(".last-sync"), last);
    if (st->error)
        row2(QStringLiteral("error"),
             QStringLiteral("<span style='color:%1'>%2</span>").arg(prodColor, esc(st->error->toString())));
    for (const QString &p : st->problems)
        row2(QStringLiteral("problem"),
             QStringLiteral("<span style='color:#b26a00'>▲ %1</span>").arg(esc(p)));
    for (const QString &note : st->notes)
        row2(QStringLiteral("note"), esc(note));
    html += QStringLiteral("</table>");
    if (st->listed) {
        const QLocale l;
        html += QStringLiteral("<h3>Contents</h3><table cellspacing='0' cellpadding='3'>"
                               "<tr><th align='left'>prefix</th><th align='right'>objects</th>"
                               "<th align='right'>size</th></tr>");
        for (const PrefixUsage &p : st->prefixes)
            html += QStringLiteral("<tr><td style='padding-right:24px'><code>%1</code></td><td align='right' "
                                   "style='padding-right:24px'>%2</td><td align='right'>%3</td></tr>")
                        .arg(esc(p.prefix.isEmpty() ? QStringLiteral("(bucket root)") : p.prefix),
                             l.toString(p.objects), formatBytes(p.bytes));
        html +=
            QStringLiteral("<tr><td><b>total</b></td><td align='right' style='padding-right:24px'><b>%1</b>"
                           "</td><td align='right'><b>%2</b></td></tr></table>")
                .arg(l.toString(st->objects), formatBytes(st->bytes));
    }
    m_overview->setHtml(html);
}

void MainWindow::onOverviewLink(const QUrl &url)
{
    if (url.scheme() != QLatin1String("moltdesk"))
        return;
    if (url.path() == QLatin1String("stamp"))
        stampMarker();
    else if (url.path() == QLatin1String("credentials"))
        showCredentialsDialog();
}

void MainWindow::updateContents()
{
    const int row = selectedRow();
    ++m_contentsGeneration;
    if (!m_session || row < 0) {
        m_contentsLabel->setProperty("base", QString());
        m_contentsLabel->clear();
        m_browser->setBackend(nullptr);
        return;
    }
    const EnvironmentNames env = m_envModel->names(row);
    m_browserPanel->setEnvironmentName(env.displayName());
    const QString base = QStringLiteral("Bucket %1").arg(env.bucket);
    m_contentsLabel->setProperty("base", base);
    m_contentsLabel->setText(base + QStringLiteral("  — opening…"));
    m_browser->setBackend(nullptr, QStringLiteral("opening %1…").arg(env.bucket));
    const quint64 gen = m_contentsGeneration;
    const SessionPtr s = m_session;
    QtConcurrent::run(&m_workPool, [s, env]() {
        return s->factory.open(env, s->credentialsFor(env));
    }).then(this, [this, gen, base](const Result<std::shared_ptr<StorageBackend>> &r) {
        if (gen != m_contentsGeneration)
            return;
        if (!r) {
            m_contentsLabel->setText(base);
            m_browser->setBackend(nullptr, QStringLiteral("cannot open: ") + r.error().message);
            return;
        }
        m_contentsLabel->setText(QStringLiteral("%1  (%2)").arg(base, r.value()->location()));
        m_contentsLabel->setProperty("base", m_contentsLabel->text());
        m_browser->setBackend(r.value());
        m_browser->fetchMore({});
    });
}

void MainWindow::verifyIsolation()
{
    if (!m_session)
        return;
    const quint64 gen = ++m_auditGeneration;
    const SessionPtr s = m_session;
    // The previous verdict stays visible, marked as being re-checked, until the new one arrives.
    if (!m_banner->text().startsWith(QStringLiteral("⟳")))
        m_banner->setText(QStringLiteral("⟳ re-checking…  ") + m_banner->text());
    m_banner->setProperty("running", true);
    AuditOptions options;
    options.activityLogPath = m_log->path();
    const QList<Finding> live = m_liveFindings;
    KeychainStore *keychain = &m_keychain;
    const bool useKeychain = m_options.useKeychain;
    QtConcurrent::run(&m_workPool, [s, options, live, keychain, useKeychain]() {
        // Every audit reads the profile, wrangler.jsonc, the start script and .dev.vars as they are now,
        // not as they were when the profile was opened.
        auto ws = Workspace::open(s->profilePath);
        if (!ws) {
            AuditReport r;
            r.generated = QDateTime::currentDateTimeUtc();
            r.profilePath = s->profilePath;
            r.complete = false;
            r.findings.append(Finding{.check = QStringLiteral("audit"),
                                      .severity = Severity::NotChecked,
                                      .title = QStringLiteral("cannot read the profile: nothing was checked"),
                                      .evidence = ws.error().toString(),
                                      .remedy = QStringLiteral("fix the profile, then verify again"),
                                      .file = s->profilePath});
            return r;
        }
        const Session fresh(ws.value(), s->profilePath, keychain, useKeychain);
        const IsolationAudit audit(fresh.workspace, fresh.resolver, fresh.factory, options);
        AuditReport r = audit.run();
        r.findings += live; // the last live check's (View > Verify live…), marked with its time
        return r;
    }).then(this, [this, gen, s](const AuditReport &report) {
        if (gen != m_auditGeneration || s != m_session)
            return;
        // Watch what this audit read: after an edit of the profile, that may be another wrangler.jsonc.
        const QStringList watched = m_auditWatch->files();
        if (QSet<QString>(report.inputs.cbegin(), report.inputs.cend()) !=
            QSet<QString>(watched.cbegin(), watched.cend()))
            m_auditWatch->setFiles(report.inputs);
        showAudit(report);
        Q_EMIT auditFinished(report);
    });
}

void MainWindow::showAudit(const AuditReport &report)
{
    m_matrix->setReport(report);
    updateMatrixEmpty();
    m_paths->setReport(report);
    m_findings->setReport(report);
    m_flow->setReport(report);
    const VerdictView v = verdictView(report);
    m_banner->setProperty("state", v.state);
    m_banner->setProperty("stale", false);
    m_banner->setProperty("running", false);
    m_banner->setProperty("checked", report.generated);
    m_banner->setText(v.banner);
    m_banner->setStyleSheet(v.css);
    m_banner->setAccessibleDescription(v.banner);
    m_verdictLabel->setText(v.statusText);
    m_tabs->setTabText(2, QStringLiteral("Isolation") + v.tabSuffix);
}

void MainWindow::updateLogEmpty()
{
    // An empty log says what will appear there and how to make something appear.
    const bool none = m_logProxy->rowCount() == 0;
    const bool filtered = !m_logFilter->text().isEmpty();
    m_logEmpty->setVisible(none);
    m_logView->setVisible(!none || filtered);
    if (none && filtered)
        m_logEmpty->setText(
            QStringLiteral("<p>No entry matches “%1”. Clear the filter to see everything.</p>")
                .arg(esc(m_logFilter->text())));
    else if (none)
        m_logEmpty->setText(
            QStringLiteral(
                "<p><b>No activity yet%1.</b> Every sync, restore, migration, stamp, download and "
                "credentials change is recorded here: who, in which profile, from where into where, "
                "the plan, the overrides and the outcome. Select an environment and choose Sync "
                "(Ctrl+S) or Restore to begin.</p>")
                .arg(m_logProxy->profile().isNull() ? QString() : QStringLiteral(" in this profile")));
}

void MainWindow::updateMatrixEmpty()
{
    // Mount mode has no keys, so no matrix: say why, and what would give one, instead of an empty grid.
    const bool mount = m_session && m_session->mountMode();
    const bool empty = m_matrix->rowCount() == 0;
    m_matrixEmpty->setVisible(mount || empty);
    m_matrixEmpty->parentWidget()
        ->findChild<QTableView *>(QStringLiteral("credentialMatrix"))
        ->setVisible(!mount && !empty);
    if (mount)
        m_matrixEmpty->setText(
            QStringLiteral("<i>Local mount: the buckets are folders reached without keys, so "
                           "there is no credential matrix. With R2 storage and each "
                           "environment's keys (Environment › Credentials…) it shows which "
                           "keys reach which bucket.</i>"));
    else if (empty)
        m_matrixEmpty->setText(
            QStringLiteral("<i>No keys checked yet: add each environment's R2 keys (Environment › "
                           "Credentials…), then Verify isolation (Ctrl+I).</i>"));
}

void MainWindow::auditInputsChanged(const QStringList &files)
{
    if (!m_session)
        return;
    QStringList names;
    for (const QString &f : files)
        names << QFileInfo(f).fileName();
    // Visibly stale at once (struck through, muted), then checked again.
    m_banner->setProperty("stale", true);
    m_banner->setText(QStringLiteral("⟳ stale: %1 changed since this was checked — re-checking…  %2")
                          .arg(names.join(QStringLiteral(", ")), m_banner->text()));
    m_banner->setStyleSheet(QStringLiteral("background:#9e9e9e; color:#212121; border-radius:4px;"));
    m_verdictLabel->setText(QStringLiteral("<i>isolation verdict stale</i>"));
    verifyIsolation();
}

ActionDialog *MainWindow::startAction(Plan::Kind kind, int row, const QStringList &restoreOnly)
{
    if (row < 0)
        row = selectedRow();
    if (!m_session || row < 0 || row >= m_envModel->rowCount())
        return nullptr;
    const EnvironmentNames env = m_envModel->names(row);
    if ((kind == Plan::Kind::Sync || kind == Plan::Kind::Migrate) && env.isLegacy()) {
        statusBar()->showMessage(
            QStringLiteral("The legacy bucket is read-only here: choose a named environment."), 8000);
        return nullptr;
    }
    QString target;
    if (kind == Plan::Kind::Restore) {
        target = m_restoreDirectory;
        if (target.isEmpty())
            target = QFileDialog::getExistingDirectory(
                this,
                restoreOnly.isEmpty()
                    ? QStringLiteral("Choose the Folder to Restore %1 Into").arg(env.displayName())
                    : QStringLiteral("Choose the Folder to Restore %1 from %2 Into")
                          .arg(restoreOnly.join(QStringLiteral(", ")), env.displayName()),
                QDir::homePath());
        if (target.isEmpty())
            return nullptr;
    }
    auto *dlg = new ActionDialog(kind, m_session, env, this);
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
    connect(dlg, &ActionDialog::jobFinished, this, [this, dlg](const EnvironmentNames &e, const JobResult &) {
        removeJobLine(dlg);
        refreshEnvironment(m_envModel->rowOf(e.displayName()));
        verifyIsolation(); // every action can change what the audit sees
    });
    connect(dlg, &ActionDialog::progressText, this, [this, dlg](const QString &t) {
        if (t.isEmpty())
            removeJobLine(dlg);
        else
            setJobLine(dlg, t);
    });
    connect(dlg, &QObject::destroyed, this, [this, dlg]() { removeJobLine(dlg); });
}

void MainWindow::setJobLine(ActionDialog *dialog, const QString &text)
{
    auto it = m_jobLines.find(dialog);
    if (it == m_jobLines.end()) {
        // Names tests and accessibility tools can find: statusCancel_development_sync.
        const EnvironmentNames &env = dialog->environment();
        const QString id = QStringLiteral("%1_%2").arg(
            env.isLegacy() ? QStringLiteral("legacy") : env.environment, dialog->actionName());
        JobLine line;
        line.widget = new QWidget(m_jobStrip);
        line.widget->setObjectName(QStringLiteral("statusJob_") + id);
        auto *l = new QHBoxLayout(line.widget);
        l->setContentsMargins(0, 0, 12, 0);
        line.label = new QLabel(line.widget);
        line.label->setObjectName(QStringLiteral("statusText_") + id);
        l->addWidget(line.label);
        line.cancel = new QPushButton(QStringLiteral("Cancel"), line.widget);
        line.cancel->setObjectName(QStringLiteral("statusCancel_") + id);
        line.cancel->setAccessibleName(
            QStringLiteral("Cancel %1 %2").arg(dialog->actionName(), env.displayName()));
        line.cancel->setFlat(true);
        l->addWidget(line.cancel);
        connect(line.cancel, &QPushButton::clicked, this, [this, dialog]() {
            const auto found = m_jobLines.constFind(dialog);
            if (found == m_jobLines.cend())
                return;
            found->cancel->setEnabled(false);
            found->label->setText(found->label->text() + QStringLiteral(" — cancelling…"));
            dialog->cancelJob();
        });
        // Before the trailing stretch, so lines stay left-aligned in start order.
        auto *layout = static_cast<QHBoxLayout *>(m_jobStrip->layout());
        layout->insertWidget(layout->count() - 1, line.widget);
        line.widget->show();
        it = m_jobLines.insert(dialog, line);
    }
    if (it->cancel->isEnabled())
        it->label->setText(text);
}

void MainWindow::removeJobLine(ActionDialog *dialog)
{
    const JobLine line = m_jobLines.take(dialog);
    delete line.widget;
}

void MainWindow::stampMarker(int row)
{
    if (row < 0)
        row = selectedRow();
    if (!m_session || row < 0)
        return;
    const EnvironmentNames env = m_envModel->names(row);
    if (!env.isProduction()) {
        writeMarker(env);
        return;
    }
    // The same guard as every other write to production; non-modal, so nothing waits on it.
    auto *dlg = new ProductionConfirmDialog(
        QStringLiteral("Stamp PRODUCTION"),
        QStringLiteral("Stamping writes .moltdesk-environment into %1, marking it as production's bucket.")
            .arg(env.bucket),
        env.environment, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, [this, env]() { writeMarker(env); });
    dlg->open();
}

void MainWindow::writeMarker(const EnvironmentNames &env, bool overwriteUnreadable)
{
    const SessionPtr s = m_session;
    QtConcurrent::run(&m_workPool, [s, env, overwriteUnreadable]() -> Status {
        auto backend = s->factory.open(env, s->credentialsFor(env));
        if (!backend)
            return backend.error();
        return moltdesk::stampMarker(*backend.value(), env,
                                     StampOptions{.overwriteUnreadable = overwriteUnreadable});
    }).then(this, [this, env, s](const Status &st) {
        if (!st && st.error().code == QLatin1String(StampRefusal::UnreadableMarker) && s == m_session) {
            // The one override there is, asked for explicitly (moltctl's --force).
            auto *dlg = new StampOverwriteDialog(env, st.error().message, this);
            dlg->setAttribute(Qt::WA_DeleteOnClose);
            connect(dlg, &QDialog::accepted, this, [this, env]() { writeMarker(env, true); });
            dlg->open();
        }
        ActivityEntry e;
        e.time = QDateTime::currentDateTimeUtc();
        e.environment = env.displayName();
        e.action = QStringLiteral("stamp");
        e.outcome = st ? QStringLiteral("succeeded") : QStringLiteral("failed");
        e.resultSummary = st ? QStringLiteral("stamped %1 as %2").arg(env.bucket, env.displayName())
                             : QStringLiteral("not stamped");
        e.errors = st ? QStringList{} : QStringList{st.error().toString()};
        e.target = env.bucket;
        e.profile = s->profilePath; // the profile stamped in, even if another one is open by now
        addActivity(e);
        statusBar()->showMessage(
            e.resultSummary + (st ? QString() : QStringLiteral(": ") + st.error().message), 10000);
        if (s == m_session) {
            refreshEnvironment(m_envModel->rowOf(env.displayName()));
            verifyIsolation();
        }
    });
}

void MainWindow::showCredentialsDialog(int row)
{
    if (row < 0)
        row = selectedRow();
    if (!m_session || row < 0)
        return;
    auto *dlg = new CredentialsDialog(&m_keychain, m_session, m_envModel->names(row), &m_workPool, this);
    connect(dlg, &CredentialsDialog::stored, this, [this](const EnvironmentNames &env, const QString &where) {
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
    });
    dlg->show();
}

DeploymentDialog *MainWindow::showDeploymentDialog()
{
    if (!m_session)
        return nullptr;
    auto *dlg = new DeploymentDialog(
        m_session, &m_keychain, m_options.useKeychain,
        [this](const ActivityEntry &e) {
            addActivity(e);
            refreshEnvironment(m_envModel->rowOf(e.environment)); // its Deployment column changed
        },
        &m_workPool, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->show();
    dlg->refresh();
    return dlg;
}

LiveVerifyDialog *MainWindow::showLiveVerifyDialog()
{
    if (!m_session)
        return nullptr;
    auto *dlg = new LiveVerifyDialog(m_session, &m_keychain, m_options.useKeychain, &m_workPool, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    const SessionPtr s = m_session;
    connect(dlg, &LiveVerifyDialog::probeFinished, this, [this, s](const QList<Finding> &findings, bool) {
        if (s != m_session)
            return;
        for (const ActivityEntry &e : LiveVerifyDialog::activityEntries(findings))
            addActivity(e);
        // Kept for the audits that follow (until another profile opens), each saying when it was seen.
        const QString at = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        m_liveFindings = findings;
        for (Finding &f : m_liveFindings)
            f.evidence = QStringLiteral("live check at %1: %2").arg(at, f.evidence);
        refresh(); // the backups changed buckets and containers' last syncs; refresh() verifies again
    });
    dlg->show();
    return dlg;
}

void MainWindow::addActivity(const ActivityEntry &entryIn)
{
    // Every entry says who did it and in which profile: the log is an audit trail, shared by profiles.
    ActivityEntry entry = entryIn;
    if (entry.who.isEmpty())
        entry.who = ActivityEntry::currentUser();
    if (entry.profile.isEmpty() && m_session)
        entry.profile = m_session->profilePath;
    m_logModel->prepend(entry);
    const auto log = m_log;
    QtConcurrent::run(&m_logPool, [log, entry]() {
        return log->append(entry);
    }).then(this, [this, entry](const Status &s) {
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
    QtConcurrent::run(&m_logPool, [log]() {
        return log->readAll();
    }).then(this, [this](const Result<QList<ActivityEntry>> &r) {
        if (!r) {
            qCWarning(lcUi) << "activity log:" << r.error().toString();
            return;
        }
        // Entries added while loading stay on top.
        QList<ActivityEntry> all = r.value();
        for (int i = m_logModel->rowCount() - 1; i >= 0; --i)
            all << m_logModel->entry(i);
        m_logModel->setEntries(all);
    });
}

void MainWindow::rebuildLogProfiles()
{
    // "All profiles", then each profile the log names, the open one first; the choice survives.
    const QVariant chosen = m_logProfileFilter->currentData();
    QStringList profiles = m_logModel->profiles();
    if (m_session && !profiles.contains(m_session->profilePath))
        profiles.prepend(m_session->profilePath);
    const QSignalBlocker block(m_logProfileFilter);
    m_logProfileFilter->clear();
    m_logProfileFilter->addItem(QStringLiteral("All profiles"));
    for (const QString &p : std::as_const(profiles)) {
        const bool open = m_session && p == m_session->profilePath;
        m_logProfileFilter->addItem(p.isEmpty() ? QStringLiteral("(no profile recorded)")
                                                : QFileInfo(p).fileName() +
                                                      (open ? QStringLiteral(" (open)") : QString()),
                                    p);
        m_logProfileFilter->setItemData(m_logProfileFilter->count() - 1, QDir::toNativeSeparators(p),
                                        Qt::ToolTipRole);
    }
    const int again = chosen.isValid() ? m_logProfileFilter->findData(chosen) : 0;
    m_logProfileFilter->setCurrentIndex(qMax(0, again));
    const QVariant v = m_logProfileFilter->currentData();
    m_logProxy->setProfile(v.isValid() ? v.toString() : QString());
    updateLogEmpty();
}

void MainWindow::exportActivity(const QString &path)
{
    const QList<ActivityEntry> shown = m_logProxy->shownEntries();
    QtConcurrent::run(&m_logPool, [path, shown]() {
        // Oldest first, as the log file itself is written.
        return ActivityLog::exportTo(path, QList<ActivityEntry>(shown.crbegin(), shown.crend()));
    }).then(this, [this, path, n = int(shown.size())](const Status &s) {
        statusBar()->showMessage(
            s ? QStringLiteral("Exported %1 entries to %2").arg(n).arg(QDir::toNativeSeparators(path))
              : QStringLiteral("Cannot export the activity log: ") + s.error().message,
            10000);
        Q_EMIT activityExported(path, s ? n : -1);
    });
}

void MainWindow::copyLogDetails()
{
    const QModelIndexList rows = m_logView->selectionModel()->selectedRows();
    QStringList out;
    for (const QModelIndex &i : rows)
        out << i.data(ActivityLogModel::DetailsRole).toString();
    if (out.isEmpty() && m_logProxy->rowCount() > 0)
        out << m_logProxy->index(0, 0).data(ActivityLogModel::DetailsRole).toString();
    QApplication::clipboard()->setText(out.join(QLatin1Char('\n')));
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

} // namespace moltdesk
