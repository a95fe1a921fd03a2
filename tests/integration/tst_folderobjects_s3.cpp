// Buckets written through s3fs, on the real S3 server: the zero-byte folder objects s3fs creates
// ("clawdbot/", "clawdbot/devices/", ...; very old s3fs "<name>_$folder$") are folders everywhere:
// status does not count them, restore neither writes nor warns about them, sync never deletes them,
// migration and the audit's leftover check ignore them, and the browser shows them as folders.
#include "EngineFixture.h"
#include "IsolationAudit.h"
#include "StatusCollector.h"

#include <QStandardPaths>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestFolderObjectsS3 : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    static const inline QString dev = QStringLiteral("development");
    static const inline QString prod = QStringLiteral("production");

    // What s3fs leaves behind when the seed's rsync writes the tree through a mount.
    static QStringList folderObjectsFor(const QString &root, const QString &legacyForm = {})
    {
        QSet<QString> folders;
        for (const QString &rel : TestTree::files(root)) {
            const QStringList parts = rel.split(QLatin1Char('/'));
            QString acc;
            for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
                acc += parts.at(i) + QLatin1Char('/');
                folders.insert(acc);
            }
        }
        QStringList out(folders.cbegin(), folders.cend());
        if (!legacyForm.isEmpty())
            out << legacyForm + QStringLiteral("_$folder$");
        out.sort();
        return out;
    }
    static bool putAll(const EngineFixture &fx, const QString &env, const QStringList &keys)
    {
        for (const QString &k : keys)
            if (!fx.put(env, k, QByteArray()))
                return false;
        return true;
    }
    static QStringList folderKeys(const EngineFixture &fx, const QString &env)
    {
        QStringList out;
        auto l = fx.bucket(env)->list(ListRequest{}).result();
        if (l.ok())
            for (const ObjectInfo &o : l.value().folderObjects)
                out << o.key;
        out.sort();
        return out;
    }
    EnvironmentStatus status(const EngineFixture &fx, const QString &env) const
    {
        EnvironmentStatus s;
        s.names = fx.workspace->find(env).value();
        return StatusCollector::collectFrom(*fx.bucket(env), s, 24, {});
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("MOLTDESK_ENGINE_STORAGE", "s3");
        MOLTDESK_REQUIRE_SERVER(m_server);
    }

    void statusSyncRestoreIgnoreFolders()
    {
        EngineFixture fx;
        fx.server = &m_server;
        QVERIFY(fx.createStorage({dev, prod}));
        TestTree::make(fx.tree(), 60, 0, 0);
        const int n = int(TestTree::files(fx.tree()).size());
        const JobResult first = fx.sync(dev);
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        const EnvironmentStatus before = status(fx, dev);

        const QStringList folders = folderObjectsFor(fx.tree(), QStringLiteral("skills"));
        QVERIFY(folders.size() > 5);
        QVERIFY(putAll(fx, dev, folders));
        QCOMPARE(folderKeys(fx, dev), folders);

        // Status: the same objects and bytes as without them, per prefix too.
        const EnvironmentStatus after = status(fx, dev);
        QCOMPARE(after.objects, before.objects);
        QCOMPARE(after.bytes, before.bytes);
        QCOMPARE(after.prefixes.size(), before.prefixes.size());
        for (qsizetype i = 0; i < after.prefixes.size(); ++i)
            QCOMPARE(after.prefixes[i].objects, before.prefixes[i].objects);

        // Sync: nothing to do, and above all nothing to delete; then a deleted file deletes one object.
        {
            SyncJob job(fx.context(dev), fx.syncOptions());
            auto plan = job.planNow();
            QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
            QCOMPARE(plan.value().counts().countOf(PlanAction::Delete), 0);
            QCOMPARE(plan.value().counts().countOf(PlanAction::Keep), n);
        }
        QVERIFY(QFile::remove(fx.tree() + QStringLiteral("/clawdbot/devices/paired.json")));
        const JobResult second = fx.sync(dev);
        QVERIFY2(second.ok(), qPrintable(describe(second)));
        QCOMPARE(second.deleted, 1);
        QCOMPARE(folderKeys(fx, dev), folders); // clawdbot/devices/ stays: the mount keeps its folder

        // Restore: every file, no folder turned into a file, no warning about them.
        RestoreJob job(fx.context(dev),
                       RestoreOptions{fx.dir.filePath(QStringLiteral("restored")), false, {}});
        auto plan = job.planNow();
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
        QVERIFY2(plan.value().warnings.isEmpty(), qPrintable(plan.value().warnings.join(QLatin1Char('\n'))));
        for (const PlanItem &i : plan.value().items)
            QVERIFY2(!i.key.endsWith(QLatin1Char('/')) && !i.key.endsWith(QLatin1String("_$folder$")),
                     qPrintable(i.key));
        const JobResult restored = job.applyNow();
        QVERIFY2(restored.ok(), qPrintable(describe(restored)));
        QCOMPARE(restored.downloaded, n - 1);
        QCOMPARE(
            TestTree::digests(fx.dir.filePath(QStringLiteral("restored")), {QStringLiteral(".last-sync")}),
            TestTree::digests(fx.tree()));

        QVERIFY(fx.emptyBucket(dev));
        QVERIFY(folderKeys(fx, dev).isEmpty());
    }

    void browserShowsFolders()
    {
        EngineFixture fx;
        fx.server = &m_server;
        QVERIFY(fx.createStorage({dev, prod}));
        QVERIFY(putAll(fx, dev,
                       {QStringLiteral("clawdbot/"), QStringLiteral("clawdbot/devices/"),
                        QStringLiteral("clawdbot/devices/paired.json"), QStringLiteral("skills_$folder$"),
                        QStringLiteral("empty/")}));
        QVERIFY(fx.put(dev, QStringLiteral("clawdbot/clawdbot.json"), "{}"));
        auto root = fx.bucket(dev)->list(ListRequest{{}, QStringLiteral("/"), 0}).result();
        QVERIFY(root.ok());
        QVERIFY(root.value().objects.isEmpty());
        QCOMPARE(
            root.value().commonPrefixes,
            QStringList({QStringLiteral("clawdbot/"), QStringLiteral("empty/"), QStringLiteral("skills/")}));
        auto inside =
            fx.bucket(dev)->list(ListRequest{QStringLiteral("clawdbot/"), QStringLiteral("/"), 0}).result();
        QVERIFY(inside.ok());
        QCOMPARE(inside.value().objects.size(), 1);
        QCOMPARE(inside.value().objects.first().key, QStringLiteral("clawdbot/clawdbot.json"));
        QCOMPARE(inside.value().commonPrefixes, QStringList{QStringLiteral("clawdbot/devices/")});
        QVERIFY(fx.emptyBucket(dev));
    }

    void migrationAndAuditIgnoreFolders()
    {
        EngineFixture fx;
        fx.server = &m_server;
        QVERIFY(fx.createStorage({dev, prod}, true));
        // A legacy bucket written through s3fs: folders, and only folders, in the destination too.
        TestTree::make(fx.tree(), 30, 0, 0);
        QVERIFY(fx.fill(QString(), fx.tree()));
        const QStringList folders = folderObjectsFor(fx.tree(), QStringLiteral("old"));
        QVERIFY(putAll(fx, QString(), folders));
        QVERIFY(putAll(fx, dev, {QStringLiteral("clawdbot/"), QStringLiteral("clawdbot_$folder$")}));
        const int n = int(TestTree::files(fx.tree()).size());

        MigrationJob job(fx.context(dev), MigrationOptions{});
        auto plan = job.planNow();
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
        QVERIFY(!plan.value().refusal);
        QCOMPARE(plan.value().counts().countOf(PlanAction::Conflict), 0);
        QCOMPARE(plan.value().counts().countOf(PlanAction::Copy), n);
        const JobResult migrated = job.applyNow();
        QVERIFY2(migrated.ok(), qPrintable(describe(migrated)));
        QCOMPARE(migrated.copied, n);
        QCOMPARE(folderKeys(fx, QString()), folders); // the source is never modified

        // A legacy bucket holding only folder objects holds no data to migrate.
        QVERIFY(fx.emptyBucket(QString()));
        QVERIFY(putAll(fx, QString(), folders));
        CredentialResolver resolver(fx.profilePath, nullptr, false);
        const AuditReport report = IsolationAudit(*fx.workspace, resolver).run();
        bool sawLeftover = false;
        for (const Finding &f : report.findings) {
            if (f.check != QLatin1String("leftover"))
                continue;
            sawLeftover = true;
            QVERIFY2(f.severity == Severity::Ok, qPrintable(f.title + QStringLiteral(": ") + f.evidence));
        }
        QVERIFY(sawLeftover);
        for (const QString &e : {QString(), dev, prod})
            QVERIFY(fx.emptyBucket(e));
    }
};

QTEST_GUILESS_MAIN(TestFolderObjectsS3)
#include "tst_folderobjects_s3.moc"
