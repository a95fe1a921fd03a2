// Real s3fs FUSE mounts of the test server's buckets (tests/support/S3fsMount.h): the seed's own
// commands write through the mount and Moltdesk reads the bucket over S3 (folder objects and all);
// Moltdesk writes over S3 and the seed's restore rule reads it back through the mount; mount-mode sync
// through the mount, twice, the second writing nothing (checked on the server's listing), and a
// changed file re-written once.
#include "PlanThenApply.h"
#include "RestoreJob.h"
#include "S3Storage.h"
#include "S3fsMount.h"
#include "StatusCollector.h"
#include "SyncJob.h"
#include "TestTree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestS3fsMount : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    static const inline QString dev = QStringLiteral("development");
    static const inline QString bucketName = QStringLiteral("moltbot-data-development");

    std::shared_ptr<S3Storage> admin() const
    {
        S3Config c;
        c.endpoint = m_server.endpoint();
        c.bucket = bucketName;
        c.accessKeyId = m_server.user(QStringLiteral("admin")).accessKeyId;
        c.secretAccessKey = m_server.user(QStringLiteral("admin")).secret;
        return std::make_shared<S3Storage>(c);
    }
    void emptyBucket()
    {
        auto l = admin()->list(ListRequest{}).result();
        QVERIFY(l.ok());
        QStringList keys;
        for (const ObjectInfo &o : l.value().objects + l.value().folderObjects)
            keys << o.key;
        if (!keys.isEmpty())
            QVERIFY(admin()->remove(keys).result().ok());
    }
    // key -> "ETag Last-Modified" of every data object, as the server lists them.
    QMap<QString, QString> serverState() const
    {
        QMap<QString, QString> out;
        auto l = admin()->list(ListRequest{}).result();
        if (l.ok())
            for (const ObjectInfo &o : l.value().objects)
                if (!o.key.startsWith(QLatin1Char('.')))
                    out.insert(o.key, QString::fromLatin1(o.etag) + QLatin1Char(' ') +
                                          o.modified.toString(Qt::ISODate));
        return out;
    }
    // A workspace in `dir`: S3 with dev's keys, or mount mode over `root`; sync sets clawdbot/, skills/.
    static Result<Workspace> workspace(const QString &dir, const QString &tree, const QJsonObject &storage,
                                       const ServerUser &user)
    {
        QDir().mkpath(dir);
        QFile vars(dir + QStringLiteral("/.dev.vars.development"));
        vars.open(QIODevice::WriteOnly);
        vars.write(QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n")
                       .arg(user.accessKeyId, user.secret)
                       .toUtf8());
        vars.close();
        const QJsonObject p{
            {QStringLiteral("environments"), QJsonArray{dev}},
            {QStringLiteral("includeLegacy"), false},
            {QStringLiteral("storage"), storage},
            {QStringLiteral("syncSets"),
             QJsonArray{QJsonObject{{QStringLiteral("local"), QString(tree + QStringLiteral("/clawdbot"))},
                                    {QStringLiteral("prefix"), QStringLiteral("clawdbot/")}},
                        QJsonObject{{QStringLiteral("local"), QString(tree + QStringLiteral("/skills"))},
                                    {QStringLiteral("prefix"), QStringLiteral("skills/")}}}}};
        QFile f(dir + QStringLiteral("/profile.json"));
        f.open(QIODevice::WriteOnly);
        f.write(QJsonDocument(p).toJson());
        f.close();
        return Workspace::open(dir + QStringLiteral("/profile.json"));
    }
    Result<Workspace> s3Workspace(const QString &dir, const QString &tree) const
    {
        return workspace(dir, tree,
                         {{QStringLiteral("type"), QStringLiteral("s3")},
                          {QStringLiteral("endpoint"), m_server.endpoint().toString()}},
                         m_server.user(QStringLiteral("dev")));
    }
    static JobContext context(const Workspace &ws)
    {
        return JobContext{ws, ws.find(dev).value(), CredentialResolver(ws.profile().path, nullptr, false)};
    }
    static JobResult sync(const Workspace &ws, const QString &cacheDir)
    {
        SyncOptions o;
        o.hashCachePath = cacheDir + QStringLiteral("/hashes");
        SyncJob job(context(ws), o);
        return planThenApply(job);
    }
    static QString describe(const JobResult &r)
    {
        QString s = r.summaryLine();
        for (const Error &e : r.errors.mid(0, 3))
            s += QStringLiteral("\n  ") + e.toString();
        return s;
    }
    static int sh(const QString &script,
                  const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedChannels);
        p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
        p.waitForFinished(600000);
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    static QMap<QString, QByteArray> digestsUnder(const QString &root, const QString &sub)
    {
        QMap<QString, QByteArray> out;
        const auto all = TestTree::digests(root + QLatin1Char('/') + sub);
        for (auto it = all.cbegin(); it != all.cend(); ++it)
            out.insert(sub + QLatin1Char('/') + it.key(), it.value());
        return out;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_FUSE();
    }

    void seedWritesThroughTheMountMoltdeskReadsOverS3()
    {
        emptyBucket();
        QTemporaryDir tmp;
        const QString tree = tmp.filePath(QStringLiteral("tree"));
        TestTree::make(tree, 60, 0, 0);
        S3fsMount mount;
        QString err;
        QVERIFY2(mount.mount(m_server, QStringLiteral("dev"), bucketName, tmp.filePath(QStringLiteral("mnt")),
                             &err),
                 qPrintable(err));
        // The seed's syncToR2, word for word but for the paths.
        const QString m = mount.point();
        QCOMPARE(sh(QStringLiteral("rsync -r --no-times --delete '%1/clawdbot/' '%2/clawdbot/' && "
                                   "rsync -r --no-times --delete '%1/skills/' '%2/skills/' && "
                                   "date -Iseconds > '%2/.last-sync'")
                        .arg(tree, m)),
                 0);
        mount.unmount();
        QMap<QString, QByteArray> want = digestsUnder(tree, QStringLiteral("clawdbot"));
        want.insert(digestsUnder(tree, QStringLiteral("skills")));

        // s3fs left its folder objects: the scenario is real.
        auto raw = admin()->list(ListRequest{}).result();
        QVERIFY(raw.ok());
        QVERIFY2(raw.value().folderObjects.size() > 5, "s3fs wrote no folder objects");

        auto ws = s3Workspace(tmp.filePath(QStringLiteral("s3ws")), tree);
        QVERIFY2(ws.ok(), qPrintable(ws.ok() ? QString() : ws.error().message));
        StorageFactory factory(ws.value());
        CredentialResolver resolver(ws.value().profile().path, nullptr, false);
        const EnvironmentStatus st =
            StatusCollector(ws.value(), resolver, factory).collect(ws.value().find(dev).value());
        QCOMPARE(st.objects, qint64(want.size() + 1)); // the files and .last-sync, no folders
        QCOMPARE(int(st.lastSyncState), int(EnvironmentStatus::LastSyncState::Valid));

        // Restore over S3: every file, byte for byte, and not one word about folders.
        const QString target = tmp.filePath(QStringLiteral("restored"));
        RestoreJob restore(context(ws.value()), RestoreOptions{target, false, {}});
        auto plan = restore.planNow();
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
        QVERIFY2(plan.value().warnings.isEmpty(), qPrintable(plan.value().warnings.join(QLatin1Char('\n'))));
        const JobResult rr = restore.applyNow();
        QVERIFY2(rr.ok(), qPrintable(describe(rr)));
        QMap<QString, QByteArray> got = digestsUnder(target, QStringLiteral("clawdbot"));
        got.insert(digestsUnder(target, QStringLiteral("skills")));
        QCOMPARE(got, want);

        // An S3 sync of the same tree: all kept, nothing (folders least of all) deleted.
        SyncOptions so;
        so.hashCachePath = tmp.filePath(QStringLiteral("hashes"));
        SyncJob job(context(ws.value()), so);
        auto sp = job.planNow();
        QVERIFY(sp.ok());
        QCOMPARE(sp.value().counts().countOf(PlanAction::Delete), 0);
        QCOMPARE(sp.value().counts().countOf(PlanAction::Keep), qint64(want.size()));
        emptyBucket();
    }

    void moltdeskWritesOverS3SeedRestoresThroughTheMount()
    {
        emptyBucket();
        QTemporaryDir tmp;
        const QString tree = tmp.filePath(QStringLiteral("tree"));
        TestTree::make(tree, 60, 0, 0);
        auto ws = s3Workspace(tmp.filePath(QStringLiteral("s3ws")), tree);
        QVERIFY(ws.ok());
        const JobResult r = sync(ws.value(), tmp.path());
        QVERIFY2(r.ok(), qPrintable(describe(r)));

        S3fsMount mount;
        QString err;
        const QString root = tmp.filePath(QStringLiteral("root"));
        QVERIFY2(mount.mount(m_server, QStringLiteral("dev"), bucketName,
                             root + QStringLiteral("/data/moltbot-development"), &err),
                 qPrintable(err));
        const QString home = tmp.filePath(QStringLiteral("home"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ENVIRONMENT"), dev);
        QCOMPARE(sh(QStringLiteral("bash '%1/tests/data/seed-restore.sh' '%2' '%3'")
                        .arg(qEnvironmentVariable("MOLTDESK_SOURCE_DIR"), root, home),
                    env),
                 0);
        mount.unmount();
        QMap<QString, QByteArray> got;
        const auto cfg =
            TestTree::digests(home + QStringLiteral("/.clawdbot"), {QStringLiteral(".last-sync")});
        for (auto it = cfg.cbegin(); it != cfg.cend(); ++it)
            got.insert(QStringLiteral("clawdbot/") + it.key(), it.value());
        got.insert(digestsUnder(home + QStringLiteral("/clawd"), QStringLiteral("skills")));
        QMap<QString, QByteArray> want = digestsUnder(tree, QStringLiteral("clawdbot"));
        want.insert(digestsUnder(tree, QStringLiteral("skills")));
        QCOMPARE(got, want);
        QFile stamp(home + QStringLiteral("/.clawdbot/.last-sync"));
        QVERIFY(stamp.open(QIODevice::ReadOnly));
        QCOMPARE(stamp.readAll(), r.lastSyncWritten);
        emptyBucket();
    }

    void mountModeTwiceSecondWritesNothing()
    {
        emptyBucket();
        QTemporaryDir tmp;
        const QString tree = tmp.filePath(QStringLiteral("tree"));
        TestTree::make(tree, 60, 0, 0);
        const int n = int(digestsUnder(tree, QStringLiteral("clawdbot")).size() +
                          digestsUnder(tree, QStringLiteral("skills")).size());
        const QString root = tmp.filePath(QStringLiteral("root"));
        S3fsMount mount;
        QString err;
        QVERIFY2(mount.mount(m_server, QStringLiteral("dev"), bucketName,
                             root + QStringLiteral("/data/moltbot-development"), &err),
                 qPrintable(err));
        auto ws =
            workspace(tmp.filePath(QStringLiteral("mws")), tree,
                      {{QStringLiteral("type"), QStringLiteral("mount")}, {QStringLiteral("root"), root}},
                      m_server.user(QStringLiteral("dev")));
        QVERIFY(ws.ok());

        const JobResult first = sync(ws.value(), tmp.path());
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        QCOMPARE(first.uploaded, n);
        const QMap<QString, QString> before = serverState();
        QCOMPARE(before.size(), n);

        QTest::qWait(1100); // Last-Modified has whole seconds: a rewrite now would show
        const JobResult second = sync(ws.value(), tmp.path());
        QVERIFY2(second.ok(), qPrintable(describe(second)));
        QCOMPARE(second.uploaded + second.replaced + second.deleted, 0);
        QCOMPARE(second.bytesTransferred, 0);
        QCOMPARE(serverState(), before); // no data object written again, by ETag and time

        // Three changed files: exactly those three re-written, once.
        QStringList touched;
        for (const QString &rel : TestTree::files(tree))
            if ((rel.startsWith(QLatin1String("clawdbot/")) || rel.startsWith(QLatin1String("skills/"))) &&
                touched.size() < 3 &&
                (touched.isEmpty() ||
                 rel.section(QLatin1Char('/'), 0, 0) != touched.last().section(QLatin1Char('/'), 0, 0) ||
                 touched.size() == 2))
                touched << rel;
        QCOMPARE(touched.size(), 3);
        for (const QString &rel : std::as_const(touched)) {
            QFile f(tree + QLatin1Char('/') + rel);
            QVERIFY(f.open(QIODevice::Append));
            f.write(QByteArray(10, 'x'));
        }
        const JobResult third = sync(ws.value(), tmp.path());
        QVERIFY2(third.ok(), qPrintable(describe(third)));
        QCOMPARE(third.replaced, 3);
        QCOMPARE(third.uploaded, 0);
        const QMap<QString, QString> after = serverState();
        int changed = 0;
        for (auto it = after.cbegin(); it != after.cend(); ++it)
            changed += before.value(it.key()) != it.value() ? 1 : 0;
        QCOMPARE(changed, 3);
        const JobResult fourth = sync(ws.value(), tmp.path());
        QCOMPARE(fourth.uploaded + fourth.replaced + fourth.deleted, 0);

        // Status knows what it is looking at.
        StorageFactory factory(ws.value());
        CredentialResolver resolver(ws.value().profile().path, nullptr, false);
        const EnvironmentStatus st =
            StatusCollector(ws.value(), resolver, factory).collect(ws.value().find(dev).value());
        QCOMPARE(st.mountKind, QStringLiteral("fuse.s3fs"));
        mount.unmount();
        emptyBucket();
    }
};

QTEST_GUILESS_MAIN(TestS3fsMount)
#include "tst_s3fs_mount.moc"
