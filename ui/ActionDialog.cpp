#include "ActionDialog.h"

#include "EnvironmentTableModel.h"
#include "PathText.h"
#include "PlanModel.h"
#include "ProductionConfirmation.h"
#include "UiLogging.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace moltdesk {

namespace {
// What the progress line says once the job has ended: the final counts, never the last "copying:
// 1 / 54 files" or an ETA left over from the run.
QString finishedProgressText(const JobResult &r, const PlanCounts &planned)
{
    const QLocale l;
    const qint64 done = r.uploaded + r.replaced + r.downloaded + r.copied + r.deleted;
    const qint64 total = planned.transferFiles() + planned.countOf(PlanAction::Delete);
    return QStringLiteral("%1: %2 of %3 changes done · %4 moved")
        .arg(r.outcomeName(), l.toString(done), l.toString(total), formatBytes(r.bytesTransferred));
}

QString duration(qint64 s)
{
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}
} // namespace

ActionDialog::ActionDialog(Plan::Kind kind, SessionPtr session, EnvironmentNames env, QWidget *parent)
    : QDialog(parent), m_action(ActionKind::create(kind)), m_session(std::move(session)),
      m_env(std::move(env))
{
    setObjectName(QStringLiteral("actionDialog"));
    setModal(false);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_action->windowTitle(m_env));
    resize(780, 560);

    auto *layout = new QVBoxLayout(this);
    buildHeading(layout);
    buildPlanNotes(layout);
    buildOverrideBox(layout);
    buildPlanTable(layout);
    m_confirmation = new ProductionConfirmation(m_env.environment, this);
    m_confirmation->setVisible(false);
    layout->addWidget(m_confirmation);
    connect(m_confirmation, &ProductionConfirmation::confirmedChanged, this, &ActionDialog::updateRunEnabled);
    buildRunArea(layout);
    buildButtons(layout);
}

void ActionDialog::buildHeading(QVBoxLayout *layout)
{
    m_title = new QLabel(m_action->heading(m_env, m_request), this);
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.3);
    tf.setBold(true);
    m_title->setFont(tf);
    if (m_env.isProduction()) {
        QPalette p = m_title->palette();
        p.setColor(QPalette::WindowText, EnvironmentTableModel::productionColor());
        m_title->setPalette(p);
    }
    layout->addWidget(m_title);
    m_target = new QLabel(this);
    m_target->setObjectName(QStringLiteral("targetLabel"));
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long paths wrap (preferably at their separators, see setPathText) instead of widening the dialog past
    // the screen.
    m_target->setWordWrap(true);
    m_target->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_target);
    m_status = new QLabel(QStringLiteral("Computing the plan… nothing changes until you press Run."), this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    layout->addWidget(m_status);
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("countsLabel"));
    QFont cf = m_counts->font();
    cf.setBold(true);
    m_counts->setFont(cf);
    layout->addWidget(m_counts);
}

void ActionDialog::buildPlanNotes(QVBoxLayout *layout)
{
    m_deletes = new QLabel(this);
    m_deletes->setObjectName(QStringLiteral("deletesLabel"));
    m_deletes->setWordWrap(true);
    m_deletes->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    m_deletes->setVisible(false);
    layout->addWidget(m_deletes);
    m_skipDeletes =
        new QCheckBox(QStringLiteral("S&kip deletions (keep what exists only in the bucket)"), this);
    m_skipDeletes->setObjectName(QStringLiteral("skipDeletesCheck"));
    m_skipDeletes->setToolTip(QStringLiteral("Same as moltctl sync %1 --no-delete").arg(m_env.environment));
    m_skipDeletes->setVisible(m_action->offersSkipDeletes());
    layout->addWidget(m_skipDeletes);
    connect(m_skipDeletes, &QCheckBox::toggled, this, [this](bool on) {
        if (m_action->setSkipDeletes(on))
            replan();
    });
    m_warnings = new QLabel(this);
    m_warnings->setWordWrap(true);
    m_warnings->setVisible(false);
    m_warnings->setStyleSheet(QStringLiteral("color: #b26a00;"));
    layout->addWidget(m_warnings);
    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("refusalLabel"));
    m_refusal->setWordWrap(true);
    m_refusal->setVisible(false);
    m_refusal->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_refusal);
}

// The override a refusal names (the CLI's --max-delete N / --overwrite), offered only for the guards
// that have one (ActionKind::overrideFor): a cross-wired bucket or an empty source is never overridden here.
void ActionDialog::buildOverrideBox(QVBoxLayout *layout)
{
    m_overrideBox = new QWidget(this);
    m_overrideBox->setObjectName(QStringLiteral("overrideBox"));
    auto *ol = new QHBoxLayout(m_overrideBox);
    ol->setContentsMargins(0, 0, 0, 0);
    m_overrideCheck = new QCheckBox(m_overrideBox);
    m_overrideCheck->setObjectName(QStringLiteral("overrideCheck"));
    ol->addWidget(m_overrideCheck);
    m_maxDeleteSpin = new QSpinBox(m_overrideBox);
    m_maxDeleteSpin->setObjectName(QStringLiteral("maxDeleteSpin"));
    m_maxDeleteSpin->setAccessibleName(QStringLiteral("Deletions allowed"));
    m_maxDeleteSpin->setRange(0, 100000000);
    m_maxDeleteSpin->setSuffix(QStringLiteral(" deletions"));
    ol->addWidget(m_maxDeleteSpin);
    m_overrideNote = new QLabel(m_overrideBox);
    m_overrideNote->setObjectName(QStringLiteral("overrideNote"));
    m_overrideNote->setWordWrap(true);
    ol->addWidget(m_overrideNote, 1);
    m_overrideBox->setVisible(false);
    layout->addWidget(m_overrideBox);
    // Typing "120" into the spin box should plan once, not three times.
    m_replanTimer = new QTimer(this);
    m_replanTimer->setSingleShot(true);
    m_replanTimer->setInterval(350);
    connect(m_replanTimer, &QTimer::timeout, this, &ActionDialog::onOverrideChanged);
    connect(m_overrideCheck, &QCheckBox::toggled, this, &ActionDialog::onOverrideChanged);
    connect(m_maxDeleteSpin, &QSpinBox::valueChanged, this, [this]() {
        if (m_overrideCheck->isChecked())
            m_replanTimer->start();
    });
}

void ActionDialog::buildPlanTable(QVBoxLayout *layout)
{
    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("planFilter"));
    m_filter->setPlaceholderText(QStringLiteral("Filter changes by key, action or note…"));
    m_filter->setAccessibleName(QStringLiteral("Filter plan items"));
    m_filter->setClearButtonEnabled(true);
    filterRow->addWidget(m_filter, 1);
    m_hideUnchanged = new QCheckBox(QStringLiteral("Hide unchanged"), this);
    m_hideUnchanged->setChecked(true);
    filterRow->addWidget(m_hideUnchanged);
    layout->addLayout(filterRow);

    m_model = new PlanModel(this);
    m_proxy = new PlanFilterModel(this);
    m_proxy->setSourceModel(m_model);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("planTable"));
    m_table->setAccessibleName(QStringLiteral("Planned changes"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PlanModel::ActionColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(PlanModel::KeyColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(PlanModel::ActionColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PlanModel::SizeColumn, QHeaderView::ResizeToContents);
    // A plan may hold 100,000 rows: measure a sample for the column widths and keep row heights fixed,
    // or every relayout of the dialog measures every row on the UI thread.
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    layout->addWidget(m_table, 1);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &PlanFilterModel::setFilterFixedString);
    connect(m_hideUnchanged, &QCheckBox::toggled, m_proxy, &PlanFilterModel::setHideUnchanged);
}

void ActionDialog::buildRunArea(QVBoxLayout *layout)
{
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setAccessibleName(QStringLiteral("Progress"));
    m_progress->setRange(0, 0);
    layout->addWidget(m_progress);
    m_progressLabel = new QLabel(this);
    m_progressLabel->setObjectName(QStringLiteral("progressLabel"));
    layout->addWidget(m_progressLabel);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("resultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setVisible(false);
    layout->addWidget(m_result);
    m_errors = new QPlainTextEdit(this);
    m_errors->setObjectName(QStringLiteral("errorsText"));
    m_errors->setReadOnly(true);
    m_errors->setVisible(false);
    m_errors->setMaximumHeight(120);
    layout->addWidget(m_errors);
}

void ActionDialog::buildButtons(QVBoxLayout *layout)
{
    auto *buttons = new QDialogButtonBox(this);
    m_run = buttons->addButton(QStringLiteral("Run"), QDialogButtonBox::AcceptRole);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setAccessibleName(QStringLiteral("Run %1").arg(m_action->name()));
    m_run->setEnabled(false);
    m_run->setDefault(false);
    m_run->setAutoDefault(false);
    m_cancel = buttons->addButton(QStringLiteral("Cancel"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAutoDefault(false);
    m_close = buttons->addButton(QStringLiteral("Close"), QDialogButtonBox::DestructiveRole);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setAutoDefault(false);
    m_close->setVisible(false);
    layout->addWidget(buttons);
    // The button box would accept()/reject() the dialog on its own: wire the buttons ourselves.
    disconnect(buttons, nullptr, this, nullptr);
    connect(m_run, &QPushButton::clicked, this, &ActionDialog::onRun);
    connect(m_cancel, &QPushButton::clicked, this, &ActionDialog::onCancel);
    connect(m_close, &QPushButton::clicked, this, &ActionDialog::close);
}

ActionDialog::~ActionDialog()
{
    if (m_job)
        m_job->cancel(); // ~Job waits until its worker has stopped
}

QString ActionDialog::actionName() const
{
    return m_action->name();
}

Plan::Kind ActionDialog::kind() const
{
    return m_action->kind();
}

void ActionDialog::start()
{
    m_title->setText(m_action->heading(m_env, m_request));
    setPathText(m_target, m_action->target(m_env, m_request));
    createJob();
}

void ActionDialog::createJob()
{
    JobContext ctx{m_session->workspace, m_env, m_session->resolver};
    ctx.concurrency = m_request.concurrency;
    m_job = m_action->createJob(ctx, m_request);
    connect(m_job.get(), &Job::planned, this, &ActionDialog::onPlanned);
    connect(m_job.get(), &Job::planFailed, this, &ActionDialog::onPlanFailed);
    connect(m_job.get(), &Job::progress, this, &ActionDialog::onProgress);
    connect(m_job.get(), &Job::finished, this, &ActionDialog::onFinished);
    m_state = State::Planning;
    m_run->setEnabled(false);
    m_job->startPlan();
}

void ActionDialog::replan()
{
    // Only an idle job is replaced: its worker has finished, so nothing of it is still queued to us and
    // destroying it does not wait. A change made while planning is applied when that plan arrives.
    if (m_state == State::Planning) {
        m_replanPending = true;
        return;
    }
    if (m_state != State::Planned && m_state != State::PlanFailed)
        return;
    m_replanPending = false;
    m_status->setText(
        QStringLiteral("Planning again with the override… nothing changes until you press Run."));
    m_progress->setRange(0, 0);
    m_confirmation->setVisible(false);
    createJob();
    Q_EMIT jobReplaced(m_job.get());
}

QString ActionDialog::overrideFlag() const
{
    return m_action->overrideFlag();
}

void ActionDialog::onOverrideChanged()
{
    m_replanTimer->stop();
    const bool on = m_overrideCheck->isChecked();
    if (!m_action->setOverride(on, m_maxDeleteSpin->value()))
        return;
    qCInfo(lcUi) << actionName() << m_env.displayName()
                 << "override:" << (on ? overrideFlag() : QStringLiteral("none"));
    replan();
}

void ActionDialog::updateOverrideBox(const Plan &plan)
{
    const std::optional<OverrideOffer> offer = m_action->overrideFor(plan, m_env);
    m_overrideBox->setVisible(offer.has_value());
    if (!offer)
        return;
    const bool active = !overrideFlag().isEmpty();
    const QSignalBlocker blockCheck(m_overrideCheck);
    const QSignalBlocker blockSpin(m_maxDeleteSpin);
    if (offer->withLimit && !active)
        m_maxDeleteSpin->setValue(int(qMin<qint64>(offer->suggestedLimit, m_maxDeleteSpin->maximum())));
    m_overrideCheck->setText(offer->checkText);
    m_overrideCheck->setAccessibleName(offer->accessibleName);
    m_overrideCheck->setChecked(active);
    m_maxDeleteSpin->setVisible(offer->withLimit);
    m_overrideNote->setText(offer->note);
}

QString ActionDialog::planSummary(const Plan &plan) const
{
    QString summary = plan.summaryLine();
    if (const QString flag = overrideFlag(); !flag.isEmpty())
        summary += QStringLiteral(" · override %1").arg(flag);
    for (const QString &flag : m_action->optionFlags())
        summary += QStringLiteral(" · ") + flag;
    return summary;
}

void ActionDialog::showRefusal(const Error &refusal)
{
    QString how;
    if (m_overrideBox->isVisible())
        how = QStringLiteral("Nothing will be changed. If this is intended, set the override below; the "
                             "plan is computed again with it.");
    else if (refusal.code == QLatin1String(RefusalCode::CrossWired))
        how = QStringLiteral("Nothing will be changed, and this cannot be overridden: a bucket marked as "
                             "another environment's is never written. Run Verify isolation to see why.");
    else
        how = QStringLiteral("Nothing will be changed, and this guard has no override: fix the cause "
                             "above and start the action again.");
    m_refusal->setText(QStringLiteral("Refused: %1\n%2").arg(refusal.message, how));
    m_status->setText(QStringLiteral("The plan cannot be applied."));
}

void ActionDialog::onPlanned(const Plan &plan)
{
    m_state = State::Planned;
    if (m_replanPending) {
        replan(); // the override changed while this plan was computed: it is already out of date
        return;
    }
    m_model->setPlan(plan);
    m_planSummary = planSummary(plan);
    m_counts->setText(m_planSummary);
    m_deletes->setText(m_action->deletionsText(plan));
    m_deletes->setVisible(!m_deletes->text().isEmpty());
    setPathText(m_target, QStringLiteral("from %1 into %2").arg(plan.source, plan.target));
    const QStringList warn = m_action->warnings(plan);
    m_warnings->setText(warn.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warn.isEmpty());
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    updateOverrideBox(plan);
    const bool empty = plan.counts().transferFiles() == 0 && plan.counts().countOf(PlanAction::Delete) == 0;
    if (plan.refusal)
        showRefusal(*plan.refusal);
    else if (empty && m_action->reportsEmptyPlan())
        m_status->setText(
            QStringLiteral("Nothing to change. Run still records the run (and the .last-sync)."));
    else
        m_status->setText(QStringLiteral("Review the changes, then press Run."));
    m_refusal->setVisible(bool(plan.refusal));
    m_confirmation->setVisible(plan.needsConfirmation() && !plan.refusal);
    if (m_confirmation->isVisible())
        m_confirmation->focusField();
    updateRunEnabled();
}

void ActionDialog::onPlanFailed(const Error &error)
{
    m_state = State::PlanFailed;
    if (m_replanPending) {
        replan();
        return;
    }
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setText(QStringLiteral("Could not compute a plan."));
    m_refusal->setText(error.toString());
    m_refusal->setVisible(true);
    m_cancel->setText(QStringLiteral("Close"));
    updateRunEnabled();
    ActivityEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.environment = m_env.displayName();
    e.action = actionName();
    e.outcome = QStringLiteral("failed");
    e.resultSummary = QStringLiteral("planning failed");
    e.errors = {error.toString()};
    Q_EMIT activity(e);
}

void ActionDialog::fillTrail(ActivityEntry &e) const
{
    // Which profile, from where into where, and the overrides as moltctl spells them.
    e.profile = m_session->profilePath;
    e.source = m_model->plan().source;
    e.target = m_model->plan().target;
    if (const QString flag = overrideFlag(); !flag.isEmpty())
        e.overrides << flag;
    e.overrides << m_action->optionFlags();
    if (!m_confirmation->typed().isEmpty() && m_model->plan().needsConfirmation())
        e.overrides << QStringLiteral("--confirm %1").arg(m_env.environment);
}

void ActionDialog::updateRunEnabled()
{
    bool ok = m_state == State::Planned && !m_model->plan().refusal;
    if (ok && m_model->plan().needsConfirmation())
        ok = m_confirmation->isConfirmed();
    m_run->setEnabled(ok);
}

void ActionDialog::onRun()
{
    updateRunEnabled();
    if (!m_run->isEnabled())
        return;
    m_state = State::Running;
    m_run->setEnabled(false);
    m_confirmation->setLocked(true);
    m_status->setText(QStringLiteral("Running…"));
    m_progress->setRange(0, 0);
    m_progressLabel->setText(QStringLiteral("starting…"));
    qCInfo(lcUi) << "run" << actionName() << m_env.displayName();
    m_overrideBox->setEnabled(false);
    m_skipDeletes->setEnabled(false);
    m_job->startApply(m_confirmation->typed());
    // The status strip shows the job (with its own Cancel) from the start, not from the first progress.
    Q_EMIT progressText(QStringLiteral("%1 %2: starting…").arg(actionName(), m_env.displayName()));
}

void ActionDialog::onProgress(const JobProgress &p)
{
    if (m_state != State::Running)
        return;
    if (p.bytesTotal > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * double(p.bytesDone) / double(p.bytesTotal)));
    } else if (p.filesTotal > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * double(p.filesDone) / double(p.filesTotal)));
    }
    const QLocale l;
    QString text =
        QStringLiteral("%1%2 / %3 files · %4 / %5")
            .arg(p.phase.isEmpty() ? QString() : p.phase + QStringLiteral(": "), l.toString(p.filesDone),
                 l.toString(p.filesTotal), formatBytes(p.bytesDone), formatBytes(p.bytesTotal));
    if (p.bytesPerSecond > 0)
        text += QStringLiteral(" · %1/s").arg(formatBytes(qint64(p.bytesPerSecond)));
    if (p.etaSeconds >= 0)
        text += QStringLiteral(" · %1 left").arg(duration(p.etaSeconds));
    m_progressLabel->setText(text);
    Q_EMIT progressText(QStringLiteral("%1 %2: %3").arg(actionName(), m_env.displayName(), text));
}

void ActionDialog::onFinished(const JobResult &r)
{
    m_state = State::Done;
    m_progress->setRange(0, 1000);
    m_progress->setValue(r.ok() ? 1000 : m_progress->value());
    m_run->setVisible(false);
    m_cancel->setVisible(false);
    m_close->setVisible(true);
    m_confirmation->setVisible(false);
    m_progressLabel->setText(finishedProgressText(r, m_model->plan().counts()));
    m_status->setText(r.ok() ? QStringLiteral("Done.")
                             : QStringLiteral("Finished: %1.").arg(r.outcomeName()));
    m_result->setText(r.summaryLine());
    m_result->setStyleSheet(r.ok() ? QStringLiteral("color: #2e7d32; font-weight: bold;")
                                   : QStringLiteral("color: #c62828; font-weight: bold;"));
    m_result->setVisible(true);
    QStringList errs;
    for (const Error &e : r.errors)
        errs << e.toString();
    errs += r.notes;
    m_errors->setPlainText(errs.join(QLatin1Char('\n')));
    m_errors->setVisible(!errs.isEmpty());
    ActivityEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.environment = m_env.displayName();
    e.action = actionName();
    e.planSummary = m_planSummary;
    fillTrail(e);
    e.outcome = r.outcomeName();
    e.resultSummary = r.summaryLine();
    for (const Error &x : r.errors)
        e.errors << x.toString();
    Q_EMIT activity(e);
    Q_EMIT jobFinished(m_env, r);
    Q_EMIT progressText(QString());
    if (m_closeWhenDone)
        close();
}

void ActionDialog::cancelJob()
{
    if (m_state != State::Running)
        return;
    m_job->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(QStringLiteral("Cancelling… stopping as soon as it is safe."));
}

void ActionDialog::onCancel()
{
    if (m_state == State::Running) {
        cancelJob();
        return;
    }
    close();
}

void ActionDialog::closeEvent(QCloseEvent *event)
{
    if (m_state == State::Running) {
        // Stop safely first; the dialog closes itself when the job reports back.
        m_job->cancel();
        m_closeWhenDone = true;
        m_cancel->setEnabled(false);
        m_status->setText(QStringLiteral("Cancelling… the dialog closes when the job has stopped."));
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

} // namespace moltdesk
