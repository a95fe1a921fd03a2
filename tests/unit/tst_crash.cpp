// moltctl killed with SIGKILL at several points of a sync, a restore and a migration (mount mode).
// Afterwards: the bucket never carries a .last-sync newer than its data; the restore target holds
// whole old or whole new files, never half-written ones; the legacy bucket is untouched; and a re-run
// converges to the intended state.
#include "TestTree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk::test;

class TestCrash : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_profile;
    int m_killed = 0;

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
        p.start(qEnvironmentVariable("MOLTCTL"), QStringList{QStringLiteral("--profile"), m_profile} + args);
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
        p.start(qEnvironmentVariable("MOLTCTL"), QStringList{QStringLiteral("--profile"), m_profile} + args);
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
        m_profile = m_dir.filePath(QStringLiteral("profile.json"));
        QFile f(m_profile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(
                    QJsonObject{
                        {QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                        {QStringLiteral("storage"),
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                     {QStringLiteral("root"), QStringLiteral("data")}}},
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
        QDir().mkpath(bucket(QStringLiteral("development")));
        QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
    }

    void killedSync()
    {
        for (int ms : {20, 60, 150, 300, 600}) {
            const QByteArray stampBefore =
                readFile(bucket(QStringLiteral("development")) + QStringLiteral("/.last-sync"));
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
                readFile(bucket(QStringLiteral("development")) + QStringLiteral("/.last-sync"));
            if (stampAfter != stampBefore) // a new stamp is only allowed over complete data
                QCOMPARE(data(bucket(QStringLiteral("development"))), source);
            QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
            QCOMPARE(data(bucket(QStringLiteral("development"))), source);
            QVERIFY(readFile(bucket(QStringLiteral("development")) + QStringLiteral("/.last-sync")) !=
                    stampBefore);
        }
    }

    void killedRestore()
    {
        const QString target = m_dir.filePath(QStringLiteral("target"));
        for (int ms : {20, 60, 150, 300, 600}) {
            // The target holds an old restore; the bucket something newer.
            QDir(target).removeRecursively();
            QCOMPARE(run({QStringLiteral("restore"), QStringLiteral("development"), QStringLiteral("--to"),
                          target}),
                     0);
            const auto oldFiles = data(target);
            TestTree::touch(tree(), 100, ms + 1);
            QTest::qWait(1100);
            QCOMPARE(run({QStringLiteral("sync"), QStringLiteral("development")}), 0);
            const auto newFiles = data(bucket(QStringLiteral("development")));
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
        TestTree::make(bucket(QString()), 1500, 3, 4);
        QFile f(bucket(QString()) + QStringLiteral("/.last-sync"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("2026-02-03T18:02:11+00:00\n");
        f.close();
        const auto legacy = TestTree::digests(bucket(QString()));
        QDir().mkpath(bucket(QStringLiteral("staging")));
        // A fresh environment to migrate into: add it to the profile.
        QJsonObject p = QJsonDocument::fromJson(readFile(m_profile)).object();
        p.insert(QStringLiteral("environments"),
                 QJsonArray{QStringLiteral("development"), QStringLiteral("staging")});
        QFile pf(m_profile);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(QJsonDocument(p).toJson());
        pf.close();
        for (int ms : {20, 80, 200}) {
            runAndKill({QStringLiteral("migrate"), QStringLiteral("staging"), QStringLiteral("--concurrency"),
                        QStringLiteral("1")},
                       ms);
            QCOMPARE(TestTree::digests(bucket(QString())), legacy); // the source is untouched
            QVERIFY(!QFileInfo::exists(bucket(QStringLiteral("staging")) + QStringLiteral("/.last-sync")) ||
                    data(bucket(QStringLiteral("staging"))) == data(bucket(QString())));
        }
        QCOMPARE(run({QStringLiteral("migrate"), QStringLiteral("staging")}), 0);
        QCOMPARE(data(bucket(QStringLiteral("staging"))), data(bucket(QString())));
        QCOMPARE(readFile(bucket(QStringLiteral("staging")) + QStringLiteral("/.last-sync")),
                 QByteArray("2026-02-03T18:02:11+00:00\n"));
        QCOMPARE(TestTree::digests(bucket(QString())), legacy);
    }

    void cleanupTestCase()
    {
        qInfo("processes killed with SIGKILL mid-operation: %d", m_killed);
        QVERIFY(m_killed >= 9); // the scenarios really interrupted work
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
