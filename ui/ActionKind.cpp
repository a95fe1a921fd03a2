#include "ActionKind.h"

#include "MigrationJob.h"
#include "RestoreJob.h"
#include "SyncJob.h"

#include <QLocale>

namespace moltdesk {

QString shownEnvironmentName(const EnvironmentNames &env)
{
    return env.isProduction() ? env.environment.toUpper() : env.displayName();
}

QString ActionKind::target(const EnvironmentNames &env, const ActionRequest &) const
{
    return QStringLiteral("into %1").arg(env.bucket);
}

std::optional<OverrideOffer> ActionKind::overrideFor(const Plan &plan, const EnvironmentNames &env) const
{
    const char *code = overridableRefusal();
    if (!code)
        return std::nullopt;
    const bool refusedForIt = plan.refusal && plan.refusal->code == QLatin1String(code);
    const bool inEffect = !overrideFlag().isEmpty() && !plan.refusal;
    if (!refusedForIt && !inEffect)
        return std::nullopt; // other guards (a cross-wired bucket, an empty source) have no override
    return offer(plan, env);
}

namespace {

class SyncKind : public ActionKind
{
public:
    Plan::Kind kind() const override { return Plan::Kind::Sync; }
    QString windowTitle(const EnvironmentNames &env) const override
    {
        return QStringLiteral("Sync Local Folders Into %1").arg(shownEnvironmentName(env));
    }
    QString heading(const EnvironmentNames &env, const ActionRequest &) const override
    {
        return QStringLiteral("Sync %1").arg(shownEnvironmentName(env));
    }
    std::unique_ptr<Job> createJob(const JobContext &context, const ActionRequest &) const override
    {
        return std::make_unique<SyncJob>(context, m_options);
    }

    // A sync's deletions: how many, and which of them remove what a migration brought in (the trap:
    // they exist only in the bucket, so the next sync deletes them silently).
    QString deletionsText(const Plan &plan) const override
    {
        const qint64 deletes = plan.counts().countOf(PlanAction::Delete);
        if (deletes == 0)
            return {};
        const QLocale l;
        QString text = QStringLiteral("Deletes %1 object(s) from the bucket: %2 exist only there")
                           .arg(l.toString(deletes), l.toString(deletes - plan.deletesOfMigrated));
        if (plan.deletesOfMigrated > 0)
            text += QStringLiteral(", %1 were brought in by the migration from %2")
                        .arg(l.toString(plan.deletesOfMigrated), plan.migratedFrom);
        return text + QStringLiteral(". Tick “Skip deletions” to keep them.");
    }

    bool offersSkipDeletes() const override { return true; }
    bool setSkipDeletes(bool on) override
    {
        if (on == m_options.noDelete)
            return false;
        m_options.noDelete = on;
        return true;
    }

    bool setOverride(bool on, qint64 limit) override
    {
        const qint64 maxDelete = on ? limit : -1;
        if (maxDelete == m_options.maxDelete)
            return false;
        m_options.maxDelete = maxDelete;
        return true;
    }
    QString overrideFlag() const override
    {
        return m_options.maxDelete >= 0 ? QStringLiteral("--max-delete %1").arg(m_options.maxDelete)
                                        : QString();
    }
    QStringList optionFlags() const override
    {
        return m_options.noDelete ? QStringList{QStringLiteral("--no-delete")} : QStringList();
    }

protected:
    const char *overridableRefusal() const override { return RefusalCode::DeleteLimit; }
    OverrideOffer offer(const Plan &plan, const EnvironmentNames &env) const override
    {
        const qint64 deletions = plan.counts().countOf(PlanAction::Delete);
        return {.checkText = QStringLiteral("Allow up to"),
                .accessibleName = QStringLiteral("Allow more deletions than the default limit"),
                .note = QStringLiteral("(this plan deletes %1; same as moltctl sync %2 --max-delete N)")
                            .arg(QLocale().toString(deletions), env.environment),
                .withLimit = true,
                .suggestedLimit = deletions};
    }

private:
    SyncOptions m_options;
};

class RestoreKind : public ActionKind
{
public:
    Plan::Kind kind() const override { return Plan::Kind::Restore; }
    QString windowTitle(const EnvironmentNames &env) const override
    {
        return QStringLiteral("Restore %1 Into a Local Folder").arg(shownEnvironmentName(env));
    }
    QString heading(const EnvironmentNames &env, const ActionRequest &request) const override
    {
        if (request.restoreOnly.isEmpty())
            return QStringLiteral("Restore %1").arg(shownEnvironmentName(env));
        return QStringLiteral("Restore %1 from %2")
            .arg(request.restoreOnly.join(QStringLiteral(", ")), shownEnvironmentName(env));
    }
    QString target(const EnvironmentNames &env, const ActionRequest &request) const override
    {
        return QStringLiteral("from %1 into %2")
            .arg(env.bucket, request.restoreTarget.isEmpty() ? QStringLiteral("the profile's folders")
                                                             : request.restoreTarget);
    }
    std::unique_ptr<Job> createJob(const JobContext &context, const ActionRequest &request) const override
    {
        RestoreOptions o;
        o.targetDir = request.restoreTarget;
        o.onlyPrefixes = request.restoreOnly; // a partial restore is past the newer-than rule (RestoreJob)
        return std::make_unique<RestoreJob>(context, o);
    }
    // The newer-than rule's decision comes first: it says whether anything is restored at all.
    QStringList warnings(const Plan &plan) const override
    {
        QStringList warn = plan.warnings;
        if (!plan.restoreDecision.isEmpty())
            warn.prepend(plan.restoreDecision);
        return warn;
    }
    bool reportsEmptyPlan() const override { return false; }
};

class MigrateKind : public ActionKind
{
public:
    Plan::Kind kind() const override { return Plan::Kind::Migrate; }
    QString windowTitle(const EnvironmentNames &env) const override
    {
        return QStringLiteral("Migrate Legacy Data Into %1").arg(shownEnvironmentName(env));
    }
    QString heading(const EnvironmentNames &env, const ActionRequest &) const override
    {
        return QStringLiteral("Migrate legacy data into %1").arg(shownEnvironmentName(env));
    }
    std::unique_ptr<Job> createJob(const JobContext &context, const ActionRequest &) const override
    {
        return std::make_unique<MigrationJob>(context, m_options);
    }

    bool setOverride(bool on, qint64) override
    {
        if (on == m_options.overwrite)
            return false;
        m_options.overwrite = on;
        return true;
    }
    QString overrideFlag() const override
    {
        return m_options.overwrite ? QStringLiteral("--overwrite") : QString();
    }

protected:
    const char *overridableRefusal() const override { return RefusalCode::Conflicts; }
    OverrideOffer offer(const Plan &plan, const EnvironmentNames &env) const override
    {
        return {.checkText = QStringLiteral("Overwrite conflicting objects (%1) with the legacy versions")
                                 .arg(QLocale().toString(plan.counts().countOf(PlanAction::Conflict))),
                .accessibleName = QStringLiteral("Overwrite conflicting objects"),
                .note = QStringLiteral("(same as moltctl migrate %1 --overwrite)").arg(env.environment)};
    }

private:
    MigrationOptions m_options;
};

} // namespace

std::unique_ptr<ActionKind> ActionKind::create(Plan::Kind kind)
{
    switch (kind) {
    case Plan::Kind::Sync:
        return std::make_unique<SyncKind>();
    case Plan::Kind::Restore:
        return std::make_unique<RestoreKind>();
    case Plan::Kind::Migrate:
        return std::make_unique<MigrateKind>();
    }
    return nullptr;
}

} // namespace moltdesk
