#pragma once

#include "BucketNaming.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace moltdesk {

enum class Severity { Ok, Warning, Failure };
QString severityName(Severity s);

// One check's outcome: what was checked, what was found (evidence), and what to do about it.
struct Finding
{
    QString check; // "naming", "paths", "marker", "credentials", "leak", "freshness", "leftover"
    Severity severity = Severity::Ok;
    QString environment; // display name, empty when it concerns the deployment
    QString title;       // one line
    QString evidence;    // what was seen
    QString remedy;      // what to do; empty for Ok
    QString file;        // a config file the finding points at, with
    int line = 0;        // its line, when known
    QString fixCommand;  // e.g. "moltctl stamp development", empty when none
};

// One cell of the credential matrix: an environment's credentials tried on a bucket.
struct AccessCell
{
    enum class Access { NotTested, Denied, Allowed, Error };
    QString credentialsOf; // environment display name
    QString bucket;
    QString bucketOf; // environment display name owning the bucket
    Access access = Access::NotTested;
    bool canList = false;
    bool canWrite = false; // only with --probe-write
    bool expected = false; // true on the diagonal
    QString detail;
    QString accessKeyId; // of credentialsOf; an identifier, never the secret
};
QString accessName(AccessCell::Access a); // "not-tested", "denied", "allowed", "error"

// Mount, write and read path of one environment, side by side.
struct PathRow
{
    QString environment;
    QString mountPath; // where the worker mounts the bucket
    QString writePath; // where sync writes
    QString readPath;  // where the container's restore reads
    QString mountedBy; // "fuse.s3fs", "fuse.rclone", "plain directory", "not mounted", "" (S3 mode)
    bool agree = true;
    QString workerBucket; // the bucket the worker mounts (naming of its vars.ENVIRONMENT)
    QString mountSource;  // where mountPath comes from: "wrangler.jsonc:12 (env.production)" or "profile"
    QString readSource;   // "start-moltbot.sh:14", "moltdesk restore", or why it is unknown
    bool readPathKnown = true;
};

struct AuditReport
{
    QList<Finding> findings;
    QList<AccessCell> matrix;
    QList<PathRow> paths;
    // Context, so a saved report can be read on its own.
    QStringList environments; // display names, in profile order (matrix rows and columns)
    QString profilePath;
    QString storageMode; // "s3" or "mount"
    bool probeWrite = false;
    bool complete = true; // false when cancelled part-way
    QDateTime generated;  // UTC

    Severity overall() const;
    int count(Severity s) const;
    QJsonObject toJson() const;
};

} // namespace moltdesk

Q_DECLARE_METATYPE(moltdesk::AuditReport)
