#pragma once

#include "Job.h"
#include "Plan.h"

#include <QStringList>
#include <memory>
#include <optional>

namespace moltdesk {

// What the dialog's caller asks for, whatever the kind (the window sets it before the dialog starts).
struct ActionRequest
{
    int concurrency = 0;     // 0: the storage's choice
    QString restoreTarget;   // restore: empty = the profile's folders
    QStringList restoreOnly; // restore: keys, or prefixes ending in '/'; empty = everything
};

// The override a refusal offers in the dialog: the checkbox's words, and whether a number goes with it.
struct OverrideOffer
{
    QString checkText;
    QString accessibleName;
    QString note;              // the moltctl flag that does the same
    bool withLimit = false;    // a number of deletions next to the checkbox
    qint64 suggestedLimit = 0; // where that number starts while the override is off
};

// Everything ActionDialog does differently for sync, restore and migrate: its words, the job it
// creates, the override a refusal offers and the options the dialog edits (a new job is created from
// them after each change). One object per kind, so the dialog never switches on the kind.
class ActionKind
{
public:
    static std::unique_ptr<ActionKind> create(Plan::Kind kind);
    virtual ~ActionKind() = default;

    virtual Plan::Kind kind() const = 0;
    QString name() const { return planKindName(kind()); }

    virtual QString windowTitle(const EnvironmentNames &env) const = 0;
    virtual QString heading(const EnvironmentNames &env, const ActionRequest &request) const = 0;
    // Where the job writes, shown until the plan says it in full.
    virtual QString target(const EnvironmentNames &env, const ActionRequest &request) const;
    virtual std::unique_ptr<Job> createJob(const JobContext &context, const ActionRequest &request) const = 0;

    // The plan's warnings as the dialog shows them, and the deletions line above the plan (empty: none).
    virtual QStringList warnings(const Plan &plan) const { return plan.warnings; }
    virtual QString deletionsText(const Plan &) const { return {}; }
    // Whether an empty plan is worth saying so ("Run still records the run"): not for a restore.
    virtual bool reportsEmptyPlan() const { return true; }

    // "Skip deletions": offered by sync only. setSkipDeletes says whether the options changed.
    virtual bool offersSkipDeletes() const { return false; }
    virtual bool setSkipDeletes(bool) { return false; }

    // The override this plan offers, if any: for the refusal the kind can override, and while an
    // override is in effect (so that it can be turned off again).
    std::optional<OverrideOffer> overrideFor(const Plan &plan, const EnvironmentNames &env) const;
    // Sets the override from the dialog's controls; says whether the options changed.
    virtual bool setOverride(bool /*on*/, qint64 /*limit*/) { return false; }
    // The override in effect as the moltctl flag ("--max-delete 20"), empty when none.
    virtual QString overrideFlag() const { return {}; }
    // The other options in effect, as moltctl flags ("--no-delete").
    virtual QStringList optionFlags() const { return {}; }

protected:
    // The refusal code the override answers (nullptr: none), and what it offers for this plan.
    virtual const char *overridableRefusal() const { return nullptr; }
    virtual OverrideOffer offer(const Plan &, const EnvironmentNames &) const { return {}; }
};

// The environment's name as the dialog shows it: production in capitals.
QString shownEnvironmentName(const EnvironmentNames &env);

} // namespace moltdesk
