// The engine's scenarios: sync, restore and migration, planned then applied, on mount-mode storage.
// The same scenarios run against the real S3 server in tests/integration (tst_engine_s3).
#include "EngineFixture.h"
#include "IdentityMarker.h"
#include "LastSync.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestEngine : public QObject
{
    Q_OBJECT
private:
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void writeFile(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
    static QJsonObject mountStorage()
    {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                           {QStringLiteral("root"), QStringLiteral("data")}};
    }
    static int treeFiles(const QString &root) { return int(TestTree::files(root).size()); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void syncRestoreRoundTripNoopAndThirtyChanged()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 400, 2, 1);
        const int n = treeFiles(fx.tree());
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));

        const JobResult first = fx.sync(QStringLiteral("development"));
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        QCOMPARE(first.uploaded, n);
        QVERIFY(!first.lastSyncWritten.isEmpty());
        QCOMPARE(readFile(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync")),
                 first.lastSyncWritten);
        auto marker = IdentityMarker::parse(
            readFile(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment")));
        QVERIFY(marker.ok());
        QCOMPARE(marker.value().environment, QStringLiteral("development"));

        // Restore into an empty folder: byte for byte.
        const QString target = fx.dir.filePath(QStringLiteral("restored"));
        const JobResult restored = fx.restore(QStringLiteral("development"), target);
        QVERIFY2(restored.ok(), qPrintable(describe(restored)));
        QCOMPARE(restored.downloaded, n);
        QCOMPARE(TestTree::digests(target, {QStringLiteral(".last-sync")}), TestTree::digests(fx.tree()));
        QCOMPARE(readFile(target + QStringLiteral("/.last-sync")), first.lastSyncWritten);

        // No-op: nothing uploaded, nothing re-read (every digest comes from the cache).
        const JobResult noop = fx.sync(QStringLiteral("development"));
        QVERIFY2(noop.ok(), qPrintable(describe(noop)));
        QCOMPARE(noop.uploaded + noop.replaced + noop.deleted, 0);
        QCOMPARE(noop.kept, n);
        QCOMPARE(noop.bytesTransferred, 0);

        // 30 files changed: exactly those 30 go up.
        QTest::qWait(20);
        const QStringList touched = TestTree::touch(fx.tree(), 30, 7);
        const JobResult thirty = fx.sync(QStringLiteral("development"));
        QVERIFY2(thirty.ok(), qPrintable(describe(thirty)));
        QCOMPARE(thirty.replaced, 30);
        QCOMPARE(thirty.uploaded + thirty.deleted, 0);
        for (const QString &rel : touched)
            QCOMPARE(readFile(fx.bucketDir(QStringLiteral("development")) + QLatin1Char('/') + rel),
                     readFile(fx.tree() + QLatin1Char('/') + rel));
    }

    void excludesAreNotSynced()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 20, 0, 0);
        writeFile(fx.tree() + QStringLiteral("/clawdbot/gateway.lock"), "pid");
        writeFile(fx.tree() + QStringLiteral("/clawdbot/x.log"), "log");
        writeFile(fx.tree() + QStringLiteral("/skills/s/.git/objects/ab"), "git");
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));
        QVERIFY(fx.sync(QStringLiteral("development")).ok());
        const QString b = fx.bucketDir(QStringLiteral("development"));
        QVERIFY(!QFileInfo::exists(b + QStringLiteral("/clawdbot/gateway.lock")));
        QVERIFY(!QFileInfo::exists(b + QStringLiteral("/clawdbot/x.log")));
        QVERIFY(!QFileInfo::exists(b + QStringLiteral("/skills/s/.git/objects/ab")));
        QVERIFY(QFileInfo::exists(b + QStringLiteral("/clawdbot/clawdbot.json")));
    }

    void guardsRefuse()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 60, 0, 0);
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));
        QDir().mkpath(fx.bucketDir(QStringLiteral("production")));
        QVERIFY(fx.sync(QStringLiteral("development")).ok());
        const QByteArray stamp =
            readFile(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync"));
        const int before = treeFiles(fx.bucketDir(QStringLiteral("development")));

        // An empty, fresh container must not wipe a good backup.
        QDir(fx.tree() + QStringLiteral("/skills")).removeRecursively();
        QDir().mkpath(fx.tree() + QStringLiteral("/skills"));
        {
            SyncJob job(fx.context(QStringLiteral("development")), fx.syncOptions());
            auto plan = job.planNow();
            QVERIFY(plan.ok());
            QVERIFY(plan.value().refusal);
            QVERIFY2(plan.value().refusal->message.contains(QLatin1String("is empty")),
                     qPrintable(plan.value().refusal->message));
            const JobResult r = job.applyNow();
            QCOMPARE(r.outcome, JobResult::Outcome::Refused);
        }
        // A config folder without its config file.
        TestTree::make(fx.tree(), 60, 0, 0);
        QFile::remove(fx.tree() + QStringLiteral("/clawdbot/clawdbot.json"));
        {
            SyncJob job(fx.context(QStringLiteral("development")), fx.syncOptions());
            auto plan = job.planNow();
            QVERIFY(plan.value().refusal);
            QVERIFY2(plan.value().refusal->message.contains(QLatin1String("clawdbot.json")),
                     qPrintable(plan.value().refusal->message));
        }
        TestTree::make(fx.tree(), 60, 0, 0);
        // Too many deletions: refused by default, allowed when the limit is raised.
        const QStringList sessions =
            QDir(fx.tree() + QStringLiteral("/clawdbot/agents/main/sessions")).entryList(QDir::Files);
        for (const QString &s : sessions.mid(0, 20))
            QFile::remove(fx.tree() + QStringLiteral("/clawdbot/agents/main/sessions/") + s);
        {
            SyncJob job(fx.context(QStringLiteral("development")), fx.syncOptions());
            auto plan = job.planNow();
            QVERIFY(plan.value().refusal);
            QVERIFY2(plan.value().refusal->message.contains(QLatin1String("--max-delete 20")),
                     qPrintable(plan.value().refusal->message));
        }
        QCOMPARE(treeFiles(fx.bucketDir(QStringLiteral("development"))), before);
        QCOMPARE(readFile(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.last-sync")),
                 stamp);
        SyncOptions raised = fx.syncOptions();
        raised.maxDelete = 20;
        const JobResult ok = fx.sync(QStringLiteral("development"), raised);
        QVERIFY2(ok.ok(), qPrintable(describe(ok)));
        QCOMPARE(ok.deleted, 20);

        // Production needs its name typed.
        const JobResult unconfirmed =
            fx.sync(QStringLiteral("production"), fx.syncOptions(), QStringLiteral("prod"));
        QCOMPARE(unconfirmed.outcome, JobResult::Outcome::Refused);
        QVERIFY(
            !QFileInfo::exists(fx.bucketDir(QStringLiteral("production")) + QStringLiteral("/.last-sync")));
        QVERIFY(fx.sync(QStringLiteral("production"), fx.syncOptions(), QStringLiteral("production")).ok());

        // A bucket marked as another environment's is never written.
        writeFile(fx.bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment"),
                  IdentityMarker{QStringLiteral("production"), QStringLiteral("moltbot-data-production"),
                                 QDateTime::currentDateTimeUtc()}
                      .toJson());
        TestTree::touch(fx.tree(), 3, 1);
        const JobResult crossed = fx.sync(QStringLiteral("development"));
        QCOMPARE(crossed.outcome, JobResult::Outcome::Refused);
        QVERIFY(crossed.errors.first().message.contains(QLatin1String("cross-wired")));
    }

    void failedUploadMeansNoDeletionsAndNoLastSync()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 80, 0, 0);
        const QString bucket = fx.bucketDir(QStringLiteral("development"));
        QDir().mkpath(bucket);
        QVERIFY(fx.sync(QStringLiteral("development")).ok());
        const QByteArray stamp = readFile(bucket + QStringLiteral("/.last-sync"));
        QTest::qWait(1100); // so a new stamp would differ
        // Two deletions planned, and one upload that will fail: its file grows after planning.
        const QStringList files = TestTree::files(fx.tree() + QStringLiteral("/skills"));
        QFile::remove(fx.tree() + QStringLiteral("/skills/") + files.at(0));
        QFile::remove(fx.tree() + QStringLiteral("/skills/") + files.at(1));
        const QString victim = fx.tree() + QStringLiteral("/skills/") + files.at(2);
        {
            QFile f(victim);
            f.open(QIODevice::Append);
            f.write("changed");
        }
        SyncJob job(fx.context(QStringLiteral("development")), fx.syncOptions());
        auto plan = job.planNow();
        QVERIFY(plan.ok());
        QCOMPARE(plan.value().counts().countOf(PlanAction::Delete), 2);
        {
            QFile f(victim);
            f.open(QIODevice::Append);
            f.write("and changed again during the sync");
        }
        const JobResult r = job.applyNow();
        QCOMPARE(r.outcome, JobResult::Outcome::Failed);
        QCOMPARE(r.deleted, 0);
        QVERIFY(QFileInfo::exists(bucket + QStringLiteral("/skills/") + files.at(0)));
        QVERIFY(QFileInfo::exists(bucket + QStringLiteral("/skills/") + files.at(1)));
        QCOMPARE(readFile(bucket + QStringLiteral("/.last-sync")), stamp);
        // A re-run converges.
        const JobResult again = fx.sync(QStringLiteral("development"));
        QVERIFY2(again.ok(), qPrintable(describe(again)));
        QCOMPARE(again.deleted, 2);
    }

    void cancelMidRestoreLeavesTargetUnchanged()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 300, 2, 2);
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));
        QVERIFY(fx.sync(QStringLiteral("development")).ok());
        // The target holds an older, different version.
        const QString target = fx.dir.filePath(QStringLiteral("target"));
        writeFile(target + QStringLiteral("/clawdbot/clawdbot.json"), "old config");
        writeFile(target + QStringLiteral("/.last-sync"), "2020-01-01T00:00:00+00:00\n");
        const auto before = TestTree::digests(target);
        RestoreJob job(fx.context(QStringLiteral("development"), 1), RestoreOptions{target, false, {}});
        QVERIFY(job.planNow().ok());
        int seen = 0;
        connect(
            &job, &Job::progress, &job,
            [&](const JobProgress &) {
                if (++seen == 2)
                    job.cancel();
            },
            Qt::DirectConnection);
        const JobResult r = job.applyNow();
        QCOMPARE(r.outcome, JobResult::Outcome::Cancelled);
        QCOMPARE(TestTree::digests(target), before);
        QCOMPARE(QDir(target).entryList(QDir::Hidden | QDir::AllEntries | QDir::NoDotAndDotDot).size(),
                 2); // no staging left
    }

    void restoreLayoutsAndNewerThanRule_data()
    {
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("expectFile");
        QTest::newRow("openclaw") << QStringList{QStringLiteral("openclaw/openclaw.json"),
                                                 QStringLiteral("clawdbot/clawdbot.json"),
                                                 QStringLiteral("workspace/m.md")}
                                  << "openclaw"
                                  << "openclaw/openclaw.json";
        QTest::newRow("clawdbot") << QStringList{QStringLiteral("clawdbot/clawdbot.json"),
                                                 QStringLiteral("skills/s/a.md")}
                                  << "clawdbot"
                                  << "clawdbot/clawdbot.json";
        QTest::newRow("flat") << QStringList{QStringLiteral("clawdbot.json"),
                                             QStringLiteral("devices/paired.json")}
                              << "flat"
                              << "clawdbot/clawdbot.json";
    }
    void restoreLayoutsAndNewerThanRule()
    {
        QFETCH(QStringList, keys);
        QFETCH(QString, layout);
        QFETCH(QString, expectFile);
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        const QString bucket = fx.bucketDir(QStringLiteral("development"));
        for (const QString &k : keys)
            writeFile(bucket + QLatin1Char('/') + k, k.toUtf8());
        writeFile(bucket + QStringLiteral("/.last-sync"), "2026-02-04T10:15:30+00:00\n");
        const QString target = fx.dir.filePath(QStringLiteral("t"));

        // Target newer: nothing happens.
        writeFile(target + QStringLiteral("/.last-sync"), "2026-02-05T00:00:00+00:00\n");
        RestoreJob skip(fx.context(QStringLiteral("development")), RestoreOptions{target, false, {}});
        auto plan = skip.planNow();
        QVERIFY(plan.ok());
        QCOMPARE(plan.value().layout, layout);
        QVERIFY(!plan.value().restoreNeeded);
        QCOMPARE(skip.applyNow().outcome, JobResult::Outcome::NothingToDo);
        QVERIFY(!QFileInfo::exists(target + QLatin1Char('/') + expectFile));

        // Target older: restored, and the bucket's .last-sync copied over.
        writeFile(target + QStringLiteral("/.last-sync"), "2026-02-04T10:15:29+00:00\n");
        const JobResult r = fx.restore(QStringLiteral("development"), target);
        QVERIFY2(r.ok() && r.outcome == JobResult::Outcome::Succeeded, qPrintable(describe(r)));
        QVERIFY(QFileInfo::exists(target + QLatin1Char('/') + expectFile));
        QCOMPARE(readFile(target + QStringLiteral("/.last-sync")), QByteArray("2026-02-04T10:15:30+00:00\n"));
        if (layout == QLatin1String("openclaw"))
            QVERIFY(!QFileInfo::exists(target +
                                       QStringLiteral("/clawdbot/clawdbot.json"))); // older layout ignored
    }

    void restoreRefusesKeysOutsideTarget()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        const QString bucket = fx.bucketDir(QStringLiteral("development"));
        writeFile(bucket + QStringLiteral("/clawdbot/clawdbot.json"), "{}");
        // A key with a backslash and one that is ".." cannot be made by a mount; use NFC/NFD twins.
        writeFile(bucket + QStringLiteral("/clawdbot/caf") + QStringLiteral("é"), "nfc");
        writeFile(bucket + QStringLiteral("/clawdbot/cafe") + QChar(0x0301), "nfd");
        RestoreJob job(fx.context(QStringLiteral("development")),
                       RestoreOptions{fx.dir.filePath(QStringLiteral("t")), true, {}});
        auto plan = job.planNow();
        QVERIFY(plan.ok());
        QVERIFY2(plan.value().warnings.join(QString()).contains(QLatin1String("normalisation")),
                 qPrintable(plan.value().warnings.join(QLatin1Char('\n'))));
        QCOMPARE(plan.value().items.size(), 1);
    }

    void migrationIsIdempotentAndConflictsAbort()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        const QString legacy = fx.bucketDir(QString());
        TestTree::make(legacy, 50, 1, 1);
        writeFile(legacy + QStringLiteral("/.last-sync"), "2026-02-03T18:02:11+00:00\n");
        const auto legacyBefore = TestTree::digests(legacy);
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));
        const int n = int(legacyBefore.size()) - 1;

        MigrationOptions opts;
        opts.reportPath = fx.dir.filePath(QStringLiteral("report.json"));
        {
            MigrationJob job(fx.context(QStringLiteral("development")), opts);
            auto plan = job.planNow();
            QVERIFY(plan.ok());
            QCOMPARE(plan.value().counts().countOf(PlanAction::Copy), n);
            const JobResult r = job.applyNow();
            QVERIFY2(r.ok(), qPrintable(describe(r)));
            QCOMPARE(r.copied, n);
        }
        const QString dev = fx.bucketDir(QStringLiteral("development"));
        QCOMPARE(TestTree::digests(dev, {QStringLiteral(".migrated-from")}),
                 legacyBefore); // .last-sync carried over
        QVERIFY(QFileInfo::exists(dev + QStringLiteral("/.migrated-from")));
        QVERIFY(QFileInfo::exists(opts.reportPath));
        const QJsonObject report =
            QJsonDocument::fromJson(readFile(dev + QStringLiteral("/.migrated-from"))).object();
        QCOMPARE(report.value(QLatin1String("objects")).toArray().size(), n);
        QCOMPARE(TestTree::digests(legacy), legacyBefore); // the source is untouched

        { // Again: nothing to copy.
            MigrationJob job(fx.context(QStringLiteral("development")), opts);
            auto plan = job.planNow();
            QCOMPARE(plan.value().counts().countOf(PlanAction::Copy), 0);
            QCOMPARE(plan.value().counts().countOf(PlanAction::Skip), n);
            QCOMPARE(job.applyNow().copied, 0);
        }
        // A different object in the destination: the whole migration is refused unless --overwrite.
        writeFile(dev + QStringLiteral("/clawdbot/clawdbot.json"), "changed in development");
        QFile::remove(dev + QStringLiteral("/clawdbot/devices/paired.json"));
        {
            MigrationJob job(fx.context(QStringLiteral("development")), opts);
            auto plan = job.planNow();
            QCOMPARE(plan.value().counts().countOf(PlanAction::Conflict), 1);
            QVERIFY(plan.value().refusal);
            QCOMPARE(job.applyNow().outcome, JobResult::Outcome::Refused);
            QVERIFY(
                !QFileInfo::exists(dev + QStringLiteral("/clawdbot/devices/paired.json"))); // nothing copied
        }
        opts.overwrite = true;
        MigrationJob job(fx.context(QStringLiteral("development")), opts);
        QVERIFY(job.planNow().ok());
        const JobResult r = job.applyNow();
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.copied, 2);
        QCOMPARE(TestTree::digests(legacy), legacyBefore);
    }

    void seedContainerRestoresWhatSyncWrote()
    {
        EngineFixture fx;
        QVERIFY(fx.create(mountStorage()));
        TestTree::make(fx.tree(), 40, 0, 0);
        QDir().mkpath(fx.bucketDir(QStringLiteral("development")));
        QVERIFY(fx.sync(QStringLiteral("development")).ok());
        const QString home = fx.dir.filePath(QStringLiteral("container-home"));
        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ENVIRONMENT"), QStringLiteral("development"));
        sh.setProcessEnvironment(env);
        sh.start(QStringLiteral("bash"),
                 {qEnvironmentVariable("MOLTDESK_SOURCE_DIR") + QStringLiteral("/tests/data/seed-restore.sh"),
                  fx.dataRoot(), home});
        QVERIFY(sh.waitForFinished(30000));
        const QString out = QString::fromUtf8(sh.readAllStandardOutput());
        QCOMPARE(sh.exitCode(), 0);
        QVERIFY2(out.contains(QLatin1String("Restored config from R2 backup")),
                 qPrintable(out + QString::fromUtf8(sh.readAllStandardError())));
        QCOMPARE(TestTree::digests(home + QStringLiteral("/.clawdbot"), {QStringLiteral(".last-sync")}),
                 TestTree::digests(fx.tree() + QStringLiteral("/clawdbot")));
        QCOMPARE(TestTree::digests(home + QStringLiteral("/clawd/skills")),
                 TestTree::digests(fx.tree() + QStringLiteral("/skills")));
        // A second start finds local data current: the bucket's stamp is not newer.
        sh.start(QStringLiteral("bash"),
                 {qEnvironmentVariable("MOLTDESK_SOURCE_DIR") + QStringLiteral("/tests/data/seed-restore.sh"),
                  fx.dataRoot(), home});
        QVERIFY(sh.waitForFinished(30000));
        QVERIFY(
            QString::fromUtf8(sh.readAllStandardOutput()).contains(QLatin1String("Local data is current")));
    }

    // RestoreOptions::onlyPrefixes (the window's "Restore this file/folder…"): only the chosen keys and
    // folders are restored; the rest of the target's folders and its .last-sync stay as they were.
    // Mount storage in both runs: the selection is decided at plan time, the same for every backend.
    void restoreOnlySelectedPrefixes()
    {
        EngineFixture fx;
        QVERIFY(fx.create(QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                      {QStringLiteral("root"), QStringLiteral("data")}}));
        const QString bucket = fx.bucketDir(QStringLiteral("development"));
        writeFile(bucket + QStringLiteral("/clawdbot/clawdbot.json"), "{}");
        writeFile(bucket + QStringLiteral("/clawdbot/agents/a.jsonl"), "a");
        writeFile(bucket + QStringLiteral("/clawdbot/agents/sub/b.jsonl"), "b");
        writeFile(bucket + QStringLiteral("/clawdbot/agentsX/c.jsonl"), "not under agents/");
        writeFile(bucket + QStringLiteral("/clawdbot/devices/paired.json"), "new pairing");
        writeFile(bucket + QStringLiteral("/skills/s/x.md"), "x");
        writeFile(bucket + QStringLiteral("/skills/s/y.md"), "y");
        writeFile(bucket + QStringLiteral("/.last-sync"), "2026-02-04T10:15:30+00:00\n");
        const QString target = fx.dir.filePath(QStringLiteral("only"));
        writeFile(target + QStringLiteral("/clawdbot/devices/paired.json"), "old pairing");
        writeFile(target + QStringLiteral("/clawdbot/agents/stale.jsonl"), "not in the bucket");
        writeFile(target + QStringLiteral("/.last-sync"), "2020-01-01T00:00:00+00:00\n");

        RestoreOptions o;
        o.targetDir = target;
        o.onlyPrefixes = {QStringLiteral("clawdbot/agents/"), QStringLiteral("skills/s/x.md")};
        RestoreJob job(fx.context(QStringLiteral("development")), o);
        const Result<Plan> plan = job.planNow();
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
        const PlanCounts c = plan.value().counts();
        QCOMPARE(c.countOf(PlanAction::Download), 3); // a.jsonl, sub/b.jsonl, x.md
        QCOMPARE(c.countOf(PlanAction::Delete), 1);   // agents/stale.jsonl: inside the selection
        QCOMPARE(c.countOf(PlanAction::Keep), 1);     // devices/paired.json: outside it, kept as is
        const JobResult r = job.applyNow();
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.downloaded, 3);
        QVERIFY(r.lastSyncWritten.isEmpty());
        QCOMPARE(readFile(target + QStringLiteral("/clawdbot/agents/a.jsonl")), QByteArray("a"));
        QCOMPARE(readFile(target + QStringLiteral("/clawdbot/agents/sub/b.jsonl")), QByteArray("b"));
        QCOMPARE(readFile(target + QStringLiteral("/skills/s/x.md")), QByteArray("x"));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/clawdbot/agents/stale.jsonl")));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/clawdbot/agentsX")));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/clawdbot/clawdbot.json")));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/skills/s/y.md")));
        QCOMPARE(readFile(target + QStringLiteral("/clawdbot/devices/paired.json")),
                 QByteArray("old pairing"));
        QCOMPARE(readFile(target + QStringLiteral("/.last-sync")), QByteArray("2020-01-01T00:00:00+00:00\n"));

        // A selection with nothing restorable under it is an error, and nothing is written.
        o.onlyPrefixes = {QStringLiteral("clawdbot/nothing-here/")};
        RestoreJob none(fx.context(QStringLiteral("development")), o);
        const Result<Plan> empty = none.planNow();
        QVERIFY(!empty.ok());
        QVERIFY2(empty.error().message.contains(QStringLiteral("nothing restorable")),
                 qPrintable(empty.error().message));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
