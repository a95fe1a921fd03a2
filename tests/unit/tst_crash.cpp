// moltctl killed with SIGKILL at several points of a sync, a restore and a migration, on mount-mode
// storage (tst_crash) and on the real S3 server (tst_crash_s3, MOLTDESK_ENGINE_STORAGE=s3).
// Afterwards: the bucket never carries a .last-sync newer than its data; the restore target holds
// whole old or whole new files, never half-written ones; the legacy bucket is untouched; and a re-run
// converges to the intended state. Buckets are read independently of moltctl: the directory, or a
// fresh listing whose ETags are the server's own MD5 of each object (all are single-part here).
#include "S3Storage.h"
#include "TestServer.h"
#include "TestTree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using namespace moltdesk::test;

class TestCrash : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_profile;
    int m_killed = 0;
    TestServer m_server;
    const bool m_s3 = qEnvironmentVariable("MOLTDESK_ENGINE_STORAGE") == QLatin1String("s3");
    // When to kill, in ms after start: S3 work takes longer to get going than a local copy.
    QList<int> syncKills() const
    {
        return m_s3 ? QList<int>{40, 300, 900, 1800, 3500} : QList<int>{20, 60, 150, 300, 600};
    }
    QList<int> migrateKills() const { return m_s3 ? QList<int>{300, 1200, 3000} : QList<int>{20, 80, 200}; }

    static QString bucketName(const QString &env)
    {
        return env.isEmpty() ? QStringLiteral("moltbot-data") : QStringLiteral("moltbot-data-") + env;
    }
    std::unique_ptr<S3Storage> admin(const QString &env) const
    {
        S3Config c;
        c.endpoint = m_server.endpoint();
        c.bucket = bucketName(env);
        c.accessKeyId = m_server.user(QStringLiteral("admin")).accessKeyId;
        c.secretAccessKey = m_server.user(QStringLiteral("admin")).secret;
        return std::make_unique<S3Storage>(c);
    }
    // A small object of the bucket (.last-sync), empty when absent.
    QByteArray bucketFile(const QString &env, const QString &key) const
    {
        if (!m_s3)
            return readFile(bucket(env) + QLatin1Char('/') + key);
        auto r = admin(env)->getBytes(key).result();
        return r.ok() ? r.value() : QByteArray();
    }
    bool bucketHas(const QString &env, const QString &key) const
    {
        return m_s3 ? admin(env)->headObject(key).result().ok()
                    : QFileInfo::exists(bucket(env) + QLatin1Char('/') + key);
    }
    // key -> MD5 of everything in the bucket, markers and temporary files aside.
    QMap<QString, QByteArray> bucketData(const QString &env, bool withLastSync = false) const
    {
        if (!m_s3) {
            auto d = data(bucket(env));
            if (withLastSync && QFileInfo::exists(bucket(env) + QStringLiteral("/.last-sync")))
                d.insert(QStringLiteral(".last-sync"),
                         QCryptographicHash::hash(readFile(bucket(env) + QStringLiteral("/.last-sync")),
                                                  QCryptographicHash::Md5)
                             .toHex());
            return d;
        }
        QMap<QString, QByteArray> out;
        auto l = admin(env)->list(ListRequest{}).result();
        if (!l.ok())
            return {{QStringLiteral("<listing failed>"), l.error().toString().toUtf8()}};
        for (const ObjectInfo &o : l.value().objects) {
            if ((!withLastSync && o.key == QLatin1String(".last-sync")) ||
                o.key == QLatin1String(".moltdesk-environment") || o.key == QLatin1String(".migrated-from"))
                continue;
            out.insert(o.key, o.etag.toLower());
        }
        return out;
    }
    void emptyBucket(const QString &env)
    {
        if (!m_s3) {
            QDir(bucket(env)).removeRecursively();
            QDir().mkpath(bucket(env));
            return;
        }
        auto s = admin(env);
        auto l = s->list(ListRequest{}).result();
        QVERIFY(l.ok());
        QStringList keys;
        for (const ObjectInfo &o : l.value().objects)
            keys << o.key;
        if (!keys.isEmpty())
            QVERIFY(s->remove(keys).result().value().failed.isEmpty());
    }
    // Puts a local tree into an S3 bucket as it is (the legacy bucket's content).
    void fillBucket(const QString &env, const QString &root)
    {
        auto s = admin(env);
        QList<QFuture<Result<ObjectInfo>>> pending;
        for (const QString &rel : TestTree::files(root)) {
            pending << s->upload(rel, root + QLatin1Char('/') + rel);
            if (pending.size() == 16) {
                for (auto &f : pending)
                    QVERIFY(f.result().ok());
                pending.clear();
            }
        }
        for (auto &f : pending)
            QVERIFY(f.result().ok());
    }

    QString tree() const { return m_dir.filePath(QStringLiteral("tree")); }
    QString bucket(const QString &env) const
    {
        return m_dir.filePath(QStringLiteral("data/data/moltbot") +
                              (env.isEmpty() ? QString() : QLatin1Char('-') + env));
    }
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        e.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("xdg-cache")));
        return e;
    }
    int run(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--profile"), m_profile, QStringLiteral("--no-keychain")} + args);
        p.waitForFinished(300000);
        if (p.exitCode() != 0)
            qWarning().noquote() << p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    // Starts the command and kills it with SIGKILL after `ms`; true when it was still running.
    bool runAndKill(const QStringList &args, int ms)
    {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--profile"), m_profile, QStringLiteral("--no-keychain")} + args);
        p.waitForStarted();
        const bool finished = p.waitForFinished(ms);
        if (!finished) {
            p.kill(); // SIGKILL: no handler, no cleanup
            p.waitForFinished();
            ++m_killed;
        }
        return !finished;
    }
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // The objects a bucket or target holds: markers aside, and without the temporary files a killed
    // writer leaves (never listed as objects, never renamed into place).
    static QMap<QString, QByteArray> data(const QString &root)
    {
        auto d =
            TestTree::digests(root, {QStringLiteral(".last-sync"), QStringLiteral(".moltdesk-environment"),
                                     QStringLiteral(".migrated-from")});
        for (auto it = d.begin(); it != d.end();)
            it = it.key().contains(QLatin1String("/.moltdesk-tmp-")) ||
                         it.key().startsWith(QLatin1String(".moltdesk-tmp-"))
                     ? d.erase(it)
                     : std::next(it);
        return d;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFileInfo::exists(qEnvironmentVariable("MOLTCTL")));
        QJsonObject storage{{QStringLiteral("type"), QStringLiteral("mount")},
                            {QStringLiteral("root"), QStringLiteral("data")}};
        if (m_s3) {
            MOLTDESK_REQUIRE_SERVER(m_server);
            storage = QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                  {QStringLiteral("endpoint"), m_server.endpoint().toString()}};
            // One key pair for every bucket: the migration copies server-side (the streamed path is
            // killed in tst_reliability_s3's runs and covered by tst_engine_s3).
            for (const char *name : {".dev.vars", ".dev.vars.development", ".dev.vars.staging"}) {
                QFile v(m_dir.filePath(QLatin1String(name)));
                QVERIFY(v.open(QIODevice::WriteOnly));
                v.write(QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n")
                            .arg(m_server.user(QStringLiteral("admin")).accessKeyId,
                                 m_server.user(QStringLiteral("admin")).secret)
                            .toUtf8());
            }
            for (const QString &e : {QString(), QStringLiteral("development"), QStringLiteral("staging")})
                emptyBucket(e);
        }
        qInfo("SIGKILL scenarios on %s", m_s3 ? "the real S3 server" : "mount-mode storage");
        m_profile = m_dir.filePath(QStringLiteral("profile.json"));
        QFile f(m_profile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(
                    QJsonObject{
                        {QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                        {QStringLiteral("storage"), storage},
                        {QStringLiteral("syncSets"),
                         QJsonArray{QJsonObject{{QStringLiteral("local"), QStringLiteral("tree/clawdbot")},
                                                {QStringLiteral("prefix"), QStringLiteral("clawdbot/")}},
                                    QJsonObject{{QStringLiteral("local"), QStringLiteral("tree/workspace")},
                                                {QStringLiteral("prefix"), QStringLiteral("workspace/")}},
                                    QJsonObject{{QStringLiteral("local"), QStringLiteral("tree/skills")},
                                                {QStringLiteral("prefix"), QStringLiteral("skills/")}}}}})
                    .toJson());
        f.close();
        TestTree::make(tree(), 3000, 5, 4);
        if (!m_s3)
            QDir().mkpath(bucket(QStringLiteral("development")));
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
    }

    void killedSync()
    {
        for (int ms : syncKills()) {
            const QByteArray stampBefore =
                bucketFile(QStringLiteral("development"), QStringLiteral(".last-sync"));
            QTest::qWait(1100); // a new stamp would differ by at least a second
            TestTree::touch(tree(), 200, ms);
            const QStringList files = TestTree::files(tree() + QStringLiteral("/skills"));
            for (int i = 0; i < 3; ++i)
                QFile::remove(tree() + QStringLiteral("/skills/") + files.at(i * 7));
            const auto source = [&] {
                QMap<QString, QByteArray> all;
                for (const char *p : {"clawdbot", "workspace", "skills"}) {
                    const auto d = TestTree::digests(tree() + QLatin1Char('/') + QLatin1String(p));
                    for (auto it = d.cbegin(); it != d.cend(); ++it)
                        all.insert(QLatin1String(p) + QLatin1Char('/') + it.key(), it.value());
                }
                return all;
            }();
            runAndKill({QStringLiteral("sync"), QStringLiteral("development"),
                        QStringLiteral("--concurrency"), QStringLiteral("1")},
                       ms);
            const QByteArray stampAfter =
                bucketFile(QStringLiteral("development"), QStringLiteral(".last-sync"));
            if (stampAfter != stampBefore) // a new stamp is only allowed over complete data
                QCOMPARE(bucketData(QStringLiteral("development")), source);
            QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
            QCOMPARE(bucketData(QStringLiteral("development")), source);
            QVERIFY(bucketFile(QStringLiteral("development"), QStringLiteral(".last-sync")) != stampBefore);
        }
    }

    void killedRestore()
    {
        const QString target = m_dir.filePath(QStringLiteral("target"));
        for (int ms : syncKills()) {
            // The target holds an old restore; the bucket something newer.
            QDir(target).removeRecursively();
            QCOMPARE(run({QStringLiteral("restore"), QStringLiteral("development"), QStringLiteral("--to"),
                          target}),
                     0);
            const auto oldFiles = data(target);
            TestTree::touch(tree(), 100, ms + 1);
            QTest::qWait(1100);
            QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
            const auto newFiles = bucketData(QStringLiteral("development"));
            QVERIFY(oldFiles != newFiles);
            runAndKill({QStringLiteral("restore"), QStringLiteral("development"), QStringLiteral("--to"),
                        target, QStringLiteral("--concurrency"), QStringLiteral("1")},
                       ms);
            // Every file there is a whole old or a whole new one.
            const auto now = TestTree::digests(target);
            for (auto it = now.cbegin(); it != now.cend(); ++it) {
                if (it.key().startsWith(QLatin1String(".moltdesk-")) ||
                    it.key() == QLatin1String(".last-sync"))
                    continue; // staging and journal: outside the data folders
                QVERIFY2(oldFiles.value(it.key()) == it.value() || newFiles.value(it.key()) == it.value(),
                         qPrintable(it.key()));
            }
            QCOMPARE(run({QStringLiteral("restore"), QStringLiteral("development"), QStringLiteral("--to"),
                          target}),
                     0);
            QCOMPARE(data(target), newFiles);
            const QStringList leftovers =
                QDir(target).entryList({QStringLiteral(".moltdesk-*")}, QDir::Hidden | QDir::AllEntries);
            QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
        }
    }

    void killedMigration()
    {
        const QString legacySource = m_s3 ? m_dir.filePath(QStringLiteral("legacy-src")) : bucket(QString());
        TestTree::make(legacySource, 1500, 3, 4);
        QFile f(legacySource + QStringLiteral("/.last-sync"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("2026-02-03T18:02:11+00:00\n");
        f.close();
        if (m_s3)
            fillBucket(QString(), legacySource);
        const auto legacy = bucketData(QString(), true);
        QCOMPARE(int(legacy.size()), int(TestTree::files(legacySource).size()));
        emptyBucket(QStringLiteral("staging"));
        // A fresh environment to migrate into: add it to the profile.
        QJsonObject p = QJsonDocument::fromJson(readFile(m_profile)).object();
        p.insert(QStringLiteral("environments"),
                 QJsonArray{QStringLiteral("development"), QStringLiteral("staging")});
        QFile pf(m_profile);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(QJsonDocument(p).toJson());
        pf.close();
        for (int ms : migrateKills()) {
            runAndKill({QStringLiteral("migrate"), QStringLiteral("staging"), QStringLiteral("--concurrency"),
                        QStringLiteral("1")},
                       ms);
            QCOMPARE(bucketData(QString(), true), legacy); // the source is untouched
            QVERIFY(!bucketHas(QStringLiteral("staging"), QStringLiteral(".last-sync")) ||
                    bucketData(QStringLiteral("staging")) == bucketData(QString()));
        }
        QCOMPARE(run({QStringLiteral("migrate"), QStringLiteral("staging")}), 0);
        QCOMPARE(bucketData(QStringLiteral("staging")), bucketData(QString()));
        QCOMPARE(bucketFile(QStringLiteral("staging"), QStringLiteral(".last-sync")),
                 QByteArray("2026-02-03T18:02:11+00:00\n"));
        QCOMPARE(bucketData(QString(), true), legacy);
    }

    void cleanupTestCase()
    {
        qInfo("processes killed with SIGKILL mid-operation: %d", m_killed);
        QVERIFY(m_killed >= 9); // the scenarios really interrupted work
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
