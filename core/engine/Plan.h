#pragma once

#include "BucketNaming.h"
#include "Error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <memory>
#include <optional>

namespace moltdesk {

class StorageBackend;

enum class PlanAction {
    Upload,   // sync: new in the source
    Replace,  // sync/restore: exists, content differs
    Delete,   // sync: in the bucket, gone from the source; restore: local file not in the bucket
    Keep,     // identical already
    Download, // restore: new locally
    Copy,     // migrate: missing in the destination
    Skip,     // migrate: identical already in the destination
    Conflict, // migrate: a different object already in the destination
};
QString planActionName(PlanAction a);

struct PlanItem
{
    PlanAction action = PlanAction::Keep;
    QString key;        // object key
    QString localPath;  // sync source / restore target file, empty for migration
    qint64 size = 0;    // bytes that will move (or the object size for Keep/Delete)
    QByteArray md5;     // expected content MD5 (hex) when known
    QByteArray sha256;  // sync: payload hash, known from hashing
    QDateTime mtime;    // sync: source mtime
    qint64 mtimeNs = 0; // sync: source mtime as the scan saw it (hash cache key)
    QString note;       // why, for conflicts and the like
};

} // namespace moltdesk

// As ObjectInfo: implicitly shared members only, so a plan's item list grows by realloc.
Q_DECLARE_TYPEINFO(moltdesk::PlanItem, Q_RELOCATABLE_TYPE);

namespace moltdesk {

struct PlanCounts
{
    qint64 count[8] = {};
    qint64 bytes[8] = {};
    qint64 countOf(PlanAction a) const { return count[int(a)]; }
    qint64 bytesOf(PlanAction a) const { return bytes[int(a)]; }
    qint64 transferFiles() const;
    qint64 transferBytes() const;
};

// Error::code of a plan's refusal: which guard said no, so a front end can offer exactly the override
// that guard has (the CLI's flag) and none for the guards that have none.
namespace RefusalCode {
inline constexpr char DeleteLimit[] = "delete-limit"; // sync: --max-delete N
inline constexpr char EmptySource[] = "empty-source"; // sync: fix the source folder
inline constexpr char CrossWired[] = "cross-wired";   // sync: the bucket's marker names another environment
inline constexpr char Conflicts[] = "conflicts";      // migrate: --overwrite
inline constexpr char NoBackup[] = "no-backup";       // restore: nothing restorable in the bucket
// sync: the bucket's marker cannot be read; look at it (`moltctl stamp ENV --force` replaces it)
inline constexpr char UnreadableMarker[] = "unreadable-marker";
} // namespace RefusalCode
Error makeRefusal(const char *code, const QString &message);

// What an action will do, computed before anything changes. It can be shown, filtered and
// confirmed; a guard that says no leaves `refusal` set and the plan cannot be applied.
struct Plan
{
    enum class Kind { Sync, Restore, Migrate };
    Kind kind = Kind::Sync;
    EnvironmentNames environment;
    QString source; // for people: "~/.clawdbot (+1 more)", "moltbot-data"
    QString target; // "moltbot-data-production", "/srv/restore"
    QList<PlanItem> items;
    QStringList warnings;
    std::optional<Error> refusal; // ErrorKind::Refused: what guard, and how to override it

    // Restore: the newer-than rule, decided once here.
    bool restoreNeeded = true;
    QString restoreDecision; // "bucket 2026-02-04T10:15:30+00:00 is newer than target ..."
    QString layout;          // "openclaw", "clawdbot", "flat"
    QByteArray bucketLastSync;

    // Sync: of the planned deletions, how many remove objects a migration brought in (they exist
    // only in the bucket, and only because of that migration), and how many deletions "skip
    // deletions" (--no-delete) left out of the plan.
    qint64 deletesOfMigrated = 0;
    qint64 deletionsSkipped = 0;
    QString migratedFrom;       // the migration's source bucket, when its report names one
    bool markerMissing = false; // sync: the bucket has no identity marker; stamped after the sync

    // What apply works on is what the plan was made against: the environment's bucket (the
    // destination of a migration) and, for a migration, the legacy bucket as it was reached.
    std::shared_ptr<StorageBackend> storage;
    std::shared_ptr<StorageBackend> sourceStorage;

    // Only what writes into the environment's bucket needs production's name typed: a restore
    // reads the bucket and writes a local folder; sync and migration write the bucket.
    bool writesBucket() const { return kind != Kind::Restore; }
    bool needsConfirmation() const { return environment.isProduction() && writesBucket(); }
    PlanCounts counts() const;
    QString summaryLine() const; // "upload 30 · replace 0 · delete 2 · keep 2,975 (1.2 MB to send)"
    QJsonObject toJson(bool withItems = true) const;
};

// "sync", "restore", "migrate": the one word for a plan's kind (JSON, the CLI, the window, the log).
QString planKindName(Plan::Kind kind);

struct JobProgress
{
    qint64 filesDone = 0;
    qint64 filesTotal = 0;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1; // -1: unknown
    QString current;        // a key being worked on
    QString phase;          // "uploading", "deleting", "verifying", ...
};

// What happened, exactly: counts by what was done, bytes moved, every error.
struct JobResult
{
    enum class Outcome { Succeeded, Failed, Cancelled, Refused, NothingToDo };
    Outcome outcome = Outcome::Succeeded;
    Plan::Kind kind = Plan::Kind::Sync;
    QString environment;
    qint64 uploaded = 0, replaced = 0, deleted = 0, downloaded = 0, copied = 0, kept = 0, skipped = 0,
           failed = 0;
    qint64 bytesTransferred = 0;
    qint64 elapsedMs = 0;
    QByteArray lastSyncWritten; // sync/migrate: the .last-sync value written, empty when none
    QString reportPath;         // migrate: the local JSON report
    QList<Error> errors;
    QStringList notes;

    bool ok() const { return outcome == Outcome::Succeeded || outcome == Outcome::NothingToDo; }
    // A cancel stops transfers in flight; they are not failures, and are not counted as such.
    void setAsideCancelledTransfers();
    QString outcomeName() const;
    QString summaryLine() const;
    QJsonObject toJson() const;
};

QString formatBytes(qint64 bytes);

} // namespace moltdesk

Q_DECLARE_METATYPE(moltdesk::Plan)
Q_DECLARE_METATYPE(moltdesk::JobProgress)
Q_DECLARE_METATYPE(moltdesk::JobResult)
