#pragma once

#include "ActionKind.h"
#include "ActivityLog.h"
#include "Job.h"
#include "MigrationJob.h"
#include "Session.h"
#include "SyncJob.h"

#include <QDialog>
#include <QElapsedTimer>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QCheckBox;
class QStackedWidget;
class QPlainTextEdit;
class QSpinBox;
class QTimer;
class QVBoxLayout;

namespace moltdesk {

class PlanModel;
class PlanFilterModel;
class ProductionConfirmation;

// Plan, confirm, run, result — for one job, in one non-modal dialog. The plan is computed as soon as
// the dialog starts; Run is enabled only when the plan can be applied (and, for production, when
// the environment's name is typed). Several of these may be open and running at once.
class ActionDialog : public QDialog
{
    Q_OBJECT
public:
    ActionDialog(Plan::Kind kind, SessionPtr session, EnvironmentNames env, QWidget *parent = nullptr);
    ~ActionDialog() override;

    void setConcurrency(int n) { m_request.concurrency = n; }
    void setRestoreTarget(const QString &dir) { m_request.restoreTarget = dir; }
    // Restore only these keys / prefixes ("…/" selects a folder): "Restore this file/folder…".
    void setRestoreOnly(const QStringList &keysOrPrefixes) { m_request.restoreOnly = keysOrPrefixes; }
    // Creates the job and starts planning.
    void start();

    // The current job: a new one after each re-plan (an override changes the job's options).
    Job *job() const { return m_job.get(); }
    Plan::Kind kind() const;
    const EnvironmentNames &environment() const { return m_env; }
    bool isRunning() const { return m_state == State::Running; }
    QString actionName() const;
    // Stops the running job as soon as it is safe (the dialog's Cancel, the status strip's Cancel).
    void cancelJob();
    // The override in effect, as the moltctl flag that does the same ("--max-delete 20"), or empty.
    QString overrideFlag() const;
    void fillTrail(ActivityEntry &entry) const;

Q_SIGNALS:
    void activity(const moltdesk::ActivityEntry &entry);
    void jobFinished(const moltdesk::EnvironmentNames &env, const moltdesk::JobResult &result);
    void progressText(const QString &text);
    // A re-planned job replaced the previous one (tests and the window re-attach to job()).
    void jobReplaced(moltdesk::Job *job);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    enum class State { Planning, Planned, PlanFailed, Running, Done };
    void onPlanned(const Plan &plan);
    void onPlanFailed(const Error &error);
    void onProgress(const JobProgress &p);
    void onFinished(const JobResult &r);
    void onRun();
    void onCancel();
    void updateRunEnabled();
    void createJob();
    void replan();
    void onOverrideChanged();
    void updateOverrideBox(const Plan &plan);
    QString planSummary(const Plan &plan) const;
    void showRefusal(const Error &refusal);
    void buildHeading(QVBoxLayout *layout);
    void buildPlanNotes(QVBoxLayout *layout);
    void buildOverrideBox(QVBoxLayout *layout);
    void buildPlanTable(QVBoxLayout *layout);
    void buildRunArea(QVBoxLayout *layout);
    void buildButtons(QVBoxLayout *layout);

    // The kind's words, job and options (the override, "skip deletions"): no switch on the kind here.
    std::unique_ptr<ActionKind> m_action;
    SessionPtr m_session;
    EnvironmentNames m_env;
    ActionRequest m_request;
    bool m_replanPending = false;
    std::unique_ptr<Job> m_job;
    State m_state = State::Planning;
    bool m_closeWhenDone = false;
    QString m_planSummary;

    QLabel *m_title;
    QLabel *m_target;
    QLabel *m_status;
    QLabel *m_counts;
    QLabel *m_deletes;
    QCheckBox *m_skipDeletes;
    QLabel *m_warnings;
    QLabel *m_refusal;
    QLineEdit *m_filter;
    QCheckBox *m_hideUnchanged;
    QTableView *m_table;
    PlanModel *m_model;
    PlanFilterModel *m_proxy;
    QWidget *m_overrideBox;
    QCheckBox *m_overrideCheck;
    QSpinBox *m_maxDeleteSpin;
    QLabel *m_overrideNote;
    QTimer *m_replanTimer;
    ProductionConfirmation *m_confirmation;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QLabel *m_result;
    QPlainTextEdit *m_errors;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_close;
};

} // namespace moltdesk
