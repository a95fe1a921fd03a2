#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <optional>

namespace moltdesk {

// The journal of a restore's swap: which folders are exchanged for their staged copies. Written after
// everything is staged and verified, removed when the swap is complete: while it exists, a swap was
// interrupted, and `recover` rolls it forward (the staged data is complete and verified by then).
// Without it, anything staged belongs to a restore that never reached the swap: the target is as it
// was, and the staging is rolled back (removed).
struct RestoreJournal
{
    struct Swap
    {
        QString target;             // e.g. DIR/clawdbot
        QString staged;             // DIR/.moltdesk-staging-x/clawdbot
        QString old;                // DIR/.moltdesk-replaced-x/clawdbot
        qulonglong stagedInode = 0; // identifies the new folder wherever a swap left it
    };
    QList<Swap> swaps;
    QString stagingDir;
    QString oldDir;
    QString backupDir; // where what was replaced goes; empty: removed
    QByteArray lastSync;

    static const QString kFileName;      // ".moltdesk-restore-journal.json", in the target folder
    static const QString kStagingPrefix; // ".moltdesk-staging-"
    static const QString kOldPrefix;     // ".moltdesk-replaced-"

    // A journal for a new restore into targetDir: fresh staging and replaced-folder names.
    static RestoreJournal begin(const QString &targetDir, const QString &backupDir,
                                const QByteArray &lastSync);
    // Records the swap of targetDir/root for its staged copy (call once the copy is complete).
    void addSwap(const QString &targetDir, const QString &root);

    QByteArray toJson() const;
    static Result<RestoreJournal> fromJson(const QByteArray &data);

    // The point of no return: the staged files are made durable (one sync of the staging's
    // filesystem; downloads into the staging skip their per-file fsync), then the journal is written.
    Status write(const QString &targetDir) const;
    // The journal in targetDir: std::nullopt when there is none; an error when it cannot be read.
    static Result<std::optional<RestoreJournal>> read(const QString &targetDir);
    // Completes the swap. Each step is idempotent: running it again after another interruption is safe.
    Status rollForward(const QString &targetDir) const;
    // Removes staging folders that no journal covers: leftovers of a restore that never swapped.
    static void rollBack(const QString &targetDir);
    // After a crash or kill: roll an interrupted swap forward, or the leftovers of an unswapped one back.
    static Status recover(const QString &targetDir);
};

} // namespace moltdesk
