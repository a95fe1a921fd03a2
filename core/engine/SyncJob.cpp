#include "SyncJob.h"

#include "ControlKeys.h"
#include "FileHash.h"
#include "IdentityMarker.h"
#include "LastSync.h"
#include "LocalTree.h"
#include "Logging.h"
#include "MigrationReport.h"
#include "MountManifest.h"
#include "PlanRules.h"
#include "TransferRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThreadPool>
#include <QtConcurrent>

namespace moltdesk {

QString SyncOptions::effectiveManifestPath() const
{
    if (!manifestPath.isEmpty())
        return manifestPath;
    return hashCachePath.isEmpty() ? MountManifest::defaultPath()
                                   : hashCachePath + QStringLiteral(".mount-manifest");
}

SyncJob::SyncJob(JobContext context, SyncOptions options, QObject *parent)
    : Job(std::move(context), parent), m_options(std::move(options))
{}

// What planning needs besides the sets: the digests known locally (hash cache) and, in mount mode,
// the manifest of what was written. Each is loaded on first use only: a mount-mode no-op whose files
// all match by size and time reads neither, and holds neither in memory.
class SyncPlanInputs
{
public:
    SyncPlanInputs(const SyncOptions &options, StorageBackend &backend)
        : cache(options.hashCachePath), m_manifest(options.effectiveManifestPath()),
          m_location(backend.location()), m_keepsTimes(backend.preservesModificationTime())
    {}

    bool keepsTimes() const { return m_keepsTimes; }
    bool digest(const LocalFile &f, HashCache::Entry &out)
    {
        loadCache();
        return cache.lookup(f.absolutePath, f.size, f.mtimeNs, out);
    }
    // A mount shows no checksum: what we wrote is known while the mount shows it unchanged.
    QByteArray remoteMd5(const ObjectInfo &o)
    {
        if (!o.md5.isEmpty() || !m_keepsTimes)
            return o.md5;
        if (!m_manifestLoaded)
            m_manifest.load();
        m_manifestLoaded = true;
        return m_manifest.md5If(m_location, o.key, o.size, o.modified);
    }
    void loadCache()
    {
        if (!m_cacheLoaded)
            cache.load();
        m_cacheLoaded = true;
    }

    HashCache cache;
    qint64 remoteObjects = 0; // under the synced prefixes, control keys left out (the delete limit's base)
    QList<PlanItem> needHash; // same size remotely, digest unknown locally
    QList<QByteArray> remoteMd5OfNeedHash;

private:
    MountManifest m_manifest;
    QString m_location;
    bool m_keepsTimes = false;
    bool m_cacheLoaded = false, m_manifestLoaded = false;
};

namespace {

// One local file against the object of the same key (or none): its plan item, or, when only a
// digest can tell, a place in the list of files to hash.
void planFile(SyncPlanInputs &in, const QString &prefix, const LocalFile &f, const ObjectInfo *remote,
              Plan &plan)
{
    PlanItem item;
    item.key = remote ? remote->key : prefix + f.relativePath; // shared with the listing when it exists
    // Only what will be read carries its local path: an unchanged file's item holds the key alone.
    item.localPath = f.absolutePath;
    item.size = f.size;
    item.mtime = QDateTime::fromMSecsSinceEpoch(f.mtimeNs / 1000000, Qt::UTC);
    item.mtimeNs = f.mtimeNs;
    if (remote && PlanRules::unchangedByTime(f.size, f.mtimeNs, *remote, in.keepsTimes())) {
        item.action = PlanAction::Keep; // same size and time as we wrote it: content unchanged
        item.localPath.clear();
        plan.items.append(std::move(item));
        return;
    }
    HashCache::Entry cached;
    const bool haveDigest = in.digest(f, cached);
    const QByteArray remoteMd5 = remote && remote->size == f.size ? in.remoteMd5(*remote) : QByteArray();
    switch (PlanRules::diffFile(f.size, haveDigest ? cached.md5 : QByteArray(), remote, remoteMd5)) {
    case PlanRules::FileDiff::Upload:
    case PlanRules::FileDiff::Replace:
        item.action = remote ? PlanAction::Replace : PlanAction::Upload;
        if (haveDigest) { // known digests spare apply a read
            item.md5 = cached.md5;
            item.sha256 = cached.sha256;
        }
        break;
    case PlanRules::FileDiff::Keep:
        item.action = PlanAction::Keep; // an unchanged file's item holds the key alone
        item.localPath.clear();
        break;
    case PlanRules::FileDiff::HashFirst:
        item.action = PlanAction::Keep; // decided after hashing
        in.needHash.append(std::move(item));
        in.remoteMd5OfNeedHash.append(remoteMd5);
        return;
    case PlanRules::FileDiff::ReplaceUnproven:
        // A multipart upload by another tool, or a mount that lost times: only a fresh upload makes
        // the content certain.
        item.action = PlanAction::Replace;
        item.note = QStringLiteral("no comparable checksum in the bucket");
        break;
    }
    plan.items.append(std::move(item));
}

// The set's objects, control keys left out, in the local scan's order (QString's): S3 lists in
// UTF-8 byte order, which differs for characters beyond U+FFFF, so the order is checked, not assumed.
QList<const ObjectInfo *> remoteInScanOrder(const Listing &listing)
{
    QList<const ObjectInfo *> remote;
    remote.reserve(listing.objects.size());
    for (const ObjectInfo &o : listing.objects) {
        if (!isControlKey(o.key))
            remote.append(&o);
    }
    const auto byKey = [](const ObjectInfo *a, const ObjectInfo *b) { return a->key < b->key; };
    if (!std::is_sorted(remote.cbegin(), remote.cend(), byKey))
        std::sort(remote.begin(), remote.end(), byKey);
    return remote;
}

} // namespace

// One sync set: the listing and the local tree walked side by side, both in key order, so no map of
// either side is built and the tree is never held (a no-op over 100,000 objects holds the listing
// and the plan, nothing more).
Status SyncJob::planSet(const SyncSet &set, const Listing &listing, Plan &plan, SyncPlanInputs &in,
                        const CancelToken &cancel)
{
    const ExcludeRules rules(context().workspace.profile().exclude + set.exclude);
    const QList<const ObjectInfo *> remote = remoteInScanOrder(listing);
    const qsizetype cut = set.prefix.size();
    const auto relOf = [cut](const ObjectInfo *o) { return QStringView(o->key).mid(cut); };
    plan.items.reserve(plan.items.size() + remote.size());
    qint64 deletions = 0, localFiles = 0;
    qsizetype r = 0;
    const auto onlyInBucket = [&](const ObjectInfo *o) {
        // An excluded local file must not cause the deletion of its backup either.
        if (rules.excludesFile(o->key.mid(cut)))
            return;
        if (m_options.noDelete) {
            ++plan.deletionsSkipped;
            return;
        }
        PlanItem item;
        item.action = PlanAction::Delete;
        item.key = o->key;
        item.size = o->size;
        plan.items.append(std::move(item));
        ++deletions;
    };
    const auto visit = [&](const LocalFile &f) {
        ++localFiles;
        while (r < remote.size() && relOf(remote[r]).compare(f.relativePath) < 0)
            onlyInBucket(remote[r++]);
        const ObjectInfo *match =
            r < remote.size() && relOf(remote[r]) == f.relativePath ? remote[r++] : nullptr;
        if (!match && isControlKey(set.prefix + f.relativePath))
            return;
        planFile(in, set.prefix, f, match, plan);
    };
    const Result<bool> exists = LocalTree::walk(set.local, rules, cancel, plan.warnings, visit);
    if (!exists)
        return exists.error();
    while (r < remote.size())
        onlyInBucket(remote[r++]);
    in.remoteObjects += remote.size();
    // Guards against the real-world disaster: an empty, fresh container syncing over a good backup.
    const bool hasConfig = QFileInfo::exists(set.local + QStringLiteral("/clawdbot.json")) ||
                           QFileInfo::exists(set.local + QStringLiteral("/openclaw.json"));
    const QString emptyReason =
        PlanRules::emptySourceReason(set.local, set.prefix, exists.value(), localFiles, hasConfig);
    if (emptyReason.isEmpty())
        return success();
    auto refusal = PlanRules::emptySourceRefusal(emptyReason, deletions, set.prefix, plan.storage->bucket());
    if (refusal && !plan.refusal)
        plan.refusal = std::move(refusal);
    else
        plan.warnings << emptyReason;
    return success();
}

// Hashes, in parallel, only files whose size matches a remote object with a known MD5.
Status SyncJob::hashPending(Plan &plan, SyncPlanInputs &in, const CancelToken &cancel)
{
    if (in.needHash.isEmpty())
        return success();
    QThreadPool pool;
    pool.setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
    QList<Result<FileDigest>> digests(in.needHash.size(),
                                      Result<FileDigest>(makeError(ErrorKind::Cancelled, {})));
    QList<int> idx(in.needHash.size());
    std::iota(idx.begin(), idx.end(), 0);
    QtConcurrent::blockingMap(
        &pool, idx, [&](int i) { digests[i] = FileHash::compute(in.needHash[i].localPath, cancel); });
    if (cancel.isCancelled())
        return makeError(ErrorKind::Cancelled, QStringLiteral("planning cancelled"));
    for (qsizetype i = 0; i < in.needHash.size(); ++i) {
        PlanItem item = in.needHash[i];
        if (!digests[i]) {
            item.action = PlanAction::Replace; // apply will report the read error, and delete nothing
            item.note = digests[i].error().message;
        } else {
            item.md5 = digests[i].value().md5;
            item.sha256 = digests[i].value().sha256;
            item.action = item.md5 == in.remoteMd5OfNeedHash[i] ? PlanAction::Keep : PlanAction::Replace;
            // Keyed by the size and mtime the scan saw: a file changed since is hashed again next time.
            if (digests[i].value().size == item.size)
                in.cache.store(item.localPath,
                               HashCache::Entry{item.size, item.mtimeNs, item.md5, item.sha256});
            if (item.action ==
                PlanAction::Keep) { // as planFile: an unchanged file's item holds the key alone
                item.localPath.clear();
                item.md5.clear();
                item.sha256.clear();
            }
        }
        plan.items.append(item);
    }
    in.cache.save();
    return success();
}

// The bucket's identity marker: another environment's name or an unreadable marker refuses the plan;
// a missing one is written after the sync.
Status SyncJob::checkMarker(Plan &plan, const Result<QByteArray> &fetched) const
{
    const MarkerReading marker = IdentityMarker::classify(fetched, context().environment);
    if (marker.state == MarkerState::NotRead)
        return *marker.error;
    plan.markerMissing = marker.state == MarkerState::Missing;
    if (!plan.refusal)
        plan.refusal = PlanRules::markerRefusal(marker, context().environment, plan.storage->bucket());
    return success();
}

void SyncJob::applyDeleteLimit(Plan &plan, qint64 remoteObjects) const
{
    if (!plan.refusal)
        plan.refusal = PlanRules::deleteLimitRefusal(plan.counts().countOf(PlanAction::Delete), remoteObjects,
                                                     m_options.maxDelete, m_options.allowUnlimitedDelete,
                                                     plan.storage->bucket());
}

Result<Plan> SyncJob::computePlan(const CancelToken &cancel)
{
    const Profile &profile = context().workspace.profile();
    const EnvironmentNames &env = context().environment;
    const QList<SyncSet> &syncSets = profile.syncSetsFor(env.environment);
    auto opened = openEnvironment(env);
    if (!opened)
        return opened.error();
    StorageBackend &backend = *opened.value();

    Plan plan;
    plan.kind = Plan::Kind::Sync;
    plan.environment = env;
    plan.storage = opened.value();
    plan.target = backend.bucket() + QStringLiteral(" (") + backend.location() + QLatin1Char(')');
    QStringList sources;
    for (const SyncSet &s : syncSets)
        sources << s.local + QStringLiteral(" → ") +
                       (s.prefix.isEmpty() ? QStringLiteral("(root)") : s.prefix);
    plan.source = sources.join(QStringLiteral(", "));
    if (env.isProduction())
        plan.warnings << sharedSourcesWarning(context().workspace, env);
    plan.warnings.removeAll(QString());
    if (syncSets.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("the profile has no sync sets: nothing to back up"));

    // Ask for the remote side first, all at once: the listings are what a no-op sync waits on.
    QList<QFuture<Result<Listing>>> listings;
    for (const SyncSet &s : syncSets)
        listings.append(backend.list(ListRequest{s.prefix, {}, 0}, cancel));
    auto markerFuture = IdentityMarker::fetch(backend);

    SyncPlanInputs inputs(m_options, backend);
    if (!backend.preservesModificationTime())
        inputs.loadCache(); // on S3 every same-size file is compared by digest
    for (qsizetype si = 0; si < syncSets.size(); ++si) {
        const SyncSet &set = syncSets.at(si);
        // The operator's own folder named first: a file where a folder belongs is bad input (exit 2),
        // whatever the bucket's listing says.
        if (const Result<bool> root = LocalTree::checkRoot(set.local); !root)
            return root.error();
        const Result<Listing> listing = listings[si].takeResult();
        if (!listing)
            return listing.error(); // never read a failed listing as an empty bucket
        const Status s = planSet(set, listing.value(), plan, inputs, cancel);
        if (!s)
            return s.error();
    }
    if (const Status h = hashPending(plan, inputs, cancel); !h)
        return h.error();
    std::sort(plan.items.begin(), plan.items.end(),
              [](const PlanItem &a, const PlanItem &b) { return a.key < b.key; });
    if (const Status m = checkMarker(plan, markerFuture.result()); !m)
        return m.error();
    // The migration report only tells deletions apart: a plan without any (a no-op, a sync that only
    // uploads) does not read it.
    if (plan.counts().countOf(PlanAction::Delete) > 0)
        noteMigratedDeletions(
            plan, backend.getBytes(QString::fromLatin1(MigrationReport::kKey), 64 * 1024 * 1024).result());
    if (plan.deletionsSkipped > 0)
        plan.warnings << QStringLiteral("deletions skipped: %1 object(s) only in the bucket are kept")
                             .arg(plan.deletionsSkipped);
    applyDeleteLimit(plan, inputs.remoteObjects);
    qCDebug(lcSync) << "plan" << plan.summaryLine();
    return plan;
}

// Production fed from the very folders development is: a sync of production then pushes whatever
// was just tried in development, deletions included. Said first and loudly; empty when not so.
QString SyncJob::sharedSourcesWarning(const Workspace &ws, const EnvironmentNames &env)
{
    const QList<SyncSet> &mine = ws.profile().syncSetsFor(env.environment);
    QStringList shared;
    for (const EnvironmentNames &other : ws.environments()) {
        if (other.isLegacy() || other.environment == env.environment)
            continue;
        for (const SyncSet &theirs : ws.profile().syncSetsFor(other.environment)) {
            for (const SyncSet &s : mine) {
                if (QDir::cleanPath(s.local) == QDir::cleanPath(theirs.local))
                    shared << QStringLiteral("%1 (also %2's)").arg(s.local, other.environment);
            }
        }
    }
    if (shared.isEmpty())
        return {};
    return QStringLiteral(
               "PRODUCTION IS FED FROM THE SAME FOLDERS AS ANOTHER ENVIRONMENT: %1. Give production its "
               "own sources in the profile (\"syncSets\": { \"default\": [...], \"production\": "
               "[...] }) unless this is intended.")
        .arg(shared.join(QStringLiteral(", ")));
}

// Says, on each deletion and in the plan's warnings, which deletions remove what a migration brought
// in: after "migrate legacy → development" those objects exist only in the bucket, and a sync from a
// folder that never held them deletes them.
void SyncJob::noteMigratedDeletions(Plan &plan, const Result<QByteArray> &reportBytes)
{
    std::optional<MigrationReport> report;
    if (reportBytes) {
        auto parsed = MigrationReport::parse(reportBytes.value());
        if (parsed)
            report = parsed.value();
        else
            plan.warnings << parsed.error().message;
    } else if (reportBytes.error().kind != ErrorKind::NotFound) {
        plan.warnings << QStringLiteral(
                             "cannot read %1 (%2): deletions of migrated objects are not told apart")
                             .arg(QLatin1String(MigrationReport::kKey), reportBytes.error().message);
    }
    const QString source = report ? report->source : QString();
    for (PlanItem &item : plan.items) {
        if (item.action != PlanAction::Delete)
            continue;
        if (report && report->objects.contains(item.key)) {
            ++plan.deletesOfMigrated;
            item.note = QStringLiteral("brought in by the migration from %1").arg(source);
        } else {
            item.note = QStringLiteral("only in the bucket: not in the source folder");
        }
    }
    plan.migratedFrom = source;
    if (plan.deletesOfMigrated > 0)
        plan.warnings << QStringLiteral("%1 of the deletions remove objects the migration from %2 brought in "
                                        "(%3): they exist only in the bucket. Skip deletions (--no-delete) "
                                        "keeps them.")
                             .arg(plan.deletesOfMigrated)
                             .arg(source, report->migratedAt.isValid()
                                              ? report->migratedAt.toString(Qt::ISODate)
                                              : QStringLiteral("date unknown"));
}

namespace {

// What apply records locally as it goes: the digests it computed (hash cache) and, in mount mode,
// what the mount shows of each object written (manifest). Written from the transfer workers. Each
// file is read before its first change, and only then: a sync that writes nothing (a no-op) reads and
// writes neither.
class SyncRecords
{
public:
    SyncRecords(const SyncOptions &options, const StorageBackend &backend)
        : m_cache(options.hashCachePath), m_manifest(options.effectiveManifestPath()),
          m_location(backend.location()), m_keepManifest(backend.preservesModificationTime())
    {}
    void uploaded(const PlanItem &item, const UploadOptions &sent, const ObjectInfo &seen)
    {
        QMutexLocker lock(&m_mutex);
        loadOnce();
        m_cache.store(item.localPath, HashCache::Entry{item.size, item.mtimeNs, sent.md5, sent.sha256});
        if (m_keepManifest)
            m_manifest.store(m_location, item.key, seen.size, seen.modified, sent.md5);
    }
    void deleted(const QStringList &keys)
    {
        QMutexLocker lock(&m_mutex);
        loadOnce();
        for (const QString &k : keys)
            m_manifest.forget(m_location, k);
    }
    void save()
    {
        QMutexLocker lock(&m_mutex);
        if (!m_loaded)
            return; // nothing recorded
        m_cache.save();
        m_manifest.save();
    }

private:
    // Called with m_mutex held; what is stored must land on what is already on disk, never replace it.
    void loadOnce()
    {
        if (m_loaded)
            return;
        m_cache.load();
        if (m_keepManifest)
            m_manifest.load();
        m_loaded = true;
    }

    QMutex m_mutex;
    HashCache m_cache;
    MountManifest m_manifest;
    const QString m_location;
    const bool m_keepManifest;
    bool m_loaded = false;
};

// One upload, its digests computed first when the plan does not carry them.
Status uploadOne(StorageBackend &backend, const TransferTicket &ticket, SyncRecords &records)
{
    const PlanItem &item = ticket.item();
    UploadOptions opts;
    opts.cancel = ticket.cancel();
    opts.expectedSize = item.size;
    opts.md5 = item.md5;
    opts.sha256 = item.sha256;
    if (opts.md5.isEmpty() || opts.sha256.isEmpty()) {
        const Result<FileDigest> d = FileHash::compute(item.localPath, ticket.cancel());
        if (!d)
            return d.error();
        if (d.value().size != item.size)
            return makeError(
                ErrorKind::Local,
                QStringLiteral("%1 changed size while syncing; run the sync again").arg(item.localPath),
                item.localPath);
        opts.md5 = d.value().md5;
        opts.sha256 = d.value().sha256;
    }
    opts.onBytes = ticket.onBytes();
    const Result<ObjectInfo> r = backend.upload(item.key, item.localPath, opts).result();
    if (!r)
        return r.error();
    records.uploaded(item, opts, r.value());
    return success();
}

// Deletions in batches of 1,000, stopping at the first batch that fails as a whole.
void deleteAll(StorageBackend &backend, const QStringList &deletions, SyncRecords &records,
               TransferRunner &runner, const CancelToken &cancel, JobResult &result)
{
    for (qsizetype off = 0; off < deletions.size(); off += 1000) {
        if (cancel.isCancelled())
            break;
        const QStringList batch = deletions.mid(off, 1000);
        runner.report(QStringLiteral("deleting"), batch.first(), true);
        const Result<DeleteReport> r = backend.remove(batch).result();
        if (!r) {
            result.failed += batch.size();
            result.errors << r.error();
            break;
        }
        result.deleted += r.value().deleted.size();
        records.deleted(r.value().deleted);
        result.failed += r.value().failed.size();
        result.errors << r.value().failed;
        runner.progress()->files += batch.size();
    }
}

JobResult::Outcome stoppedOutcome(const CancelToken &cancel)
{
    return cancel.isCancelled() ? JobResult::Outcome::Cancelled : JobResult::Outcome::Failed;
}

} // namespace

// Last, and only after everything else succeeded: the identity marker if the bucket had none, then
// .last-sync.
void SyncJob::writeStamps(const Plan &plan, StorageBackend &backend, JobResult &result) const
{
    if (plan.markerMissing) {
        const IdentityMarker marker{context().environment.environment, backend.bucket(),
                                    QDateTime::currentDateTimeUtc()};
        const Result<ObjectInfo> r =
            backend.putBytes(QString::fromLatin1(IdentityMarker::kKey), marker.toJson()).result();
        if (!r) {
            result.outcome = JobResult::Outcome::Failed;
            result.errors << r.error();
            result.notes << QStringLiteral(".last-sync was not written");
            return;
        }
        result.notes << QStringLiteral("stamped the bucket with its identity marker");
    }
    const QByteArray stamp = LastSync::now();
    const Result<ObjectInfo> r = backend.putBytes(QString::fromLatin1(LastSync::kKey), stamp).result();
    if (!r) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << r.error();
        return;
    }
    result.lastSyncWritten = stamp;
    result.outcome = (result.uploaded + result.replaced + result.deleted) == 0
                         ? JobResult::Outcome::NothingToDo
                         : JobResult::Outcome::Succeeded;
}

JobResult SyncJob::execute(const Plan &plan, const CancelToken &cancel)
{
    JobResult result;
    StorageBackend &backend = *plan.storage;
    SyncRecords records(m_options, backend);
    QList<const PlanItem *> transfers;
    QStringList deletions;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Upload || i.action == PlanAction::Replace)
            transfers.append(&i);
        else if (i.action == PlanAction::Delete)
            deletions.append(i.key);
        else if (i.action == PlanAction::Keep)
            ++result.kept;
    }
    TransferRunner runner(concurrencyFor(backend), QStringLiteral("uploading"), progressReporter());
    runner.progress()->filesTotal += deletions.size();
    runner.run(
        transfers, [&](const TransferTicket &t) { return uploadOne(backend, t, records); },
        &TransferRunner::defaultCounter, cancel, result);
    if (cancel.isCancelled() || result.failed > 0) {
        records.save();
        result.outcome = stoppedOutcome(cancel);
        result.notes << (cancel.isCancelled()
                             ? QStringLiteral("cancelled: nothing was deleted and .last-sync was not written")
                             : QStringLiteral(
                                   "%1 upload(s) failed: nothing was deleted and .last-sync was not "
                                   "written")
                                   .arg(result.failed));
        return result;
    }
    // Deletions only after every upload succeeded.
    deleteAll(backend, deletions, records, runner, cancel, result);
    records.save();
    if (cancel.isCancelled() || result.failed > 0) {
        result.outcome = stoppedOutcome(cancel);
        result.notes << QStringLiteral(".last-sync was not written");
        return result;
    }
    writeStamps(plan, backend, result);
    if (result.ok())
        runner.report(QStringLiteral("done"), {}, true);
    return result;
}

} // namespace moltdesk
