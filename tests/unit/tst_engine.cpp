// The engine's scenarios: sync, restore and migration, planned then applied. The same source runs on
// mount-mode storage (tst_engine) and on the real S3 server with each environment's scoped keys
// (tst_engine_s3, MOLTDESK_ENGINE_STORAGE=s3): tests reach buckets only through the fixture's
// backend-neutral helpers.
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
    TestServer m_server;
    static const inline QString dev = QStringLiteral("development");
    static const inline QString prod = QStringLiteral("production");

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
    // A fixture on the storage under test, every bucket empty.
    bool make(EngineFixture &fx, bool sharedKeys = false)
    {
        fx.server = &m_server;
        return fx.createStorage({dev, prod}, sharedKeys);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (EngineFixture::onS3())
            MOLTDESK_REQUIRE_SERVER(m_server);
        qInfo("engine scenarios on %s", EngineFixture::onS3() ? "the real S3 server" : "mount-mode storage");
    }

    void syncRestoreRoundTripNoopAndThirtyChanged()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 400, 2, 1);
        const int n = int(TestTree::files(fx.tree()).size());

        const JobResult first = fx.sync(dev);
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        QCOMPARE(first.uploaded, n);
        QVERIFY(!first.lastSyncWritten.isEmpty());
        QCOMPARE(fx.object(dev, QStringLiteral(".last-sync")), first.lastSyncWritten);
        auto marker = IdentityMarker::parse(fx.object(dev, QStringLiteral(".moltdesk-environment")));
        QVERIFY(marker.ok());
        QCOMPARE(marker.value().environment, dev);

        // Restore into an empty folder: byte for byte.
        const QString target = fx.dir.filePath(QStringLiteral("restored"));
        const JobResult restored = fx.restore(dev, target);
        QVERIFY2(restored.ok(), qPrintable(describe(restored)));
        QCOMPARE(restored.downloaded, n);
        QCOMPARE(TestTree::digests(target, {QStringLiteral(".last-sync")}), TestTree::digests(fx.tree()));
        QCOMPARE(readFile(target + QStringLiteral("/.last-sync")), first.lastSyncWritten);

        // No-op: nothing uploaded, nothing re-read (every digest comes from the cache).
        const JobResult noop = fx.sync(dev);
        QVERIFY2(noop.ok(), qPrintable(describe(noop)));
        QCOMPARE(noop.uploaded + noop.replaced + noop.deleted, 0);
        QCOMPARE(noop.kept, n);
        QCOMPARE(noop.bytesTransferred, 0);

        // 30 files changed: exactly those 30 go up.
        QTest::qWait(20);
        const QStringList touched = TestTree::touch(fx.tree(), 30, 7);
        const JobResult thirty = fx.sync(dev);
        QVERIFY2(thirty.ok(), qPrintable(describe(thirty)));
        QCOMPARE(thirty.replaced, 30);
        QCOMPARE(thirty.uploaded + thirty.deleted, 0);
        for (const QString &rel : touched)
            QCOMPARE(fx.object(dev, rel), readFile(fx.tree() + QLatin1Char('/') + rel));
    }

    void excludesAreNotSynced()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 20, 0, 0);
        writeFile(fx.tree() + QStringLiteral("/clawdbot/gateway.lock"), "pid");
        writeFile(fx.tree() + QStringLiteral("/clawdbot/x.log"), "log");
        writeFile(fx.tree() + QStringLiteral("/skills/s/.git/objects/ab"), "git");
        QVERIFY(fx.sync(dev).ok());
        QVERIFY(!fx.has(dev, QStringLiteral("clawdbot/gateway.lock")));
        QVERIFY(!fx.has(dev, QStringLiteral("clawdbot/x.log")));
        QVERIFY(!fx.has(dev, QStringLiteral("skills/s/.git/objects/ab")));
        QVERIFY(fx.has(dev, QStringLiteral("clawdbot/clawdbot.json")));
    }

    // The migration report only tells deletions apart: a plan without deletions (a no-op) does not read
    // it, so a broken one says nothing there; a plan that deletes still reads it and says it is broken.
    void migrationReportReadOnlyForDeletions()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 20, 0, 0);
        QVERIFY(fx.sync(dev).ok());
        QVERIFY(fx.put(dev, QStringLiteral(".migrated-from"), "not json"));
        const auto warningsOfPlan = [&]() {
            SyncJob job(fx.context(dev), fx.syncOptions());
            auto plan = job.planNow();
            return plan.ok() ? plan.value().warnings.join(QLatin1Char('\n')) : QStringLiteral("plan failed");
        };
        const QString noop = warningsOfPlan();
        QVERIFY2(!noop.contains(QLatin1String("migrat")), qPrintable(noop));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/only-in-the-bucket.txt"), "x"));
        const QString deleting = warningsOfPlan();
        QVERIFY2(deleting.contains(QLatin1String(".migrated-from")), qPrintable(deleting));
    }

    void guardsRefuse()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 60, 0, 0);
        QVERIFY(fx.sync(dev).ok());
        const QByteArray stamp = fx.object(dev, QStringLiteral(".last-sync"));
        const QMap<QString, QByteArray> before = fx.digests(dev);

        // An empty, fresh container must not wipe a good backup.
        QDir(fx.tree() + QStringLiteral("/skills")).removeRecursively();
        QDir().mkpath(fx.tree() + QStringLiteral("/skills"));
        {
            SyncJob job(fx.context(dev), fx.syncOptions());
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
            SyncJob job(fx.context(dev), fx.syncOptions());
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
            SyncJob job(fx.context(dev), fx.syncOptions());
            auto plan = job.planNow();
            QVERIFY(plan.value().refusal);
            QVERIFY2(plan.value().refusal->message.contains(QLatin1String("--max-delete 20")),
                     qPrintable(plan.value().refusal->message));
        }
        QCOMPARE(fx.digests(dev), before); // refused plans wrote nothing
        QCOMPARE(fx.object(dev, QStringLiteral(".last-sync")), stamp);
        SyncOptions raised = fx.syncOptions();
        raised.maxDelete = 20;
        const JobResult ok = fx.sync(dev, raised);
        QVERIFY2(ok.ok(), qPrintable(describe(ok)));
        QCOMPARE(ok.deleted, 20);

        // Production needs its name typed.
        const JobResult unconfirmed = fx.sync(prod, fx.syncOptions(), QStringLiteral("prod"));
        QCOMPARE(unconfirmed.outcome, JobResult::Outcome::Refused);
        QVERIFY(!fx.has(prod, QStringLiteral(".last-sync")));
        QVERIFY(fx.sync(prod, fx.syncOptions(), prod).ok());

        // A bucket marked as another environment's is never written.
        QVERIFY(fx.put(
            dev, QStringLiteral(".moltdesk-environment"),
            IdentityMarker{prod, QStringLiteral("moltbot-data-production"), QDateTime::currentDateTimeUtc()}
                .toJson()));
        TestTree::touch(fx.tree(), 3, 1);
        const JobResult crossed = fx.sync(dev);
        QCOMPARE(crossed.outcome, JobResult::Outcome::Refused);
        QVERIFY(crossed.errors.first().message.contains(QLatin1String("cross-wired")));
    }

    // An unreadable marker is evidence: sync refuses (like a cross-wired bucket) and leaves it as it is.
    void unreadableMarkerRefusesSync()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 20, 0, 0);
        QVERIFY(fx.sync(dev).ok());
        const QByteArray stamp = fx.object(dev, QStringLiteral(".last-sync"));
        QVERIFY(fx.put(dev, QStringLiteral(".moltdesk-environment"), "{ truncated"));
        TestTree::touch(fx.tree(), 3, 1);
        const JobResult refused = fx.sync(dev);
        QCOMPARE(refused.outcome, JobResult::Outcome::Refused);
        QCOMPARE(refused.errors.first().code, QLatin1String(RefusalCode::UnreadableMarker));
        QVERIFY2(refused.errors.first().message.contains(QLatin1String("stamp development --force")),
                 qPrintable(refused.errors.first().message));
        QCOMPARE(refused.uploaded + refused.replaced + refused.deleted, 0);
        QCOMPARE(fx.object(dev, QStringLiteral(".moltdesk-environment")), QByteArray("{ truncated"));
        QCOMPARE(fx.object(dev, QStringLiteral(".last-sync")), stamp);
    }

    void failedUploadMeansNoDeletionsAndNoLastSync()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 80, 0, 0);
        QVERIFY(fx.sync(dev).ok());
        const QByteArray stamp = fx.object(dev, QStringLiteral(".last-sync"));
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
        SyncJob job(fx.context(dev), fx.syncOptions());
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
        QVERIFY(fx.has(dev, QStringLiteral("skills/") + files.at(0)));
        QVERIFY(fx.has(dev, QStringLiteral("skills/") + files.at(1)));
        QCOMPARE(fx.object(dev, QStringLiteral(".last-sync")), stamp);
        // A re-run converges.
        const JobResult again = fx.sync(dev);
        QVERIFY2(again.ok(), qPrintable(describe(again)));
        QCOMPARE(again.deleted, 2);
    }

    void cancelMidRestoreLeavesTargetUnchanged()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 300, 2, 2);
        QVERIFY(fx.sync(dev).ok());
        // The target holds an older, different version.
        const QString target = fx.dir.filePath(QStringLiteral("target"));
        writeFile(target + QStringLiteral("/clawdbot/clawdbot.json"), "old config");
        writeFile(target + QStringLiteral("/.last-sync"), "2020-01-01T00:00:00+00:00\n");
        const auto before = TestTree::digests(target);
        RestoreJob job(fx.context(dev, 1), RestoreOptions{target, false, {}});
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
        QVERIFY(make(fx));
        for (const QString &k : keys)
            QVERIFY(fx.put(dev, k, k.toUtf8()));
        QVERIFY(fx.put(dev, QStringLiteral(".last-sync"), "2026-02-04T10:15:30+00:00\n"));
        const QString target = fx.dir.filePath(QStringLiteral("t"));

        // Target newer: nothing happens.
        writeFile(target + QStringLiteral("/.last-sync"), "2026-02-05T00:00:00+00:00\n");
        RestoreJob skip(fx.context(dev), RestoreOptions{target, false, {}});
        auto plan = skip.planNow();
        QVERIFY(plan.ok());
        QCOMPARE(plan.value().layout, layout);
        QVERIFY(!plan.value().restoreNeeded);
        QCOMPARE(skip.applyNow().outcome, JobResult::Outcome::NothingToDo);
        QVERIFY(!QFileInfo::exists(target + QLatin1Char('/') + expectFile));

        // Target older: restored, and the bucket's .last-sync copied over.
        writeFile(target + QStringLiteral("/.last-sync"), "2026-02-04T10:15:29+00:00\n");
        const JobResult r = fx.restore(dev, target);
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
        QVERIFY(make(fx));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/clawdbot.json"), "{}"));
        // Keys with a backslash or ".." cannot be made through our own backends (they refuse them;
        // tst_badinput feeds them from a hostile server); NFC/NFD twins can.
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/caf") + QStringLiteral("é"), "nfc"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/cafe") + QChar(0x0301), "nfd"));
        RestoreJob job(fx.context(dev), RestoreOptions{fx.dir.filePath(QStringLiteral("t")), true, {}});
        auto plan = job.planNow();
        QVERIFY(plan.ok());
        QVERIFY2(plan.value().warnings.join(QString()).contains(QLatin1String("normalisation")),
                 qPrintable(plan.value().warnings.join(QLatin1Char('\n'))));
        QCOMPARE(plan.value().items.size(), 1);
    }

    void migrationIsIdempotentAndConflictsAbort_data()
    {
        QTest::addColumn<bool>("sharedKeys");
        // Each environment's own keys: the legacy bucket is streamed through us. One key pair for
        // both buckets: server-side CopyObject (on a mount, a local copy either way).
        QTest::newRow("own keys") << false;
        QTest::newRow("shared keys") << true;
    }
    void migrationIsIdempotentAndConflictsAbort()
    {
        QFETCH(bool, sharedKeys);
        EngineFixture fx;
        QVERIFY(make(fx, sharedKeys));
        const QString legacy = QString();
        const QString source = fx.dir.filePath(QStringLiteral("legacy-content"));
        TestTree::make(source, 50, 1, 1);
        writeFile(source + QStringLiteral("/.last-sync"), "2026-02-03T18:02:11+00:00\n");
        QVERIFY(fx.fill(legacy, source));
        const auto legacyBefore = fx.digests(legacy);
        QCOMPARE(legacyBefore, TestTree::digests(source));
        const int n = int(legacyBefore.size()) - 1;

        MigrationOptions opts;
        opts.reportPath = fx.dir.filePath(QStringLiteral("report.json"));
        {
            MigrationJob job(fx.context(dev), opts);
            auto plan = job.planNow();
            QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
            QCOMPARE(plan.value().counts().countOf(PlanAction::Copy), n);
            const JobResult r = job.applyNow();
            QVERIFY2(r.ok(), qPrintable(describe(r)));
            QCOMPARE(r.copied, n);
        }
        QCOMPARE(fx.digests(dev, {QStringLiteral(".migrated-from")}),
                 legacyBefore); // .last-sync carried over
        QVERIFY(fx.has(dev, QStringLiteral(".migrated-from")));
        QVERIFY(QFileInfo::exists(opts.reportPath));
        const QJsonObject report =
            QJsonDocument::fromJson(fx.object(dev, QStringLiteral(".migrated-from"))).object();
        QCOMPARE(report.value(QLatin1String("objects")).toArray().size(), n);
        QCOMPARE(fx.digests(legacy), legacyBefore); // the source is untouched

        { // Again: nothing to copy.
            MigrationJob job(fx.context(dev), opts);
            auto plan = job.planNow();
            QCOMPARE(plan.value().counts().countOf(PlanAction::Copy), 0);
            QCOMPARE(plan.value().counts().countOf(PlanAction::Skip), n);
            QCOMPARE(job.applyNow().copied, 0);
        }
        // A different object in the destination: the whole migration is refused unless --overwrite.
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/clawdbot.json"), "changed in development"));
        QVERIFY(fx.remove(dev, QStringLiteral("clawdbot/devices/paired.json")));
        {
            MigrationJob job(fx.context(dev), opts);
            auto plan = job.planNow();
            QCOMPARE(plan.value().counts().countOf(PlanAction::Conflict), 1);
            QVERIFY(plan.value().refusal);
            QCOMPARE(job.applyNow().outcome, JobResult::Outcome::Refused);
            QVERIFY(!fx.has(dev, QStringLiteral("clawdbot/devices/paired.json"))); // nothing copied
        }
        opts.overwrite = true;
        MigrationJob job(fx.context(dev), opts);
        QVERIFY(job.planNow().ok());
        const JobResult r = job.applyNow();
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.copied, 2);
        QCOMPARE(fx.digests(dev, {QStringLiteral(".migrated-from")}), legacyBefore);
        QCOMPARE(fx.digests(legacy), legacyBefore);
    }

    void seedContainerRestoresWhatSyncWrote()
    {
        if (EngineFixture::onS3())
            QSKIP("mount mode only: the seed's container restores from a mounted bucket (covered by "
                  "tst_engine)");
        EngineFixture fx;
        QVERIFY(make(fx));
        TestTree::make(fx.tree(), 40, 0, 0);
        QVERIFY(fx.sync(dev).ok());
        const QString home = fx.dir.filePath(QStringLiteral("container-home"));
        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ENVIRONMENT"), dev);
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
    void restoreOnlySelectedPrefixes()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/clawdbot.json"), "{}"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/agents/a.jsonl"), "a"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/agents/sub/b.jsonl"), "b"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/agentsX/c.jsonl"), "not under agents/"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/devices/paired.json"), "new pairing"));
        QVERIFY(fx.put(dev, QStringLiteral("skills/s/x.md"), "x"));
        QVERIFY(fx.put(dev, QStringLiteral("skills/s/y.md"), "y"));
        QVERIFY(fx.put(dev, QStringLiteral(".last-sync"), "2026-02-04T10:15:30+00:00\n"));
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

    // A partial restore is asked for by name: the job takes it past the newer-than rule itself, without
    // force (the window used to force it).
    void partialRestoreIsPastTheNewerThanRule()
    {
        EngineFixture fx;
        QVERIFY(make(fx));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/clawdbot.json"), "{}"));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/agents/a.jsonl"), "from the bucket"));
        QVERIFY(fx.put(dev, QStringLiteral(".last-sync"), "2026-02-04T10:15:30+00:00\n"));
        const QString target = fx.dir.filePath(QStringLiteral("partial"));
        writeFile(target + QStringLiteral("/clawdbot/agents/a.jsonl"), "local");
        writeFile(target + QStringLiteral("/.last-sync"), "2026-02-05T00:00:00+00:00\n"); // newer

        RestoreOptions whole;
        whole.targetDir = target;
        RestoreJob all(fx.context(dev), whole);
        const Result<Plan> wholePlan = all.planNow();
        QVERIFY(wholePlan.ok());
        QVERIFY(!wholePlan.value().restoreNeeded); // the rule holds for a whole restore

        RestoreOptions o = whole;
        o.onlyPrefixes = {QStringLiteral("clawdbot/agents/a.jsonl")};
        QVERIFY(!o.force);
        RestoreJob job(fx.context(dev), o);
        const Result<Plan> plan = job.planNow();
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
        QVERIFY2(plan.value().restoreNeeded, qPrintable(plan.value().restoreDecision));
        const JobResult r = job.applyNow();
        QVERIFY2(r.ok() && r.outcome == JobResult::Outcome::Succeeded, qPrintable(describe(r)));
        QCOMPARE(readFile(target + QStringLiteral("/clawdbot/agents/a.jsonl")),
                 QByteArray("from the bucket"));
        QCOMPARE(readFile(target + QStringLiteral("/.last-sync")), QByteArray("2026-02-05T00:00:00+00:00\n"));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
