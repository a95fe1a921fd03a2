#include "RestoreJob.h"

#include "ControlKeys.h"
#include "FileHash.h"
#include "KeyPath.h"
#include "LastSync.h"
#include "LocalTree.h"
#include "Logging.h"
#include "MountBackend.h"
#include "PlanRules.h"
#include "RestoreJournal.h"
#include "TransferRunner.h"

#include <QDir>
#include <QFileInfo>
#include <unistd.h>

namespace moltdesk {

namespace {

// A selection of bucket keys: an entry ending in '/' selects everything under it, any other one key.
bool selected(const QStringList &selection, const QString &key)
{
    return std::any_of(selection.cbegin(), selection.cend(), [&key](const QString &s) {
        return s.endsWith(QLatin1Char('/')) ? key.startsWith(s) : key == s;
    });
}

// The target folders a plan's paths fall in ("clawdbot", "workspace", ...).
QString rootOf(const QString &rel)
{
    return rel.left(rel.indexOf(QLatin1Char('/')));
}

// Into the staging, which RestoreJournal::write syncs as a whole: no fsync of its own.
Status linkOrCopy(const QString &from, const QString &to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    if (::link(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return success();
    const Result<ObjectInfo> r = copyFileAtomically(from, to, -1, {}, TransferOptions{}, {}, false);
    if (!r)
        return makeError(ErrorKind::Local, r.error().message, from);
    return success();
}

// Where apply stages what it downloads and keeps: the same path under the staging folder.
class StagingPaths
{
public:
    StagingPaths(QString targetDir, QString stagingDir)
        : m_targetDir(std::move(targetDir)), m_stagingDir(std::move(stagingDir))
    {}
    const QString &stagingDir() const { return m_stagingDir; }
    QString relOf(const QString &localPath) const { return localPath.mid(m_targetDir.size() + 1); }
    QString staged(const QString &localPath) const
    {
        return m_stagingDir + QLatin1Char('/') + relOf(localPath);
    }

private:
    const QString m_targetDir;
    const QString m_stagingDir;
};

// One download into the staging folder, verified by the backend (size, MD5).
Status downloadOne(StorageBackend &backend, const TransferTicket &ticket, const StagingPaths &paths)
{
    const PlanItem &item = ticket.item();
    const QString to = paths.staged(item.localPath);
    if (!QDir().mkpath(QFileInfo(to).absolutePath()) || !KeyPath::staysInside(paths.stagingDir(), to))
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot create the staging folder for %1").arg(item.key), item.key);
    DownloadOptions opts;
    opts.cancel = ticket.cancel();
    opts.expectedSize = item.size;
    opts.expectedMd5 = item.md5;
    opts.onBytes = ticket.onBytes();
    opts.syncEachFile = false; // the whole staging is synced once, by RestoreJournal::write
    const Result<ObjectInfo> r = backend.download(item.key, to, opts).result();
    if (!r)
        return r.error();
    return success();
}

JobResult failedBeforeSwap(JobResult result, const CancelToken &cancel)
{
    result.outcome = cancel.isCancelled() ? JobResult::Outcome::Cancelled : JobResult::Outcome::Failed;
    result.downloaded = result.replaced = 0;
    result.notes << QStringLiteral("the target was not changed");
    return result;
}

} // namespace

RestoreJob::RestoreJob(JobContext context, RestoreOptions options, QObject *parent)
    : Job(std::move(context), parent), m_options(std::move(options))
{}

Status RestoreJob::recover(const QString &targetDir)
{
    return RestoreJournal::recover(targetDir);
}

// The target folder, absolute, with any interrupted restore in it finished first.
Result<QString> RestoreJob::prepareTarget() const
{
    if (m_options.targetDir.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("choose a target folder to restore into (--to DIR)"));
    const QString targetDir = QDir::cleanPath(QDir(m_options.targetDir).absolutePath());
    if (QFileInfo::exists(targetDir) && !QFileInfo(targetDir).isDir())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("restore target %1 is not a folder").arg(targetDir));
    if (const Status s = recover(targetDir); !s)
        return s.error();
    return targetDir;
}

// The container's rule, decided once, before anything is copied.
Status RestoreJob::decide(Plan &plan, const Result<QByteArray> &bucketStamp) const
{
    PlanRules::RestoreStamps stamps;
    if (bucketStamp) {
        const auto t = LastSync::parse(bucketStamp.value());
        if (!t)
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("the bucket's .last-sync is unreadable (%1); use --force to restore anyway")
                    .arg(t.error().message));
        stamps.bucket = t.value();
        plan.bucketLastSync = bucketStamp.value();
    } else if (bucketStamp.error().kind != ErrorKind::NotFound) {
        return bucketStamp.error();
    }
    QFile f(plan.target + QStringLiteral("/.last-sync"));
    if (f.open(QIODevice::ReadOnly)) {
        const auto t = LastSync::parse(f.read(4096));
        if (t)
            stamps.target = t.value();
        else
            stamps.targetUnreadable = true;
    }
    const PlanRules::RestoreDecision d =
        PlanRules::decideRestore(stamps, m_options.force, !m_options.onlyPrefixes.isEmpty());
    plan.restoreNeeded = d.needed;
    plan.restoreDecision = d.reason;
    return success();
}

// Which object goes where: key -> path relative to the target folder, for the plan's layout. Keys that
// would leave the target, or that collide with another once normalised, are left out with a warning.
RestoreJob::Destinations RestoreJob::destinations(const Listing &listing, Plan &plan)
{
    Destinations destinationOf;
    QHash<QString, QString> byNormalized;
    for (const ObjectInfo &o : listing.objects) {
        if (isControlKey(o.key))
            continue;
        const QString rel = PlanRules::restorePathOf(o.key, plan.layout);
        if (rel.isEmpty())
            continue;
        if (const auto safe = KeyPath::toRelativePath(rel); !safe) {
            plan.warnings << safe.error().message + QStringLiteral(" — not restored");
            continue;
        }
        // Two keys that are the same name once normalised would overwrite each other on disk.
        const QString norm = rel.normalized(QString::NormalizationForm_C);
        if (const auto seen = byNormalized.constFind(norm); seen != byNormalized.cend()) {
            plan.warnings << QStringLiteral("keys \"%1\" and \"%2\" are the same file name after Unicode "
                                            "normalisation — neither restored")
                                 .arg(seen.value(), o.key);
            destinationOf.remove(seen.value());
            continue;
        }
        byNormalized.insert(norm, o.key);
        destinationOf.insert(o.key, Destination{rel, o});
    }
    return destinationOf;
}

// Only what was asked for; the target's .last-sync is then left alone.
Status RestoreJob::select(Destinations &destinationOf, Plan &plan) const
{
    const QStringList &only = m_options.onlyPrefixes;
    if (only.isEmpty())
        return success();
    for (auto it = destinationOf.begin(); it != destinationOf.end();)
        it = selected(only, it.key()) ? std::next(it) : destinationOf.erase(it);
    if (destinationOf.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 holds nothing restorable under %2 (layout %3)")
                             .arg(plan.storage->bucket(), only.join(QStringLiteral(", ")), plan.layout));
    plan.bucketLastSync.clear();
    plan.warnings << QStringLiteral("only %1: the rest of the target is left as it is, and its .last-sync "
                                    "is not changed")
                         .arg(only.join(QStringLiteral(", ")));
    return success();
}

// Each object against the file the target holds at its place now.
void RestoreJob::planObjects(const Destinations &destinationOf, const StorageBackend &backend, Plan &plan,
                             const CancelToken &cancel)
{
    for (auto it = destinationOf.cbegin(); it != destinationOf.cend(); ++it) {
        const ObjectInfo &o = it->object;
        PlanItem item;
        item.key = it.key();
        item.localPath = plan.target + QLatin1Char('/') + it->rel;
        item.size = o.size;
        item.md5 = o.md5;
        const QFileInfo fi(item.localPath);
        if (!fi.exists()) {
            item.action = PlanAction::Download;
        } else if (fi.isSymLink() || !fi.isFile() || fi.size() != o.size) {
            item.action = PlanAction::Replace;
        } else if (o.md5.isEmpty()) {
            item.action = backend.preservesModificationTime() &&
                                  fi.lastModified().toMSecsSinceEpoch() == o.modified.toMSecsSinceEpoch()
                              ? PlanAction::Keep
                              : PlanAction::Replace;
        } else {
            const auto d = FileHash::compute(item.localPath, cancel);
            item.action = (d && d.value().md5 == o.md5) ? PlanAction::Keep : PlanAction::Replace;
        }
        plan.items.append(item);
    }
}

// Files in the target's folders that the bucket does not have go away with the swap (kept in
// --backup-dir when given); excluded files (locks, logs) stay, and so do files outside a selection.
Status RestoreJob::planTargetLeftovers(const Destinations &destinationOf, Plan &plan,
                                       const CancelToken &cancel) const
{
    const ExcludeRules rules(context().workspace.profile().exclude);
    QSet<QString> roots, restoredRel;
    for (const Destination &d : destinationOf) {
        roots.insert(rootOf(d.rel));
        restoredRel.insert(d.rel);
    }
    // Selections are bucket keys; the target's files are matched through the same key -> path mapping.
    QStringList onlyRel;
    for (const QString &o : m_options.onlyPrefixes)
        onlyRel << (plan.layout == QLatin1String("flat") && !o.contains(QLatin1Char('/'))
                        ? QStringLiteral("clawdbot/") + o
                        : o);
    for (const QString &root : std::as_const(roots)) {
        const auto scan = LocalTree::scan(plan.target + QLatin1Char('/') + root, ExcludeRules{}, cancel);
        if (!scan)
            return scan.error();
        for (const LocalFile &f : scan.value().files) {
            const QString rel = root + QLatin1Char('/') + f.relativePath;
            if (restoredRel.contains(rel) || rules.excludesFile(rel) ||
                rel == root + QStringLiteral("/.last-sync"))
                continue;
            PlanItem item;
            item.action = PlanAction::Delete;
            if (!onlyRel.isEmpty() && !selected(onlyRel, rel)) {
                // Travels into the new folder unchanged (the swap replaces whole folders).
                item.action = PlanAction::Keep;
                item.note = QStringLiteral("not selected; left as it is");
            }
            item.key = rel;
            item.localPath = f.absolutePath;
            item.size = f.size;
            plan.items.append(item);
        }
    }
    return success();
}

Result<Plan> RestoreJob::computePlan(const CancelToken &cancel)
{
    const Result<QString> targetDir = prepareTarget();
    if (!targetDir)
        return targetDir.error();
    auto opened = openEnvironment(context().environment);
    if (!opened)
        return opened.error();
    StorageBackend &backend = *opened.value();
    Plan plan;
    plan.kind = Plan::Kind::Restore;
    plan.environment = context().environment;
    plan.storage = opened.value();
    plan.source = backend.bucket() + QStringLiteral(" (") + backend.location() + QLatin1Char(')');
    plan.target = targetDir.value();

    auto listingFuture = backend.list(ListRequest{}, cancel);
    auto bucketStampFuture = backend.getBytes(QString::fromLatin1(LastSync::kKey), 4096);
    if (const Status s = decide(plan, bucketStampFuture.result()); !s)
        return s.error();
    const Result<Listing> listing = listingFuture.result();
    if (!listing)
        return listing.error();
    const QList<ObjectInfo> &objects = listing.value().objects;
    plan.layout = PlanRules::detectLayout([&objects](const QString &k) {
        return std::any_of(objects.cbegin(), objects.cend(),
                           [&k](const ObjectInfo &o) { return o.key == k; });
    });
    if (plan.layout.isEmpty()) {
        plan.refusal = makeRefusal(
            RefusalCode::NoBackup,
            QStringLiteral("%1 holds no openclaw/openclaw.json, clawdbot/clawdbot.json or clawdbot.json: "
                           "there is no backup to restore")
                .arg(backend.bucket()));
        return plan;
    }
    if (!plan.restoreNeeded)
        return plan;
    Destinations destinationOf = destinations(listing.value(), plan);
    if (const Status s = select(destinationOf, plan); !s)
        return s.error();
    planObjects(destinationOf, backend, plan, cancel);
    if (const Status s = planTargetLeftovers(destinationOf, plan, cancel); !s)
        return s.error();
    return plan;
}

// Stage: a complete new copy of each target folder, built next to it on the same filesystem: kept
// files and excluded ones (locks, logs) linked in, the rest downloaded and verified. Returns the
// folders staged.
QSet<QString> RestoreJob::stage(const Plan &plan, const QString &stagingDir, const CancelToken &cancel,
                                JobResult &result)
{
    const StagingPaths paths(plan.target, stagingDir);
    QList<const PlanItem *> downloads;
    QSet<QString> roots;
    const auto failedLocally = [&result](const Status &s) {
        result.errors << s.error();
        ++result.failed;
    };
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Delete)
            continue;
        roots.insert(rootOf(paths.relOf(i.localPath)));
        if (i.action != PlanAction::Keep)
            downloads.append(&i);
        else if (const Status s = linkOrCopy(i.localPath, paths.staged(i.localPath)); !s)
            failedLocally(s);
        else
            ++result.kept;
    }
    const ExcludeRules rules(context().workspace.profile().exclude);
    for (const QString &root : std::as_const(roots)) {
        const auto scan = LocalTree::scan(plan.target + QLatin1Char('/') + root, ExcludeRules{}, cancel);
        for (const LocalFile &f : scan ? scan.value().files : QList<LocalFile>()) {
            const QString rel = root + QLatin1Char('/') + f.relativePath;
            if (!rules.excludesFile(rel))
                continue;
            if (const Status s = linkOrCopy(f.absolutePath, stagingDir + QLatin1Char('/') + rel); !s)
                failedLocally(s);
        }
    }
    if (result.failed > 0)
        return roots;
    StorageBackend &backend = *plan.storage;
    TransferRunner runner(concurrencyFor(backend), QStringLiteral("downloading"), progressReporter());
    runner.run(
        downloads, [&](const TransferTicket &t) { return downloadOne(backend, t, paths); },
        &TransferRunner::defaultCounter, cancel, result);
    return roots;
}

JobResult RestoreJob::execute(const Plan &plan, const CancelToken &cancel)
{
    JobResult result;
    if (!plan.restoreNeeded) {
        result.outcome = JobResult::Outcome::NothingToDo;
        result.notes << plan.restoreDecision;
        return result;
    }
    const QString &targetDir = plan.target;
    if (!QDir().mkpath(targetDir)) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << makeError(ErrorKind::Local, QStringLiteral("cannot create %1").arg(targetDir),
                                   targetDir);
        return result;
    }
    RestoreJournal journal = RestoreJournal::begin(targetDir, m_options.backupDir, plan.bucketLastSync);
    const QSet<QString> roots = stage(plan, journal.stagingDir, cancel, result);
    if (cancel.isCancelled() || result.failed > 0) {
        QDir(journal.stagingDir).removeRecursively();
        return failedBeforeSwap(result, cancel);
    }
    // Everything is staged and verified: record the swap, then do it.
    for (const QString &root : roots)
        journal.addSwap(targetDir, root);
    if (const Status s = journal.write(targetDir); !s) {
        QDir(journal.stagingDir).removeRecursively();
        result.errors << s.error();
        return failedBeforeSwap(result, CancelToken());
    }
    JobProgress swapping;
    swapping.phase = QStringLiteral("swapping into place");
    swapping.filesDone = swapping.filesTotal = result.downloaded + result.replaced;
    swapping.bytesDone = swapping.bytesTotal = result.bytesTransferred;
    reportProgress(swapping, true);
    if (const Status s = journal.rollForward(targetDir); !s) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << s.error();
        result.notes << QStringLiteral("the restore journal is kept; run the restore again to complete it");
        return result;
    }
    result.deleted = std::count_if(plan.items.cbegin(), plan.items.cend(),
                                   [](const PlanItem &i) { return i.action == PlanAction::Delete; });
    if (!m_options.backupDir.isEmpty())
        result.notes << QStringLiteral("replaced files kept under %1").arg(m_options.backupDir);
    result.lastSyncWritten = plan.bucketLastSync;
    result.outcome = JobResult::Outcome::Succeeded;
    return result;
}

} // namespace moltdesk
