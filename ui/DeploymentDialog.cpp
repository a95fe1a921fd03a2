#include "DeploymentDialog.h"

#include "LastSync.h"
#include "LiveIsolationProbe.h"
#include "ProductionConfirmation.h"
#include "ProductionGuard.h"
#include "QueuedDelivery.h"
#include "UiLogging.h"
#include "WorkerActions.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace moltdesk {

namespace {
QString age(const QString &raw, const QDateTime &now)
{
    const auto t = LastSync::parse(raw.toUtf8());
    return t ? LastSync::relativeAge(t.value(), now)
             : (raw.isEmpty() ? QStringLiteral("none") : QStringLiteral("unreadable"));
}

QList<QStandardItem *> rowItems(const WorkerStatus &s)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList cells(DeploymentDialog::ColumnCount);
    cells[DeploymentDialog::EnvColumn] = s.env.displayName();
    cells[DeploymentDialog::WorkerColumn] = s.endpoint.url.toString();
    if (s.error) {
        cells[DeploymentDialog::GatewayColumn] = QStringLiteral("unreachable");
    } else {
        cells[DeploymentDialog::GatewayColumn] = s.gateway ? s.gateway->status : QString();
        if (s.storage) {
            cells[DeploymentDialog::R2Column] =
                s.storage->configured ? QStringLiteral("configured") : QStringLiteral("not configured");
            cells[DeploymentDialog::ContainerSyncColumn] = age(s.storage->lastSync, now);
        }
        cells[DeploymentDialog::BucketSyncColumn] =
            s.bucketRead ? (s.bucketLastSync.isValid() ? LastSync::relativeAge(s.bucketLastSync, now)
                                                       : QStringLiteral("none"))
                         : QStringLiteral("not read");
        if (s.devices)
            cells[DeploymentDialog::DevicesColumn] = QStringLiteral("%1 paired, %2 pending")
                                                         .arg(s.devices->paired.size())
                                                         .arg(s.devices->pending.size());
    }
    cells[DeploymentDialog::HealthColumn] = s.failed() ? QStringLiteral("failure") : QStringLiteral("ok");
    QStringList why;
    if (s.error)
        why << s.error->message;
    why << s.routeErrors << s.problems << s.notes;
    QList<QStandardItem *> items;
    for (const QString &c : std::as_const(cells)) {
        auto *item = new QStandardItem(c);
        item->setEditable(false);
        item->setToolTip(why.join(QLatin1Char('\n')));
        items << item;
    }
    return items;
}
} // namespace

DeploymentDialog::DeploymentDialog(SessionPtr session, KeychainStore *keychain, bool useKeychain,
                                   Logger logger, QThreadPool *pool, QWidget *parent)
    : QDialog(parent), m_session(std::move(session)), m_keychain(keychain), m_useKeychain(useKeychain),
      m_logger(std::move(logger)), m_pool(pool)
{
    setObjectName(QStringLiteral("deploymentDialog"));
    setWindowTitle(QStringLiteral("Deployment: Workers' Status and Actions"));
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels(
        {QStringLiteral("Environment"), QStringLiteral("Worker"), QStringLiteral("Gateway"),
         QStringLiteral("R2"), QStringLiteral("Container's last sync"), QStringLiteral("Bucket's last sync"),
         QStringLiteral("Devices"), QStringLiteral("Health")});
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_refreshButton = new QPushButton(QStringLiteral("&Refresh"), this);
    m_backup = new QPushButton(QStringLiteral("&Back up now (in the container)"), this);
    m_restart = new QPushButton(QStringLiteral("Re&start gateway (restores from R2)"), this);
    m_persistence = new QPushButton(QStringLiteral("Check &persistence"), this);
    m_cancelButton = new QPushButton(QStringLiteral("Ca&ncel"), this); // Alt+C: the confirmation field
    for (const EnvironmentNames &e : m_session->workspace.environments()) {
        if (e.isProduction())
            m_confirmation = new ProductionConfirmation(e.environment, this);
    }
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // how long a backup or a boot takes is unknown: indeterminate
    m_progress->hide();
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_refreshButton, m_backup, m_restart, m_persistence, m_cancelButton})
        buttons->addWidget(b);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
    if (m_confirmation)
        layout->addWidget(m_confirmation);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_refreshButton, &QPushButton::clicked, this, &DeploymentDialog::refresh);
    connect(m_backup, &QPushButton::clicked, this, [this]() { start(Action::Backup); });
    connect(m_restart, &QPushButton::clicked, this, [this]() { start(Action::Restart); });
    connect(m_persistence, &QPushButton::clicked, this, [this]() { start(Action::Persistence); });
    connect(m_cancelButton, &QPushButton::clicked, this, &DeploymentDialog::cancel);
    resize(1000, 360);
    setBusy(false, {});
}

DeploymentDialog::~DeploymentDialog()
{
    m_cancel.cancel(); // running tasks stop soon; their results are dropped with this dialog
}

QLineEdit *DeploymentDialog::confirmEdit() const
{
    return m_confirmation ? m_confirmation->findChild<QLineEdit *>(QStringLiteral("confirmEdit")) : nullptr;
}

QString DeploymentDialog::message() const
{
    return m_status->text();
}

void DeploymentDialog::setBusy(bool busy, const QString &text)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_cancelButton->setEnabled(busy);
    for (QPushButton *b : {m_refreshButton, m_backup, m_restart, m_persistence})
        b->setEnabled(!busy);
    if (m_confirmation)
        m_confirmation->setLocked(busy);
    if (!text.isEmpty())
        m_status->setText(text);
}

int DeploymentDialog::currentRow() const
{
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.row() : -1;
}

void DeploymentDialog::cancel()
{
    m_cancel.cancel();
    m_status->setText(QStringLiteral("cancelling..."));
}

void DeploymentDialog::refresh()
{
    const quint64 gen = ++m_generation;
    m_model->removeRows(0, m_model->rowCount());
    const SessionPtr s = m_session;
    KeychainStore *keychain = m_keychain;
    const bool useKeychain = m_useKeychain;
    deliverQueued(
        QtConcurrent::run(m_pool,
                          [s, keychain, useKeychain]() {
                              const AccessTokenResolver access(s->profilePath, keychain, useKeychain);
                              WorkerClientOptions options;
                              options.timeoutMs = kStatusTimeoutMs;
                              const WorkerActions actions(s->workspace, s->resolver, access, options);
                              QList<WorkerStatus> out;
                              for (const EnvironmentNames &env : s->workspace.environments()) {
                                  auto ep = WorkerLocator(s->workspace).locate(env);
                                  if (ep || ep.error().kind != ErrorKind::NotFound)
                                      out << actions.status(env);
                              }
                              return out;
                          }),
        this, [this, gen](const QList<WorkerStatus> &rows) {
            if (gen != m_generation)
                return;
            for (const WorkerStatus &w : rows) {
                m_model->appendRow(rowItems(w));
                m_model->item(m_model->rowCount() - 1, EnvColumn)
                    ->setData(QVariant::fromValue(w.env.environment), Qt::UserRole);
                m_model->item(m_model->rowCount() - 1, EnvColumn)
                    ->setData(w.env.isLegacy(), Qt::UserRole + 1);
            }
            if (rows.isEmpty())
                m_status->setText(
                    QStringLiteral("No worker is known: add \"workers\" to the profile (see the README)."));
            Q_EMIT refreshed();
        });
}

namespace {
// One of the dialog's actions, on a worker thread, as the activity log's entry.
ActivityEntry runAction(const WorkerActions &actions, DeploymentDialog::Action action,
                        const EnvironmentNames &e, const QString &what, const CancelToken &cancel,
                        const WorkerActions::Progress &progress)
{
    using Action = DeploymentDialog::Action;
    ActivityEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.environment = e.displayName();
    entry.action = what;
    QString summary;
    std::optional<Error> error;
    if (action == Action::Backup) {
        auto r = actions.syncVerified(e, cancel, progress);
        if (r)
            summary = r.value().evidence;
        else
            error = r.error();
    } else if (action == Action::Restart) {
        auto r = actions.restart(e, true, 180000, cancel, progress);
        if (r)
            summary = QStringLiteral("gateway running again as %1").arg(r.value().processId);
        else
            error = r.error();
    } else {
        auto r = actions.checkPersistence(e, 180000, cancel, progress);
        if (!r)
            error = r.error();
        else if (!r.value().checked)
            error = makeError(ErrorKind::Refused, QStringLiteral("not checked: ") + r.value().notCheckedWhy);
        else if (!r.value().missing.isEmpty())
            error = makeError(ErrorKind::Server, QStringLiteral("paired devices lost across the restart: ") +
                                                     r.value().missing.join(QStringLiteral(", ")));
        else
            summary = QStringLiteral("%1 paired device(s) still there after backup and restart")
                          .arg(r.value().before.size());
    }
    entry.outcome =
        error ? (error->kind == ErrorKind::Cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed"))
              : QStringLiteral("succeeded");
    entry.resultSummary = error ? error->message : summary;
    if (error)
        entry.errors << error->message;
    return entry;
}
} // namespace

bool DeploymentDialog::start(Action action, int row)
{
    if (row < 0)
        row = currentRow();
    if (m_busy || row < 0 || row >= m_model->rowCount()) {
        m_status->setText(m_busy ? QStringLiteral("An action is running.")
                                 : QStringLiteral("Select an environment first."));
        return false;
    }
    const bool legacy = m_model->item(row, EnvColumn)->data(Qt::UserRole + 1).toBool();
    auto env = m_session->workspace.find(
        legacy ? QStringLiteral("legacy") : m_model->item(row, EnvColumn)->data(Qt::UserRole).toString());
    if (!env)
        return false;
    static const char *names[] = {"worker sync", "worker restart", "worker check-persistence"};
    const QString what = QLatin1String(names[int(action)]);
    const QString typed = m_confirmation ? m_confirmation->typed() : QString();
    if (auto g = confirmProduction(env.value(), typed, what); !g) {
        m_status->setText(g.error().message);
        return false;
    }
    m_cancel = CancelToken();
    setBusy(true, QStringLiteral("%1 %2...").arg(what, env.value().displayName()));
    const SessionPtr s = m_session;
    KeychainStore *keychain = m_keychain;
    const bool useKeychain = m_useKeychain;
    const CancelToken cancel = m_cancel;
    const QPointer<DeploymentDialog> self(this);
    const auto progress = [self](const QString &text) {
        QMetaObject::invokeMethod(
            self,
            [self, text]() {
                if (self)
                    self->m_status->setText(text);
            },
            Qt::QueuedConnection);
    };
    const EnvironmentNames e = env.value();
    const auto acting =
        QtConcurrent::run(m_pool, [s, keychain, useKeychain, cancel, progress, action, e, what]() {
            const AccessTokenResolver access(s->profilePath, keychain, useKeychain);
            const WorkerActions actions(s->workspace, s->resolver, access);
            return runAction(actions, action, e, what, cancel, progress);
        });
    deliverQueued(acting, this, [this](const ActivityEntry &entry) { finish(entry); });
    return true;
}

void DeploymentDialog::finish(const ActivityEntry &entry)
{
    const bool ok = entry.outcome == QLatin1String("succeeded");
    setBusy(false, QStringLiteral("%1 %2: %3").arg(entry.action, entry.outcome, entry.resultSummary));
    qCInfo(lcUi) << entry.action << entry.environment << entry.outcome;
    if (m_logger)
        m_logger(entry);
    Q_EMIT actionFinished(ok, entry.resultSummary);
    refresh();
}

std::optional<ContainerView> deploymentOf(const Session &session, KeychainStore *keychain, bool useKeychain,
                                          const EnvironmentNames &env, const CancelToken &cancel)
{
    const AccessTokenResolver access(session.profilePath, keychain, useKeychain);
    WorkerClientOptions options;
    options.timeoutMs = kStatusTimeoutMs;
    return WorkerActions(session.workspace, session.resolver, access, options).deploymentOf(env, cancel);
}

QList<Finding> liveIsolationFindings(const Session &session, KeychainStore *keychain, bool useKeychain,
                                     const QString &confirmation, const CancelToken &cancel,
                                     const WorkerActions::Progress &progress)
{
    const AccessTokenResolver access(session.profilePath, keychain, useKeychain);
    const WorkerActions actions(session.workspace, session.resolver, access);
    return LiveIsolationProbe(session.workspace, actions).run(confirmation, cancel, progress);
}

} // namespace moltdesk
