// RestoreJournal: the record of a restore's swap, and what recover() makes of a target left by a
// crash at each point (journal written, swap half done, no journal at all).
#include "RestoreJournal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// A target holding an old clawdbot/ and a staged new one, the journal written as apply writes it.
RestoreJournal stagedRestore(const QString &target, const QString &backupDir = {})
{
    writeFile(target + QStringLiteral("/clawdbot/clawdbot.json"), "old");
    writeFile(target + QStringLiteral("/clawdbot/gone.txt"), "only in the old folder");
    RestoreJournal j = RestoreJournal::begin(target, backupDir, "2026-02-04T10:15:30+00:00\n");
    writeFile(j.stagingDir + QStringLiteral("/clawdbot/clawdbot.json"), "new");
    writeFile(j.stagingDir + QStringLiteral("/workspace/w.md"), "new folder");
    j.addSwap(target, QStringLiteral("clawdbot"));
    j.addSwap(target, QStringLiteral("workspace"));
    return j;
}

QStringList leftovers(const QString &target)
{
    return QDir(target).entryList({QStringLiteral(".moltdesk-*")}, QDir::Hidden | QDir::AllEntries);
}

} // namespace

class TestRestoreJournal : public QObject
{
    Q_OBJECT
private slots:
    void jsonRoundTrip()
    {
        RestoreJournal j = RestoreJournal::begin(QStringLiteral("/t"), QStringLiteral("/b"), "stamp");
        j.swaps.append({QStringLiteral("/t/a"), QStringLiteral("/t/s/a"), QStringLiteral("/t/o/a"), 42});
        const Result<RestoreJournal> back = RestoreJournal::fromJson(j.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back.value().stagingDir, j.stagingDir);
        QCOMPARE(back.value().oldDir, j.oldDir);
        QCOMPARE(back.value().backupDir, QStringLiteral("/b"));
        QCOMPARE(back.value().lastSync, QByteArray("stamp"));
        QCOMPARE(back.value().swaps.size(), 1);
        QCOMPARE(back.value().swaps.first().stagedInode, 42ULL);
        QCOMPARE(back.value().swaps.first().old, QStringLiteral("/t/o/a"));
        QVERIFY(j.stagingDir.startsWith(QStringLiteral("/t/") + RestoreJournal::kStagingPrefix));
    }

    void readsNoneOrRefusesADamagedOne()
    {
        QTemporaryDir dir;
        const Result<std::optional<RestoreJournal>> none = RestoreJournal::read(dir.path());
        QVERIFY(none.ok());
        QVERIFY(!none.value().has_value());
        writeFile(dir.filePath(RestoreJournal::kFileName), "{ not json");
        const Result<std::optional<RestoreJournal>> damaged = RestoreJournal::read(dir.path());
        QVERIFY(!damaged.ok());
        QVERIFY(damaged.error().message.contains(QLatin1String("damaged")));
        // recover() never guesses over a damaged journal.
        QVERIFY(!RestoreJournal::recover(dir.path()).ok());
    }

    void rollForwardSwapsEveryFolder()
    {
        QTemporaryDir dir;
        const QString t = dir.path();
        const RestoreJournal j = stagedRestore(t);
        QVERIFY(j.write(t).ok());
        QVERIFY(QFileInfo::exists(t + QLatin1Char('/') + RestoreJournal::kFileName));
        QVERIFY(RestoreJournal::recover(t).ok()); // as after a crash right after the journal was written
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("new"));
        QVERIFY(!QFileInfo::exists(t + QStringLiteral("/clawdbot/gone.txt")));
        QCOMPARE(readFile(t + QStringLiteral("/workspace/w.md")), QByteArray("new folder"));
        QCOMPARE(readFile(t + QStringLiteral("/.last-sync")), QByteArray("2026-02-04T10:15:30+00:00\n"));
        QVERIFY2(leftovers(t).isEmpty(), qPrintable(leftovers(t).join(QLatin1Char(' '))));
    }

    // The journal is the point of no return: it is written only after the staging it points at was
    // synced to disk as a whole (the downloads into it skip their own fsync), so a staging that cannot
    // be synced, here one that is gone, leaves no journal and the target as it was.
    void noJournalWithoutASyncedStaging()
    {
        QTemporaryDir dir;
        const QString t = dir.path();
        const RestoreJournal j = stagedRestore(t);
        QVERIFY(QDir(j.stagingDir).removeRecursively());
        const Status s = j.write(t);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(QLatin1String("staged restore")), qPrintable(s.error().message));
        QVERIFY(!QFileInfo::exists(t + QLatin1Char('/') + RestoreJournal::kFileName));
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("old"));
    }

    void rollForwardFinishesAHalfDoneSwap()
    {
        QTemporaryDir dir;
        const QString t = dir.path();
        const RestoreJournal j = stagedRestore(t);
        QVERIFY(j.write(t).ok());
        // Killed between the two renames of the first folder: the old one moved out, the new not in.
        const RestoreJournal::Swap &s = j.swaps.first();
        QDir().mkpath(QFileInfo(s.old).absolutePath());
        QVERIFY(QFile::rename(s.target, s.old));
        QVERIFY(RestoreJournal::recover(t).ok());
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("new"));
        QVERIFY2(leftovers(t).isEmpty(), qPrintable(leftovers(t).join(QLatin1Char(' '))));
        // Idempotent: nothing left to do, nothing undone.
        QVERIFY(RestoreJournal::recover(t).ok());
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("new"));
    }

    void replacedFilesGoToTheBackupFolder()
    {
        QTemporaryDir dir;
        const QString t = dir.filePath(QStringLiteral("t"));
        const QString backup = dir.filePath(QStringLiteral("backup"));
        const RestoreJournal j = stagedRestore(t, backup);
        QVERIFY(j.write(t).ok());
        QVERIFY(j.rollForward(t).ok());
        const QStringList kept = QDir(backup).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(kept.size(), 1);
        QCOMPARE(
            readFile(backup + QLatin1Char('/') + kept.first() + QStringLiteral("/clawdbot/clawdbot.json")),
            QByteArray("old"));
    }

    void aVanishedStagedCopyIsAnError()
    {
        QTemporaryDir dir;
        const QString t = dir.path();
        const RestoreJournal j = stagedRestore(t);
        QVERIFY(j.write(t).ok());
        QVERIFY(QDir(j.stagingDir + QStringLiteral("/clawdbot")).removeRecursively());
        const Status s = RestoreJournal::recover(t);
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QLatin1String("staged copy")));
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("old")); // untouched
        QVERIFY(QFileInfo::exists(t + QLatin1Char('/') + RestoreJournal::kFileName));         // kept
    }

    void withoutAJournalStagingIsRolledBack()
    {
        QTemporaryDir dir;
        const QString t = dir.path();
        stagedRestore(t); // staged, killed before the journal
        QVERIFY(!leftovers(t).isEmpty());
        QVERIFY(RestoreJournal::recover(t).ok());
        QVERIFY2(leftovers(t).isEmpty(), qPrintable(leftovers(t).join(QLatin1Char(' '))));
        QCOMPARE(readFile(t + QStringLiteral("/clawdbot/clawdbot.json")), QByteArray("old"));
        QVERIFY(!QFileInfo::exists(t + QStringLiteral("/.last-sync")));
    }
};

QTEST_GUILESS_MAIN(TestRestoreJournal)
#include "tst_restorejournal.moc"
