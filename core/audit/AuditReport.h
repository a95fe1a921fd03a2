#pragma once

#include "BucketNaming.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace moltdesk {

// NotChecked sits between Ok and Warning: a check that could not run is never "ok", but by itself it is
// no evidence of a problem either. Its finding says why it could not run (evidence) and what would let
// it run (remedy).
enum class Severity { Ok, NotChecked, Warning, Failure };
QString severityName(Severity s); // "ok", "not-checked", "warning", "failure"

// The audit's answer. Holds only when every check ran and none failed; a check that could not run
// (no credentials, bucket unreachable, listing failed, no wrangler file, script not evaluable) makes
// it Unverified, never Holds.
enum class Verdict { Holds, Broken, Unverified };
QString verdictName(Verdict v); // "holds", "broken", "unverified"

// One check's outcome: what was checked, what was found (evidence), and what to do about it.
struct Finding
{
    QString check{}; // a check's name (AuditChecks.h), or "audit" for the run itself
    Severity severity = Severity::Ok;
    QString environment{}; // display name, empty when it concerns the deployment
    QString title{};       // one line
    QString evidence{};    // what was seen
    QString remedy{};      // what to do; empty for Ok
    QString file{};        // a config file the finding points at, with
    int line = 0;          // its line, when known
    QString fixCommand{};  // e.g. "moltctl stamp development", empty when none
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
    // The chain hop by hop, for the data-flow view.
    QString ownBucket;                 // the naming rule's bucket for this environment
    QString workerEnvironment;         // the vars.ENVIRONMENT the worker deploys with
    bool workerEnvironmentSet = false; // false: ENVIRONMENT unset (legacy names)
    QString boundBucket;               // wrangler's r2_buckets binding, "" when none
    QString boundSource;               // "wrangler.jsonc:12"
    bool writeAgrees = true;           // sync writes where the worker mounts
    bool readAgrees = true;            // restore reads where the worker mounts (when known)
};

// How one check went, derived from its findings: ran means nothing of it was left unchecked.
struct CheckStatus
{
    QString check;
    bool ran = false;
    int failures = 0;
    int warnings = 0;
    int notChecked = 0; // findings saying a part could not run
    int ok = 0;
    QString state() const; // "failed", "not-checked", "warning", "passed"
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
    // The checks that were to run, in order. One listed here without any finding did not report and
    // counts as not checked.
    QStringList checks;
    // The files this audit read (profile, wrangler.jsonc, start script, .dev.vars files, existing or
    // not): what a verdict goes stale with.
    QStringList inputs;

    Severity overall() const;
    Verdict verdict() const;
    QList<CheckStatus> checkStatuses() const;
    int count(Severity s) const;
    QJsonObject toJson() const;
};

} // namespace moltdesk

Q_DECLARE_METATYPE(moltdesk::AuditReport)
