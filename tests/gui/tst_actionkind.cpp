// ActionKind: what ActionDialog does differently for sync, restore and migrate, without a dialog.
#include "ActionKind.h"

#include <QTest>

using namespace moltdesk;

namespace {

EnvironmentNames production()
{
    EnvironmentNames env;
    env.environment = QStringLiteral("production");
    env.bucket = QStringLiteral("moltbot-data-production");
    return env;
}

Plan planWith(Plan::Kind kind, const char *refusal, PlanAction action, int count)
{
    Plan plan;
    plan.kind = kind;
    plan.environment = production();
    for (int i = 0; i < count; ++i) {
        PlanItem item;
        item.key = QStringLiteral("k%1").arg(i);
        item.action = action;
        plan.items << item;
    }
    if (refusal)
        plan.refusal = makeRefusal(refusal, QStringLiteral("refused"));
    return plan;
}

} // namespace

class TstActionKind : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void words()
    {
        const EnvironmentNames env = production();
        const auto sync = ActionKind::create(Plan::Kind::Sync);
        const auto restore = ActionKind::create(Plan::Kind::Restore);
        const auto migrate = ActionKind::create(Plan::Kind::Migrate);
        QCOMPARE(sync->name(), QStringLiteral("sync"));
        QCOMPARE(sync->windowTitle(env), QStringLiteral("Sync Local Folders Into PRODUCTION"));
        QCOMPARE(restore->windowTitle(env), QStringLiteral("Restore PRODUCTION Into a Local Folder"));
        QCOMPARE(migrate->heading(env, {}), QStringLiteral("Migrate legacy data into PRODUCTION"));
        ActionRequest partial;
        partial.restoreOnly = {QStringLiteral("skills/")};
        QCOMPARE(restore->heading(env, {}), QStringLiteral("Restore PRODUCTION"));
        QCOMPARE(restore->heading(env, partial), QStringLiteral("Restore skills/ from PRODUCTION"));
        QCOMPARE(restore->target(env, {}),
                 QStringLiteral("from moltbot-data-production into the profile's folders"));
        QCOMPARE(sync->target(env, {}), QStringLiteral("into moltbot-data-production"));
        QVERIFY(sync->offersSkipDeletes() && !restore->offersSkipDeletes() && !migrate->offersSkipDeletes());
        QVERIFY(sync->reportsEmptyPlan() && !restore->reportsEmptyPlan());
    }

    // Each kind offers its override for its own refusal only, and keeps offering it while in effect.
    void overrideOffered()
    {
        const EnvironmentNames env = production();
        const auto sync = ActionKind::create(Plan::Kind::Sync);
        const Plan refused = planWith(Plan::Kind::Sync, RefusalCode::DeleteLimit, PlanAction::Delete, 3);
        const auto offer = sync->overrideFor(refused, env);
        QVERIFY(offer.has_value());
        QVERIFY(offer->withLimit);
        QCOMPARE(offer->suggestedLimit, qint64(3));
        QVERIFY(offer->note.contains(QLatin1String("moltctl sync production --max-delete N")));
        QVERIFY(!sync->overrideFor(planWith(Plan::Kind::Sync, RefusalCode::CrossWired, PlanAction::Delete, 3),
                                   env));
        const Plan clean = planWith(Plan::Kind::Sync, nullptr, PlanAction::Delete, 3);
        QVERIFY(!sync->overrideFor(clean, env));
        QVERIFY(sync->setOverride(true, 20));
        QVERIFY(!sync->setOverride(true, 20)); // unchanged: no new plan
        QCOMPARE(sync->overrideFlag(), QStringLiteral("--max-delete 20"));
        QVERIFY(sync->overrideFor(clean, env).has_value());
        QVERIFY(sync->setOverride(false, 20));
        QVERIFY(sync->overrideFlag().isEmpty());

        const auto migrate = ActionKind::create(Plan::Kind::Migrate);
        const auto conflicts = migrate->overrideFor(
            planWith(Plan::Kind::Migrate, RefusalCode::Conflicts, PlanAction::Conflict, 2), env);
        QVERIFY(conflicts.has_value());
        QVERIFY(!conflicts->withLimit);
        QVERIFY(conflicts->checkText.contains(QLatin1String("(2)")));
        QVERIFY(migrate->setOverride(true, 0));
        QCOMPARE(migrate->overrideFlag(), QStringLiteral("--overwrite"));

        const auto restore = ActionKind::create(Plan::Kind::Restore);
        QVERIFY(!restore->overrideFor(
            planWith(Plan::Kind::Restore, RefusalCode::NoBackup, PlanAction::Keep, 0), env));
        QVERIFY(!restore->setOverride(true, 5));
        QVERIFY(restore->overrideFlag().isEmpty());
    }

    void skipDeletionsIsAFlag()
    {
        const auto sync = ActionKind::create(Plan::Kind::Sync);
        QVERIFY(sync->optionFlags().isEmpty());
        QVERIFY(sync->setSkipDeletes(true));
        QVERIFY(!sync->setSkipDeletes(true));
        QCOMPARE(sync->optionFlags(), QStringList{QStringLiteral("--no-delete")});
    }

    // The restore decision comes first among the warnings; the deletions line is a sync's only.
    void planNotes()
    {
        Plan restorePlan = planWith(Plan::Kind::Restore, nullptr, PlanAction::Keep, 0);
        restorePlan.warnings = {QStringLiteral("w")};
        restorePlan.restoreDecision = QStringLiteral("bucket is newer");
        QCOMPARE(ActionKind::create(Plan::Kind::Restore)->warnings(restorePlan),
                 (QStringList{QStringLiteral("bucket is newer"), QStringLiteral("w")}));
        QCOMPARE(ActionKind::create(Plan::Kind::Sync)->warnings(restorePlan),
                 QStringList{QStringLiteral("w")});
        Plan syncPlan = planWith(Plan::Kind::Sync, nullptr, PlanAction::Delete, 2);
        syncPlan.deletesOfMigrated = 1;
        syncPlan.migratedFrom = QStringLiteral("moltbot-data");
        const QString text = ActionKind::create(Plan::Kind::Sync)->deletionsText(syncPlan);
        QVERIFY2(
            text.startsWith(QLatin1String("Deletes 2 object(s) from the bucket: 1 exist only there, 1 were "
                                          "brought in by the migration from moltbot-data")),
            qPrintable(text));
        QVERIFY(ActionKind::create(Plan::Kind::Migrate)->deletionsText(syncPlan).isEmpty());
        QVERIFY(ActionKind::create(Plan::Kind::Sync)
                    ->deletionsText(planWith(Plan::Kind::Sync, nullptr, PlanAction::Keep, 2))
                    .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstActionKind)
#include "tst_actionkind.moc"
