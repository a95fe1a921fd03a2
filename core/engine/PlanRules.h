#pragma once

#include "BucketNaming.h"
#include "Error.h"
#include "ObjectInfo.h"

#include <QDateTime>
#include <functional>
#include <optional>

namespace moltdesk {

struct MarkerReading;

// The decisions of the plans, each a pure function of what planning gathered, so each is tested
// directly (tst_planrules). The jobs gather (list, walk, hash, read stamps) and call these.
namespace PlanRules {

// ---- sync -----------------------------------------------------------------------------------------

// A file the mount shows with the size and time it had when we wrote it: unchanged, and not read.
bool unchangedByTime(qint64 localSize, qint64 localMtimeNs, const ObjectInfo &remote, bool backendKeepsTimes);

enum class FileDiff {
    Upload,          // not in the bucket
    Replace,         // different size, or a different digest
    Keep,            // same size and digest
    HashFirst,       // same size, the bucket's digest known, the file's not: hash it, then decide
    ReplaceUnproven, // same size, no digest in the bucket to compare with: only an upload makes it certain
};
// A local file against the listing's object of the same key (nullptr: none). `localMd5` empty: not
// known without reading the file; `remoteMd5`: the object's (or the mount manifest's) digest, if any.
FileDiff diffFile(qint64 localSize, const QByteArray &localMd5, const ObjectInfo *remote,
                  const QByteArray &remoteMd5);

// The sets whose source must hold the seed's config file (clawdbot/, openclaw/).
bool isConfigPrefix(const QString &prefix);
// Why a sync set's source is empty or config-less (empty: it is not).
QString emptySourceReason(const QString &local, const QString &prefix, bool rootExists, qint64 files,
                          bool hasConfigFile);
// The empty-source guard: such a source that would delete objects refuses the plan.
std::optional<Error> emptySourceRefusal(const QString &reason, qint64 deletions, const QString &prefix,
                                        const QString &bucket);
// Deletions allowed: maxDelete, or (-1) the default fraction of the objects under the synced prefixes.
qint64 deleteLimit(qint64 maxDelete, qint64 remoteObjects);
std::optional<Error> deleteLimitRefusal(qint64 deletions, qint64 remoteObjects, qint64 maxDelete,
                                        bool allowUnlimited, const QString &bucket);
// The cross-wired guard: a marker naming another environment, or one that cannot be read, refuses.
std::optional<Error> markerRefusal(const MarkerReading &marker, const EnvironmentNames &env,
                                   const QString &bucket);

// ---- restore --------------------------------------------------------------------------------------

struct RestoreStamps
{
    std::optional<QDateTime> bucket; // the bucket's .last-sync
    std::optional<QDateTime> target; // the target folder's
    bool targetUnreadable = false;   // the target has one that does not parse
};
struct RestoreDecision
{
    bool needed = true;
    QString reason; // for people: "bucket ... is newer than target ..."
};
// The container's rule: restore when the bucket's .last-sync is newer than the target's, or the target
// has none. `force` overrides it; a partial restore (only some keys) is by nature past it.
RestoreDecision decideRestore(const RestoreStamps &stamps, bool force, bool partial);

// The backup's layout, newest first: "openclaw" (openclaw/openclaw.json), "clawdbot"
// (clawdbot/clawdbot.json), "flat" (clawdbot.json at the top); empty when the bucket holds none.
QString detectLayout(const std::function<bool(const QString &key)> &hasKey);
// Where a key lands, relative to the target folder, for a layout (empty: not restored). The flat
// layout's top-level keys go under clawdbot/; workspace/ and skills/ in every layout.
QString restorePathOf(const QString &key, const QString &layout);

} // namespace PlanRules
} // namespace moltdesk
