// Comparing two environments' buckets: the pure classification, the comparer on real (mount-mode)
// buckets with their files changed on disk, and `moltctl compare` as a user runs it.
#include "BucketComparison.h"
#include "DemoWorkspace.h"
#include "EnvironmentComparer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

namespace {

ObjectInfo obj(const QString &key, qint64 size, const QByteArray &md5 = {})
{
    ObjectInfo o;
    o.key = key;
    o.size = size;
    o.md5 = md5;
    return o;
}

const CompareEntry *entry(const BucketComparison &c, const QString &key)
{
    for (const CompareEntry &e : c.entries) {
        if (e.key == key)
            return &e;
    }
    return nullptr;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_profile;

    QString bucketDir(const QString &env) const
    {
        return m_dir.filePath(QStringLiteral("demo/data/data/moltbot-") + env);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        auto created = DemoWorkspace::create(m_dir.filePath(QStringLiteral("demo")));
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        m_profile = created.value();
    }

    void classifiesEveryState()
    {
        const QList<ObjectInfo> a{obj(QStringLiteral("clawdbot/a.json"), 10, "aa"),
                                  obj(QStringLiteral("clawdbot/same.json"), 5, "55"),
                                  obj(QStringLiteral("clawdbot/size.json"), 5, "55"),
                                  obj(QStringLiteral("clawdbot/md5.json"), 5, "55"),
                                  obj(QStringLiteral("skills/big.bin"), 9, {})};
        const QList<ObjectInfo> b{obj(QStringLiteral("clawdbot/same.json"), 5, "55"),
                                  obj(QStringLiteral("clawdbot/size.json"), 6, "55"),
                                  obj(QStringLiteral("clawdbot/md5.json"), 5, "66"),
                                  obj(QStringLiteral("skills/big.bin"), 9, "99"),
                                  obj(QStringLiteral("top.txt"), 1, "11")};
        const BucketComparison c = BucketComparison::compute(a, b);
        QCOMPARE(c.entries.size(), 6);
        QCOMPARE(entry(c, QStringLiteral("clawdbot/a.json"))->state, CompareState::OnlyInA);
        QCOMPARE(entry(c, QStringLiteral("top.txt"))->state, CompareState::OnlyInB);
        QCOMPARE(entry(c, QStringLiteral("clawdbot/same.json"))->state, CompareState::Identical);
        QCOMPARE(entry(c, QStringLiteral("clawdbot/size.json"))->state, CompareState::Differ);
        QCOMPARE(entry(c, QStringLiteral("clawdbot/md5.json"))->state, CompareState::Differ);
        // Same size and a checksum on one side only: not proven equal, not called different.
        QCOMPARE(entry(c, QStringLiteral("skills/big.bin"))->state, CompareState::Unknown);
        QCOMPARE(c.totals.total(), 6);
        QCOMPARE(c.byPrefix.value(QStringLiteral("clawdbot/")).of(CompareState::Differ), 2);
        QCOMPARE(c.byPrefix.value(QStringLiteral("clawdbot/")).of(CompareState::OnlyInA), 1);
        QCOMPARE(c.byPrefix.value(QStringLiteral("skills/")).of(CompareState::Unknown), 1);
        QCOMPARE(c.byPrefix.value(QString()).of(CompareState::OnlyInB), 1);
        QVERIFY(!c.same());
        // The listings were not in key order: the entries are, whatever order they came in.
        for (qsizetype i = 1; i < c.entries.size(); ++i)
            QVERIFY(c.entries.at(i - 1).key < c.entries.at(i).key);
        QCOMPARE(entry(c, QStringLiteral("skills/big.bin"))->a.md5, QByteArray());
        QCOMPARE(entry(c, QStringLiteral("skills/big.bin"))->b.md5, QByteArray("99"));
    }

    void controlKeysAndFolderObjectsAreNotData()
    {
        const QList<ObjectInfo> a{obj(QStringLiteral(".last-sync"), 25, "aa"),
                                  obj(QStringLiteral(".moltdesk-environment"), 40, "bb"),
                                  obj(QStringLiteral("clawdbot/"), 0, "d41d8cd98f00b204e9800998ecf8427e"),
                                  obj(QStringLiteral("clawdbot/devices_$folder$"), 0, {}),
                                  obj(QStringLiteral("clawdbot/x"), 1, "11")};
        const QList<ObjectInfo> b{obj(QStringLiteral(".last-sync"), 25, "cc"),
                                  obj(QStringLiteral("clawdbot/x"), 1, "11")};
        const BucketComparison c = BucketComparison::compute(a, b);
        QCOMPARE(c.entries.size(), 1);
        QVERIFY(c.same());
    }

    void sensitiveIdenticalFilesAreMarked()
    {
        const QList<ObjectInfo> a{obj(QStringLiteral("clawdbot/clawdbot.json"), 50, "ab"),
                                  obj(QStringLiteral("clawdbot/devices/paired.json"), 30, "cd"),
                                  obj(QStringLiteral("skills/s.md"), 30, "ef")};
        const BucketComparison c = BucketComparison::compute(a, a);
        QCOMPARE(c.sensitiveIdentical, 2);
        QVERIFY(entry(c, QStringLiteral("clawdbot/devices/paired.json"))->sensitive);
        QVERIFY(!entry(c, QStringLiteral("skills/s.md"))->sensitive);
        QCOMPARE(c.toJson().value(QLatin1String("sensitiveIdentical")).toInt(), 2);
    }

    // Mount-mode listings carry no checksum: equal sizes are settled by reading both files.
    void comparerHashesWhatTheListingCannotSettle()
    {
        auto ws = Workspace::open(m_profile);
        QVERIFY(ws.ok());
        writeFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/skills/twin.md"), "same bytes");
        writeFile(bucketDir(QStringLiteral("production")) + QStringLiteral("/skills/twin.md"), "same bytes");
        writeFile(bucketDir(QStringLiteral("development")) + QStringLiteral("/skills/fake.md"), "abcdefgh");
        writeFile(bucketDir(QStringLiteral("production")) + QStringLiteral("/skills/fake.md"), "abcdefgX");
        const CredentialResolver resolver(m_profile, nullptr, false);
        const EnvironmentComparer comparer(ws.value(), resolver);
        const auto dev = ws.value().find(QStringLiteral("development"));
        const auto prod = ws.value().find(QStringLiteral("production"));
        // More same-size pairs than the comparer reads at once, one of them different in a later batch.
        for (int i = 0; i < 70; ++i) {
            const QString name = QStringLiteral("/skills/batch/n%1.md").arg(i, 2, 10, QLatin1Char('0'));
            writeFile(bucketDir(QStringLiteral("development")) + name,
                      QByteArray::number(i).rightJustified(8));
            writeFile(bucketDir(QStringLiteral("production")) + name,
                      QByteArray::number(i == 66 ? 99 : i).rightJustified(8));
        }
        const Result<BucketComparison> c = comparer.compare(dev.value(), prod.value());
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        for (int i = 0; i < 70; ++i) {
            const CompareEntry *e =
                entry(c.value(), QStringLiteral("skills/batch/n%1.md").arg(i, 2, 10, QLatin1Char('0')));
            QVERIFY(e);
            QCOMPARE(e->state, i == 66 ? CompareState::Differ : CompareState::Identical);
            QCOMPARE(e->a.md5.size(), 32);
            QCOMPARE(e->a.md5 == e->b.md5, i != 66);
        }
        QCOMPARE(c.value().byPrefix.value(QStringLiteral("skills/")).of(CompareState::Unknown), 0);
        QVERIFY(c.value().byPrefix.value(QStringLiteral("skills/")).of(CompareState::Identical) >= 70);
        QCOMPARE(entry(c.value(), QStringLiteral("skills/fake.md"))->state, CompareState::Differ);
        QCOMPARE(c.value().totals.of(CompareState::Unknown), 0);
        QVERIFY(c.value().nameA.contains(QLatin1String("moltbot-data-development")));
    }

    void sameBucketAndUnreadableBucketAreErrors()
    {
        auto ws = Workspace::open(m_profile);
        QVERIFY(ws.ok());
        const CredentialResolver resolver(m_profile, nullptr, false);
        const EnvironmentComparer comparer(ws.value(), resolver);
        const auto dev = ws.value().find(QStringLiteral("development"));
        const auto prod = ws.value().find(QStringLiteral("production"));
        const auto same = comparer.compare(dev.value(), dev.value());
        QVERIFY(!same.ok());
        QCOMPARE(same.error().kind, ErrorKind::InvalidInput);
        // A bucket that cannot be listed is an error, never an empty side ("all only in A").
        const QString moved = bucketDir(QStringLiteral("production")) + QStringLiteral(".away");
        QVERIFY(QDir().rename(bucketDir(QStringLiteral("production")), moved));
        const auto gone = comparer.compare(dev.value(), prod.value());
        QVERIFY(QDir().rename(moved, bucketDir(QStringLiteral("production"))));
        QVERIFY(!gone.ok());
    }

    void moltctlCompare()
    {
        const QString moltctl = qEnvironmentVariable("MOLTCTL");
        QVERIFY(QFileInfo::exists(moltctl));
        auto run = [&](const QStringList &args, int expected) {
            QProcess p;
            p.start(moltctl, QStringList{QStringLiteral("--profile"), m_profile} + args);
            [&] { QVERIFY(p.waitForFinished(60000)); }();
            const QByteArray err = p.readAllStandardError();
            [&] { QVERIFY2(p.exitCode() == expected, err.constData()); }();
            return p.readAllStandardOutput();
        };
        const QByteArray out = run({QStringLiteral("compare"), QStringLiteral("development"),
                                    QStringLiteral("production"), QStringLiteral("--json")},
                                   0);
        const QJsonObject doc = QJsonDocument::fromJson(out).object();
        const QJsonObject counts = doc.value(QLatin1String("counts")).toObject();
        QVERIFY(counts.value(QLatin1String("identical")).toInt() >= 1); // twin.md from the test above
        QVERIFY(counts.value(QLatin1String("differ")).toInt() >= 1);
        QVERIFY(doc.value(QLatin1String("prefixes")).toObject().contains(QLatin1String("skills/")));
        QVERIFY(!doc.value(QLatin1String("entries")).toArray().isEmpty());
        const QByteArray text =
            run({QStringLiteral("compare"), QStringLiteral("legacy"), QStringLiteral("development")}, 0);
        QVERIFY(text.contains("total: only in A"));
        run({QStringLiteral("compare"), QStringLiteral("development"), QStringLiteral("development")}, 2);
        run({QStringLiteral("compare"), QStringLiteral("development"), QStringLiteral("staging")}, 2);
        run({QStringLiteral("compare"), QStringLiteral("development")}, 2);
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
