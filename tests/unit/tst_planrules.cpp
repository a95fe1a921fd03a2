// The plan's decisions as pure functions (core/engine/PlanRules), each checked row by row: a local
// file against the listing, the sync guards (empty source, delete limit, cross-wired or unreadable
// marker), the restore's newer-than rule and the backup's layout.
#include "IdentityMarker.h"
#include "Plan.h"
#include "PlanRules.h"

#include <QTest>

using namespace moltdesk;
using namespace moltdesk::PlanRules;

Q_DECLARE_METATYPE(moltdesk::PlanRules::FileDiff)

namespace {
const QByteArray md5A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const QByteArray md5B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

EnvironmentNames env(const QString &name)
{
    EnvironmentNames e;
    e.environment = name;
    e.bucket = QStringLiteral("moltbot-data-") + name;
    return e;
}

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

QStringList strs(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << str(s);
    return out;
}

QDateTime at(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
}
} // namespace

class TestPlanRules : public QObject
{
    Q_OBJECT
private slots:
    void diffFile_data()
    {
        QTest::addColumn<qint64>("localSize");
        QTest::addColumn<QByteArray>("localMd5");
        QTest::addColumn<bool>("inBucket");
        QTest::addColumn<qint64>("remoteSize");
        QTest::addColumn<QByteArray>("remoteMd5");
        QTest::addColumn<FileDiff>("expected");
        QTest::newRow("new file") << 5LL << QByteArray() << false << 0LL << QByteArray() << FileDiff::Upload;
        QTest::newRow("new file, digest known")
            << 5LL << md5A << false << 0LL << QByteArray() << FileDiff::Upload;
        QTest::newRow("size differs") << 5LL << md5A << true << 6LL << md5A << FileDiff::Replace;
        QTest::newRow("same digest") << 5LL << md5A << true << 5LL << md5A << FileDiff::Keep;
        QTest::newRow("other digest") << 5LL << md5A << true << 5LL << md5B << FileDiff::Replace;
        QTest::newRow("local digest unknown")
            << 5LL << QByteArray() << true << 5LL << md5B << FileDiff::HashFirst;
        QTest::newRow("bucket states none")
            << 5LL << md5A << true << 5LL << QByteArray() << FileDiff::ReplaceUnproven;
        QTest::newRow("neither knows")
            << 5LL << QByteArray() << true << 5LL << QByteArray() << FileDiff::ReplaceUnproven;
    }
    void diffFile()
    {
        QFETCH(qint64, localSize);
        QFETCH(QByteArray, localMd5);
        QFETCH(bool, inBucket);
        QFETCH(qint64, remoteSize);
        QFETCH(QByteArray, remoteMd5);
        QFETCH(FileDiff, expected);
        ObjectInfo remote;
        remote.key = QStringLiteral("k");
        remote.size = remoteSize;
        QCOMPARE(PlanRules::diffFile(localSize, localMd5, inBucket ? &remote : nullptr, remoteMd5), expected);
    }

    void unchangedByTime_data()
    {
        QTest::addColumn<bool>("keepsTimes");
        QTest::addColumn<qint64>("remoteSize");
        QTest::addColumn<qint64>("remoteMs");
        QTest::addColumn<bool>("expected");
        // The local file: 10 bytes, mtime 1,700,000,000,123.456789 ms.
        QTest::newRow("mount, same size and ms") << true << 10LL << 1700000000123LL << true;
        QTest::newRow("mount, other ms") << true << 10LL << 1700000000124LL << false;
        QTest::newRow("mount, other size") << true << 11LL << 1700000000123LL << false;
        QTest::newRow("S3 keeps no times") << false << 10LL << 1700000000123LL << false;
    }
    void unchangedByTime()
    {
        QFETCH(bool, keepsTimes);
        QFETCH(qint64, remoteSize);
        QFETCH(qint64, remoteMs);
        QFETCH(bool, expected);
        ObjectInfo remote;
        remote.size = remoteSize;
        remote.modified = QDateTime::fromMSecsSinceEpoch(remoteMs, Qt::UTC);
        QCOMPARE(PlanRules::unchangedByTime(10, 1700000000123456789LL, remote, keepsTimes), expected);
    }

    void emptySourceGuard_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<bool>("rootExists");
        QTest::addColumn<qint64>("files");
        QTest::addColumn<bool>("hasConfig");
        QTest::addColumn<qint64>("deletions");
        QTest::addColumn<QString>("reason"); // a word of it; empty: no reason
        QTest::addColumn<bool>("refuses");
        QTest::newRow("fine") << str("clawdbot/") << true << 3LL << true << 2LL << str("") << false;
        QTest::newRow("missing, deletes")
            << str("clawdbot/") << false << 0LL << false << 2LL << str("does not exist") << true;
        QTest::newRow("missing, nothing to delete")
            << str("clawdbot/") << false << 0LL << false << 0LL << str("does not exist") << false;
        QTest::newRow("empty, deletes")
            << str("workspace/") << true << 0LL << false << 1LL << str("is empty") << true;
        QTest::newRow("no config, deletes")
            << str("openclaw/") << true << 4LL << false << 3LL << str("no clawdbot.json") << true;
        QTest::newRow("data set needs no config")
            << str("skills/") << true << 4LL << false << 3LL << str("") << false;
    }
    void emptySourceGuard()
    {
        QFETCH(QString, prefix);
        QFETCH(bool, rootExists);
        QFETCH(qint64, files);
        QFETCH(bool, hasConfig);
        QFETCH(qint64, deletions);
        QFETCH(QString, reason);
        QFETCH(bool, refuses);
        const QString why = emptySourceReason(QStringLiteral("/src"), prefix, rootExists, files, hasConfig);
        QCOMPARE(why.isEmpty(), reason.isEmpty());
        QVERIFY2(why.contains(reason), qPrintable(why));
        const auto refusal = emptySourceRefusal(why, deletions, prefix, QStringLiteral("bucket-x"));
        QCOMPARE(refusal.has_value(), refuses);
        if (refusal) {
            QCOMPARE(refusal->kind, ErrorKind::Refused);
            QCOMPARE(refusal->code, QString::fromLatin1(RefusalCode::EmptySource));
            QVERIFY(refusal->message.contains(QLatin1String("bucket-x")));
        }
    }

    void deleteLimitGuard_data()
    {
        QTest::addColumn<qint64>("deletions");
        QTest::addColumn<qint64>("remoteObjects");
        QTest::addColumn<qint64>("maxDelete");
        QTest::addColumn<bool>("unlimited");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<bool>("refuses");
        QTest::newRow("a quarter of 100") << 25LL << 100LL << -1LL << false << 25LL << false;
        QTest::newRow("over a quarter") << 26LL << 100LL << -1LL << false << 25LL << true;
        QTest::newRow("small bucket: at least 5") << 5LL << 4LL << -1LL << false << 5LL << false;
        QTest::newRow("small bucket, 6") << 6LL << 8LL << -1LL << false << 5LL << true;
        QTest::newRow("--max-delete 100") << 60LL << 100LL << 100LL << false << 100LL << false;
        QTest::newRow("--max-delete 0") << 1LL << 100LL << 0LL << false << 0LL << true;
        QTest::newRow("unlimited") << 100LL << 100LL << -1LL << true << 25LL << false;
    }
    void deleteLimitGuard()
    {
        QFETCH(qint64, deletions);
        QFETCH(qint64, remoteObjects);
        QFETCH(qint64, maxDelete);
        QFETCH(bool, unlimited);
        QFETCH(qint64, limit);
        QFETCH(bool, refuses);
        QCOMPARE(deleteLimit(maxDelete, remoteObjects), limit);
        const auto refusal =
            deleteLimitRefusal(deletions, remoteObjects, maxDelete, unlimited, QStringLiteral("b"));
        QCOMPARE(refusal.has_value(), refuses);
        if (refusal)
            QCOMPARE(refusal->code, QString::fromLatin1(RefusalCode::DeleteLimit));
    }

    void markerGuard_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("markerNames");
        QTest::addColumn<QString>("code"); // empty: no refusal
        QTest::newRow("own") << int(MarkerState::Own) << str("development") << str("");
        QTest::newRow("missing") << int(MarkerState::Missing) << str("") << str("");
        QTest::newRow("another environment's")
            << int(MarkerState::Foreign) << str("production") << QString::fromLatin1(RefusalCode::CrossWired);
        QTest::newRow("unreadable") << int(MarkerState::Unreadable) << str("")
                                    << QString::fromLatin1(RefusalCode::UnreadableMarker);
    }
    void markerGuard()
    {
        QFETCH(int, state);
        QFETCH(QString, markerNames);
        QFETCH(QString, code);
        MarkerReading reading;
        reading.state = MarkerState(state);
        if (!markerNames.isEmpty())
            reading.marker = IdentityMarker{markerNames, QStringLiteral("moltbot-data-") + markerNames, {}};
        if (reading.state == MarkerState::Unreadable)
            reading.error = makeError(ErrorKind::Corrupted, QStringLiteral("not a JSON object"));
        const auto refusal =
            markerRefusal(reading, env(QStringLiteral("development")), QStringLiteral("bkt"));
        QCOMPARE(refusal ? refusal->code : QString(), code);
        if (refusal && reading.state == MarkerState::Foreign)
            QVERIFY(refusal->message.contains(QLatin1String("production")));
        if (refusal && reading.state == MarkerState::Unreadable)
            QVERIFY(refusal->message.contains(QLatin1String("stamp development --force")));
    }

    void restoreDecision_data()
    {
        QTest::addColumn<QDateTime>("bucket"); // invalid: none
        QTest::addColumn<QDateTime>("target");
        QTest::addColumn<bool>("targetUnreadable");
        QTest::addColumn<bool>("force");
        QTest::addColumn<bool>("partial");
        QTest::addColumn<bool>("needed");
        QTest::addColumn<QString>("reason"); // a word of it
        const QDateTime older = at("2026-02-04T10:15:29Z"), newer = at("2026-02-04T10:15:30Z");
        QTest::newRow("bucket newer") << newer << older << false << false << false << true << str("newer");
        QTest::newRow("same time") << newer << newer << false << false << false << false << str("not newer");
        QTest::newRow("target newer")
            << older << newer << false << false << false << false << str("not newer");
        QTest::newRow("target has none")
            << newer << QDateTime() << false << false << false << true << str("has no");
        QTest::newRow("target's unreadable")
            << newer << QDateTime() << true << false << false << true << str("unreadable");
        QTest::newRow("neither has one")
            << QDateTime() << QDateTime() << false << false << false << true << str("none either");
        QTest::newRow("bucket has none")
            << QDateTime() << older << false << false << false << false << str("--force");
        QTest::newRow("forced") << older << newer << false << true << false << true << str("forced");
        QTest::newRow("partial, target newer")
            << older << newer << false << false << true << true << str("partial");
        QTest::newRow("partial, bucket has none")
            << QDateTime() << older << false << false << true << true << str("partial");
    }
    void restoreDecision()
    {
        QFETCH(QDateTime, bucket);
        QFETCH(QDateTime, target);
        QFETCH(bool, targetUnreadable);
        QFETCH(bool, force);
        QFETCH(bool, partial);
        QFETCH(bool, needed);
        QFETCH(QString, reason);
        RestoreStamps stamps;
        if (bucket.isValid())
            stamps.bucket = bucket;
        if (target.isValid())
            stamps.target = target;
        stamps.targetUnreadable = targetUnreadable;
        const RestoreDecision d = decideRestore(stamps, force, partial);
        QCOMPARE(d.needed, needed);
        QVERIFY2(d.reason.contains(reason), qPrintable(d.reason));
    }

    void layout_data()
    {
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("layout");
        QTest::newRow("openclaw") << strs({"openclaw/openclaw.json", "workspace/a"}) << str("openclaw");
        QTest::newRow("openclaw wins over older ones")
            << strs({"clawdbot.json", "clawdbot/clawdbot.json", "openclaw/openclaw.json"}) << str("openclaw");
        QTest::newRow("clawdbot") << strs({"clawdbot/clawdbot.json", "clawdbot.json"}) << str("clawdbot");
        QTest::newRow("flat") << strs({"clawdbot.json", "skills/x"}) << str("flat");
        QTest::newRow("none") << strs({"workspace/a", "openclaw/other.json", "x/clawdbot.json"}) << str("");
    }
    void layout()
    {
        QFETCH(QStringList, keys);
        QFETCH(QString, layout);
        QCOMPARE(detectLayout([&keys](const QString &k) { return keys.contains(k); }), layout);
    }

    void restorePath_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("rel");
        QTest::newRow("openclaw config")
            << str("openclaw/agents/a") << str("openclaw") << str("openclaw/agents/a");
        QTest::newRow("older layout beside openclaw")
            << str("clawdbot/clawdbot.json") << str("openclaw") << str("");
        QTest::newRow("clawdbot config")
            << str("clawdbot/clawdbot.json") << str("clawdbot") << str("clawdbot/clawdbot.json");
        QTest::newRow("flat top level")
            << str("clawdbot.json") << str("flat") << str("clawdbot/clawdbot.json");
        QTest::newRow("flat, not top level") << str("agents/a") << str("flat") << str("");
        QTest::newRow("workspace, any layout")
            << str("workspace/w.md") << str("flat") << str("workspace/w.md");
        QTest::newRow("skills") << str("skills/s/x.md") << str("clawdbot") << str("skills/s/x.md");
        QTest::newRow("elsewhere") << str("other/x") << str("clawdbot") << str("");
    }
    void restorePath()
    {
        QFETCH(QString, key);
        QFETCH(QString, layout);
        QFETCH(QString, rel);
        QCOMPARE(restorePathOf(key, layout), rel);
    }
};

QTEST_GUILESS_MAIN(TestPlanRules)
#include "tst_planrules.moc"
