#include "LiveVerifyDialog.h"

#include "DeploymentDialog.h"
#include "ProductionConfirmation.h"
#include "ProductionGuard.h"
#include "QueuedDelivery.h"
#include "UiLogging.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace moltdesk {

namespace {
std::optional<EnvironmentNames> productionOf(const Workspace &ws)
{
    for (const EnvironmentNames &e : ws.environments()) {
        if (e.isProduction())
            return e;
    }
    return std::nullopt;
}
} // namespace

LiveVerifyDialog::LiveVerifyDialog(SessionPtr session, KeychainStore *keychain, bool useKeychain,
                                   QThreadPool *pool, QWidget *parent)
    : QDialog(parent), m_session(std::move(session)), m_keychain(keychain), m_useKeychain(useKeychain),
      m_pool(pool)
{
    setObjectName(QStringLiteral("liveVerifyDialog"));
    setWindowTitle(QStringLiteral("Verify Isolation Live"));
    auto *intro = new QLabel(
        QStringLiteral("For each environment with a worker: every bucket is listed, that environment's "
                       "container backs up (in the container, as \"Back up now\"), every bucket is listed "
                       "again. Only its own bucket may change."),
        this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    if (const auto prod = productionOf(m_session->workspace)) {
        auto *why = new QLabel(QStringLiteral("Production's backup is triggered only with its name typed; "
                                              "without it, production's live check is reported as not "
                                              "checked."),
                               this);
        why->setWordWrap(true);
        layout->addWidget(why);
        m_confirmation = new ProductionConfirmation(prod->environment, this);
        layout->addWidget(m_confirmation);
    }
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // how long a container's backup takes is unknown: indeterminate
    m_progress->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("liveStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_run = new QPushButton(QStringLiteral("&Run live check"), this);
    m_run->setObjectName(QStringLiteral("liveRunButton"));
    m_run->setDefault(true);
    m_cancelButton = new QPushButton(QStringLiteral("Ca&ncel"), this); // Alt+C: the confirmation field
    m_cancelButton->setObjectName(QStringLiteral("liveCancelButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch(1);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addWidget(close);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    connect(m_run, &QPushButton::clicked, this, &LiveVerifyDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &LiveVerifyDialog::cancel);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(620, 240);
    setBusy(false);
}

LiveVerifyDialog::~LiveVerifyDialog()
{
    m_cancel.cancel(); // a running probe stops soon; its findings are dropped with the dialog
}

QString LiveVerifyDialog::message() const
{
    return m_status->text();
}

void LiveVerifyDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_run->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
    if (m_confirmation)
        m_confirmation->setLocked(busy);
}

void LiveVerifyDialog::cancel()
{
    if (!m_busy)
        return;
    m_cancel.cancel();
    m_status->setText(QStringLiteral("cancelling… (a backup already asked for finishes in the container)"));
}

bool LiveVerifyDialog::start()
{
    if (m_busy)
        return false;
    // Passed on as typed: the probe checks it again (confirmProduction).
    const QString confirmation =
        m_confirmation && m_confirmation->isConfirmed() ? m_confirmation->typed() : QString();
    m_cancel = CancelToken();
    setBusy(true);
    m_status->setText(confirmation.isEmpty() && m_confirmation
                          ? QStringLiteral("live check running (production not confirmed: skipped)…")
                          : QStringLiteral("live check running…"));
    const SessionPtr s = m_session;
    KeychainStore *keychain = m_keychain;
    const bool useKeychain = m_useKeychain;
    const CancelToken cancel = m_cancel;
    const QPointer<LiveVerifyDialog> self(this);
    const auto progress = [self](const QString &text) {
        QMetaObject::invokeMethod(
            self,
            [self, text]() {
                if (self && !self->m_cancel.isCancelled())
                    self->m_status->setText(text);
            },
            Qt::QueuedConnection);
    };
    const auto checking =
        QtConcurrent::run(m_pool, [s, keychain, useKeychain, confirmation, cancel, progress]() {
            return liveIsolationFindings(*s, keychain, useKeychain, confirmation, cancel, progress);
        });
    deliverQueued(checking, this,
                  [this, cancel](const QList<Finding> &findings) { finish(findings, cancel.isCancelled()); });
    return true;
}

void LiveVerifyDialog::finish(const QList<Finding> &findings, bool cancelled)
{
    setBusy(false);
    int failures = 0, notChecked = 0, ok = 0;
    for (const Finding &f : findings) {
        failures += f.severity == Severity::Failure ? 1 : 0;
        notChecked += f.severity == Severity::NotChecked ? 1 : 0;
        ok += f.severity == Severity::Ok ? 1 : 0;
    }
    QString text = findings.isEmpty()
                       ? QStringLiteral("No worker is known: nothing live to check (add \"workers\" to the "
                                        "profile).")
                       : QStringLiteral("live check %1: %2 failure(s), %3 not checked, %4 ok — see the "
                                        "Isolation tab")
                             .arg(cancelled ? QStringLiteral("cancelled") : QStringLiteral("done"))
                             .arg(failures)
                             .arg(notChecked)
                             .arg(ok);
    m_status->setText(text);
    qCInfo(lcUi) << "live check" << (cancelled ? "cancelled" : "done") << "failures" << failures
                 << "not checked" << notChecked;
    Q_EMIT probeFinished(findings, cancelled);
}

QList<ActivityEntry> LiveVerifyDialog::activityEntries(const QList<Finding> &findings)
{
    // The worst finding of each environment is its entry's outcome; failures carry their evidence. A
    // cancelled probe reports "not checked: cancelled" for what it did not finish (LiveIsolationProbe).
    QList<ActivityEntry> out;
    QHash<QString, qsizetype> at;
    QHash<QString, int> worst;
    for (const Finding &f : findings) {
        if (!at.contains(f.environment)) {
            at.insert(f.environment, out.size());
            worst.insert(f.environment, -1);
            ActivityEntry e;
            e.time = QDateTime::currentDateTimeUtc();
            e.environment = f.environment;
            e.action = QStringLiteral("verify live");
            out << e;
        }
        ActivityEntry &e = out[at.value(f.environment)];
        if (f.severity == Severity::Failure)
            e.errors << f.title + QStringLiteral(": ") + f.evidence;
        if (int(f.severity) > worst.value(f.environment)) {
            worst[f.environment] = int(f.severity);
            e.resultSummary = f.title;
            e.outcome = f.severity == Severity::Failure      ? QStringLiteral("failed")
                        : f.severity == Severity::NotChecked ? QStringLiteral("not checked")
                        : f.severity == Severity::Warning    ? QStringLiteral("warning")
                                                             : QStringLiteral("succeeded");
        }
    }
    return out;
}

} // namespace moltdesk
