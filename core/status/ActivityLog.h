#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QStringList>

namespace moltdesk {

// One line of the activity log: what was done to which environment and how it ended.
// Holds summaries and error messages only, never credentials.
struct ActivityEntry
{
    QDateTime time; // UTC
    QString environment;
    QString action;      // "sync", "restore", "migrate", "stamp", "credentials", "verify"
    QString planSummary; // Plan::summaryLine()
    QString outcome;     // JobResult::outcomeName(), "succeeded", "failed", ...
    QString resultSummary;
    QStringList errors;
    // The audit trail: which profile, from where into where, the overrides in effect (moltctl's flags:
    // "--max-delete 57", "--overwrite", "--no-delete") and who ("user@host").
    QString profile; // the profile file's absolute path
    QString source;  // "~/.clawdbot (+1 more)", "moltbot-data-production", a bucket key
    QString target;
    QStringList overrides;
    QString who;

    // "user@host" of this process, for `who`.
    static QString currentUser();
    QJsonObject toJson() const;
    static ActivityEntry fromJson(const QJsonObject &o);
    // A multi-line text for "Copy details".
    QString details() const;
};

// The activity log as JSON lines (one object per line) in a file, by default
// AppDataLocation/activity.jsonl. Blocking file I/O: call it from a worker thread.
// Thread-safe for appends from several threads through one instance.
class ActivityLog
{
public:
    explicit ActivityLog(QString path = defaultPath());

    static QString defaultPath();
    QString path() const { return m_path; }

    Status append(const ActivityEntry &entry);
    // The last `maxEntries` entries, oldest first; unreadable lines are skipped.
    Result<QList<ActivityEntry>> readAll(int maxEntries = 5000) const;
    // Writes `entries` (in the order given) as JSON lines into a new file at `path`, replacing it
    // only once everything is written (an export never leaves half a file).
    static Status exportTo(const QString &path, const QList<ActivityEntry> &entries);

private:
    QString m_path;
    mutable QMutex m_mutex;
};

} // namespace moltdesk
