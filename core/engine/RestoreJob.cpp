#include "RestoreJob.h"

#include "ControlKeys.h"
#include "FileHash.h"
#include "KeyPath.h"
#include "LastSync.h"
#include "LocalTree.h"
#include "Logging.h"
#include "MountBackend.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QThreadPool>
#include <QtConcurrent>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

namespace moltdesk {

namespace {

const QString kJournal = QStringLiteral(".moltdesk-restore-journal.json");
const QString kStagingPrefix = QStringLiteral(".moltdesk-staging-");
const QString kOldPrefix = QStringLiteral(".moltdesk-replaced-");
const QStringList kDataPrefixes{QStringLiteral("workspace/"), QStringLiteral("skills/")};

QString randomSuffix()
{
    return QString::number(QRandomGenerator::global()->generate64(), 36);
}

bool renamePath(const QString &from, const QString &to, QString &error)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    error = QStringLiteral("cannot move %1 to %2: %3")
                .arg(from, to, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
}

qulonglong inodeOf(const QString &path)
{
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return qulonglong(st.st_ino);
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString &error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

// The journal says which folders are being swapped. Written after everything is staged and
// verified, removed when the swap is complete: if it exists, a swap was interrupted and recover()
// rolls it forward (the staged data is complete and verified by then).
struct Journal
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
    QString backupDir;
    QByteArray lastSync;

    QByteArray toJson() const
    {
        QJsonArray arr;
        for (const Swap &s : swaps)
            arr.append(QJsonObject{{QStringLiteral("target"), s.target},
                                   {QStringLiteral("staged"), s.staged},
                                   {QStringLiteral("old"), s.old},
                                   {QStringLiteral("inode"), QString::number(s.stagedInode)}});
        return QJsonDocument(QJsonObject{{QStringLiteral("swaps"), arr},
                                         {QStringLiteral("staging"), stagingDir},
                                         {QStringLiteral("old"), oldDir},
                                         {QStringLiteral("backup"), backupDir},
                                         {QStringLiteral("lastSync"), QString::fromLatin1(lastSync)}})
            .toJson();
    }
    static bool fromJson(const QByteArray &data, Journal &j)
    {
        const QJsonObject o = QJsonDocument::fromJson(data).object();
        if (o.isEmpty())
            return false;
        for (const QJsonValue &v : o.value(QLatin1String("swaps")).toArray()) {
            const QJsonObject s = v.toObject();
            j.swaps.append({s.value(QLatin1String("target")).toString(),
                            s.value(QLatin1String("staged")).toString(),
                            s.value(QLatin1String("old")).toString(),
                            s.value(QLatin1String("inode")).toString().toULongLong()});
        }
        j.stagingDir = o.value(QLatin1String("staging")).toString();
        j.oldDir = o.value(QLatin1String("old")).toString();
        j.backupDir = o.value(QLatin1String("backup")).toString();
        j.lastSync = o.value(QLatin1String("lastSync")).toString().toLatin1();
        return true;
    }
};

// Completes the swap described by the journal. Each step is idempotent, so running it again after
// another interruption is safe.
Status completeSwap(const QString &targetDir, const Journal &j)
{
    QString error;
    for (const Journal::Swap &s : j.swaps) {
        if (inodeOf(s.target) == s.stagedInode) {
            // Already swapped; what is left at the staged path is the old folder.
            if (QFileInfo::exists(s.staged)) {
                QDir().mkpath(QFileInfo(s.old).absolutePath());
                if (!renamePath(s.staged, s.old, error))
                    return makeError(ErrorKind::Local, error, s.target);
            }
            continue;
        }
        if (inodeOf(s.staged) != s.stagedInode)
            return makeError(
                ErrorKind::Local,
                QStringLiteral("the staged copy of %1 is gone; run the restore again").arg(s.target),
                s.target);
        if (QFileInfo::exists(s.target) || QFileInfo(s.target).isSymLink()) {
            // Swap the two folders in one step, so the target path always holds a complete old or a
            // complete new folder, never nothing; then move the old one out of the way.
            QDir().mkpath(QFileInfo(s.old).absolutePath());
            if (::renameat2(AT_FDCWD, QFile::encodeName(s.staged).constData(), AT_FDCWD,
                            QFile::encodeName(s.target).constData(), RENAME_EXCHANGE) == 0) {
                if (!renamePath(s.staged, s.old, error))
                    return makeError(ErrorKind::Local, error, s.target);
                continue;
            }
            // Filesystems without RENAME_EXCHANGE: two renames, the journal covers the gap.
            if (!renamePath(s.target, s.old, error))
                return makeError(ErrorKind::Local, error, s.target);
        }
        if (!renamePath(s.staged, s.target, error))
            return makeError(ErrorKind::Local, error, s.target);
    }
    if (!j.lastSync.isEmpty() &&
        !writeFileAtomically(targetDir + QStringLiteral("/.last-sync"), j.lastSync, error))
        return makeError(ErrorKind::Local, error);
    // The new data is in place: deal with what it replaced, then the staging, and only then the
    // journal, so an interruption anywhere here is finished by recover() and leaves no leftovers.
    if (!j.backupDir.isEmpty() && QFileInfo::exists(j.oldDir)) {
        QDir().mkpath(j.backupDir);
        const QString dest = j.backupDir + QStringLiteral("/restore-") +
                             QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        if (!renamePath(j.oldDir, dest, error)) {
            // Another filesystem: leave it where it is, and say so.
            qCWarning(lcRestore) << "kept replaced files in" << j.oldDir << ":" << error;
        }
    } else if (QFileInfo::exists(j.oldDir)) {
        QDir(j.oldDir).removeRecursively();
    }
    QDir(j.stagingDir).removeRecursively();
    QFile::remove(targetDir + QLatin1Char('/') + kJournal);
    return success();
}

} // namespace

RestoreJob::RestoreJob(JobContext context, RestoreOptions options, QObject *parent)
    : Job(std::move(context), parent), m_options(std::move(options))
{}

Status RestoreJob::recover(const QString &targetDir)
{
    const QString journalPath = targetDir + QLatin1Char('/') + kJournal;
    QFile f(journalPath);
    if (f.open(QIODevice::ReadOnly)) {
        Journal j;
        if (!Journal::fromJson(f.readAll(), j))
            return makeError(ErrorKind::Local,
                             QStringLiteral("restore journal %1 is damaged; inspect %2 by hand")
                                 .arg(journalPath, targetDir));
        f.close();
        qCInfo(lcRestore) << "completing an interrupted restore in" << targetDir;
        return completeSwap(targetDir, j);
    }
    // No journal: anything staged belongs to a restore that never reached the swap. The target is
    // as it was; the staging is only leftovers.
    const QDir dir(targetDir);
    const auto leftovers =
        dir.entryList({kStagingPrefix + QLatin1Char('*')}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString &d : leftovers)
        QDir(targetDir + QLatin1Char('/') + d).removeRecursively();
    return success();
}

Result<Plan> RestoreJob::computePlan(const CancelToken &cancel)
{
    const EnvironmentNames &env = context().environment;
    if (m_options.targetDir.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("choose a target folder to restore into (--to DIR)"));
    const QString targetDir = QDir::cleanPath(QDir(m_options.targetDir).absolutePath());
    if (QFileInfo::exists(targetDir) && !QFileInfo(targetDir).isDir())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("restore target %1 is not a folder").arg(targetDir));
    if (auto s = recover(targetDir); !s)
        return s.error();

    auto backend = openEnvironment(env);
    if (!backend)
        return backend.error();
    m_backend = backend.value();

    Plan plan;
    plan.kind = Plan::Kind::Restore;
    plan.environment = env;
    plan.source = m_backend->bucket() + QStringLiteral(" (") + m_backend->location() + QLatin1Char(')');
    plan.target = targetDir;

    auto listingFuture = m_backend->list(ListRequest{}, cancel);
    auto bucketStampFuture = m_backend->getBytes(QString::fromLatin1(LastSync::kKey), 4096);

    // The container's rule, decided once, before anything is copied.
    const Result<QByteArray> bucketStamp = bucketStampFuture.result();
    std::optional<QDateTime> bucketTime;
    if (bucketStamp) {
        auto t = LastSync::parse(bucketStamp.value());
        if (!t)
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("the bucket's .last-sync is unreadable (%1); use --force to restore anyway")
                    .arg(t.error().message));
        bucketTime = t.value();
        plan.bucketLastSync = bucketStamp.value();
    } else if (bucketStamp.error().kind != ErrorKind::NotFound) {
        return bucketStamp.error();
    }
    std::optional<QDateTime> localTime;
    bool localUnreadable = false;
    {
        QFile f(targetDir + QStringLiteral("/.last-sync"));
        if (f.open(QIODevice::ReadOnly)) {
            auto t = LastSync::parse(f.read(4096));
            if (t)
                localTime = t.value();
            else
                localUnreadable = true;
        }
    }
    if (m_options.force) {
        plan.restoreNeeded = true;
        plan.restoreDecision = QStringLiteral("forced");
    } else if (!bucketTime) {
        plan.restoreNeeded = !localTime && !localUnreadable;
        plan.restoreDecision =
            plan.restoreNeeded ? QStringLiteral("the bucket has no .last-sync and the target has none either")
                               : QStringLiteral("the bucket has no .last-sync, so it cannot be shown newer "
                                                "than the target's; use --force");
    } else if (!localTime) {
        plan.restoreNeeded = true;
        plan.restoreDecision = localUnreadable ? QStringLiteral("the target's .last-sync is unreadable")
                                               : QStringLiteral("the target has no .last-sync");
    } else {
        plan.restoreNeeded = *bucketTime > *localTime;
        plan.restoreDecision =
            QStringLiteral("bucket %1 is %2 than target %3")
                .arg(bucketTime->toString(Qt::ISODate),
                     plan.restoreNeeded ? QStringLiteral("newer") : QStringLiteral("not newer"),
                     localTime->toString(Qt::ISODate));
    }

    Result<Listing> listing = listingFuture.result();
    if (!listing)
        return listing.error();
    QHash<QString, ObjectInfo> objects;
    for (const ObjectInfo &o : listing.value().objects)
        objects.insert(o.key, o);

    // Layouts, newest first: openclaw/, clawdbot/, then the flat legacy one.
    QString configPrefix;
    if (objects.contains(QStringLiteral("openclaw/openclaw.json"))) {
        plan.layout = QStringLiteral("openclaw");
        configPrefix = QStringLiteral("openclaw/");
    } else if (objects.contains(QStringLiteral("clawdbot/clawdbot.json"))) {
        plan.layout = QStringLiteral("clawdbot");
        configPrefix = QStringLiteral("clawdbot/");
    } else if (objects.contains(QStringLiteral("clawdbot.json"))) {
        plan.layout = QStringLiteral("flat");
    } else {
        plan.refusal = makeRefusal(
            RefusalCode::NoBackup,
            QStringLiteral("%1 holds no openclaw/openclaw.json, clawdbot/clawdbot.json or clawdbot.json: "
                           "there is no backup to restore")
                .arg(m_backend->bucket()));
        return plan;
    }
    if (!plan.restoreNeeded)
        return plan;

    // Which object goes where: key -> path relative to the target folder.
    QMap<QString, QString> destinationOf;
    QHash<QString, QString> byNormalized;
    for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
        const QString &key = it.key();
        if (isControlKey(key))
            continue;
        QString rel;
        if (plan.layout == QLatin1String("flat")) {
            if (!key.contains(QLatin1Char('/')))
                rel = QStringLiteral("clawdbot/") + key;
        } else if (key.startsWith(configPrefix)) {
            rel = key;
        }
        for (const QString &p : kDataPrefixes) {
            if (key.startsWith(p))
                rel = key;
        }
        if (rel.isEmpty())
            continue;
        auto safe = KeyPath::toRelativePath(rel);
        if (!safe) {
            plan.warnings << safe.error().message + QStringLiteral(" — not restored");
            continue;
        }
        // Two keys that are the same name once normalised would overwrite each other on disk.
        const QString norm = rel.normalized(QString::NormalizationForm_C);
        if (byNormalized.contains(norm)) {
            plan.warnings << QStringLiteral("keys \"%1\" and \"%2\" are the same file name after Unicode "
                                            "normalisation — neither restored")
                                 .arg(byNormalized.value(norm), key);
            destinationOf.remove(byNormalized.value(norm));
            continue;
        }
        byNormalized.insert(norm, key);
        destinationOf.insert(key, rel);
    }

    // Only what was asked for. Selections are bucket keys; the target's files are matched through the
    // same key -> path mapping (the flat layout puts top-level keys under clawdbot/).
    const QStringList &only = m_options.onlyPrefixes;
    QStringList onlyRel;
    for (const QString &o : only)
        onlyRel << (plan.layout == QLatin1String("flat") && !o.contains(QLatin1Char('/'))
                        ? QStringLiteral("clawdbot/") + o
                        : o);
    const auto selected = [](const QStringList &selection, const QString &key) {
        return std::any_of(selection.cbegin(), selection.cend(), [&key](const QString &s) {
            return s.endsWith(QLatin1Char('/')) ? key.startsWith(s) : key == s;
        });
    };
    if (!only.isEmpty()) {
        for (auto it = destinationOf.begin(); it != destinationOf.end();)
            it = selected(only, it.key()) ? std::next(it) : destinationOf.erase(it);
        if (destinationOf.isEmpty())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("%1 holds nothing restorable under %2 (layout %3)")
                                 .arg(m_backend->bucket(), only.join(QStringLiteral(", ")), plan.layout));
        plan.bucketLastSync.clear();
        plan.warnings << QStringLiteral(
                             "only %1: the rest of the target is left as it is, and its .last-sync "
                             "is not changed")
                             .arg(only.join(QStringLiteral(", ")));
    }

    // Compare with what the target holds now.
    const ExcludeRules rules(context().workspace.profile().exclude);
    QSet<QString> roots;
    for (const QString &rel : std::as_const(destinationOf))
        roots.insert(rel.left(rel.indexOf(QLatin1Char('/'))));
    QSet<QString> restoredRel;
    for (auto it = destinationOf.cbegin(); it != destinationOf.cend(); ++it) {
        const ObjectInfo &o = objects[it.key()];
        PlanItem item;
        item.key = it.key();
        item.localPath = targetDir + QLatin1Char('/') + it.value();
        item.size = o.size;
        item.md5 = o.md5;
        restoredRel.insert(it.value());
        const QFileInfo fi(item.localPath);
        if (!fi.exists()) {
            item.action = PlanAction::Download;
        } else if (fi.isSymLink() || !fi.isFile() || fi.size() != o.size) {
            item.action = PlanAction::Replace;
        } else if (o.md5.isEmpty()) {
            item.action = m_backend->preservesModificationTime() &&
                                  fi.lastModified().toMSecsSinceEpoch() == o.modified.toMSecsSinceEpoch()
                              ? PlanAction::Keep
                              : PlanAction::Replace;
        } else {
            auto d = FileHash::compute(item.localPath, cancel);
            item.action = (d && d.value().md5 == o.md5) ? PlanAction::Keep : PlanAction::Replace;
        }
        plan.items.append(item);
    }
    // Files in the target's folders that the bucket does not have go away with the swap (kept in
    // --backup-dir when given); excluded files (locks, logs) stay.
    for (const QString &root : std::as_const(roots)) {
        auto scan = LocalTree::scan(targetDir + QLatin1Char('/') + root, ExcludeRules{}, cancel);
        if (!scan)
            return scan.error();
        for (const LocalFile &f : scan.value().files) {
            const QString rel = root + QLatin1Char('/') + f.relativePath;
            if (restoredRel.contains(rel) || rules.excludesFile(rel) ||
                rel == root + QStringLiteral("/.last-sync"))
                continue;
            PlanItem item;
            item.action = PlanAction::Delete;
            if (!only.isEmpty() && !selected(onlyRel, rel)) {
                // Outside the selection: travels into the new folder unchanged (the swap replaces whole
                // folders).
                item.action = PlanAction::Keep;
                item.note = QStringLiteral("not selected; left as it is");
            }
            item.key = rel;
            item.localPath = f.absolutePath;
            item.size = f.size;
            plan.items.append(item);
        }
    }
    return plan;
}

JobResult RestoreJob::execute(const Plan &plan, const CancelToken &cancel)
{
    JobResult result;
    if (!plan.restoreNeeded) {
        result.outcome = JobResult::Outcome::NothingToDo;
        result.notes << plan.restoreDecision;
        return result;
    }
    const QString targetDir = plan.target;
    if (!QDir().mkpath(targetDir)) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << makeError(ErrorKind::Local, QStringLiteral("cannot create %1").arg(targetDir),
                                   targetDir);
        return result;
    }
    Journal journal;
    const QString suffix = randomSuffix();
    journal.stagingDir = targetDir + QLatin1Char('/') + kStagingPrefix + suffix;
    journal.oldDir = targetDir + QLatin1Char('/') + kOldPrefix + suffix;
    journal.backupDir = m_options.backupDir;
    journal.lastSync = plan.bucketLastSync;
    const auto cleanup = [&]() { QDir(journal.stagingDir).removeRecursively(); };

    // Stage: a complete new copy of each folder, built next to it on the same filesystem.
    QList<const PlanItem *> downloads;
    QList<const PlanItem *> links;
    QSet<QString> roots;
    qint64 bytesTotal = 0;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Delete)
            continue;
        const QString rel = i.localPath.mid(targetDir.size() + 1);
        roots.insert(rel.left(rel.indexOf(QLatin1Char('/'))));
        if (i.action == PlanAction::Keep) {
            links.append(&i);
        } else {
            downloads.append(&i);
            bytesTotal += i.size;
        }
    }
    const ExcludeRules rules(context().workspace.profile().exclude);
    // Excluded files already in the target (locks, logs) travel into the new folder unchanged.
    QList<std::pair<QString, QString>> carried;
    for (const QString &root : std::as_const(roots)) {
        auto scan = LocalTree::scan(targetDir + QLatin1Char('/') + root, ExcludeRules{}, cancel);
        if (scan) {
            for (const LocalFile &f : scan.value().files) {
                const QString rel = root + QLatin1Char('/') + f.relativePath;
                if (rules.excludesFile(rel))
                    carried.append({f.absolutePath, journal.stagingDir + QLatin1Char('/') + rel});
            }
        }
    }
    const auto stagedPath = [&](const QString &localPath) -> QString {
        return journal.stagingDir + QLatin1Char('/') + localPath.mid(targetDir.size() + 1);
    };

    QString error;
    const auto linkOrCopy = [&](const QString &from, const QString &to) -> bool {
        QDir().mkpath(QFileInfo(to).absolutePath());
        if (::link(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
            return true;
        auto r = copyFileAtomically(from, to, -1, {}, TransferOptions{});
        if (!r)
            error = r.error().message;
        return r.ok();
    };
    for (const PlanItem *i : std::as_const(links)) {
        if (!linkOrCopy(i->localPath, stagedPath(i->localPath))) {
            result.errors << makeError(ErrorKind::Local, error, i->localPath);
            ++result.failed;
        } else {
            ++result.kept;
        }
    }
    for (const auto &[from, to] : std::as_const(carried)) {
        if (!linkOrCopy(from, to)) {
            result.errors << makeError(ErrorKind::Local, error, from);
            ++result.failed;
        }
    }

    std::atomic<qint64> filesDone{0}, bytesDone{0};
    QElapsedTimer clock;
    clock.start();
    const auto snapshot = [&](const QString &current) {
        JobProgress p;
        p.filesDone = filesDone;
        p.filesTotal = downloads.size();
        p.bytesDone = bytesDone;
        p.bytesTotal = bytesTotal;
        p.phase = QStringLiteral("downloading");
        p.current = current;
        const double secs = double(clock.elapsed()) / 1000.0;
        if (secs > 0.2 && p.bytesDone > 0) {
            p.bytesPerSecond = double(p.bytesDone) / secs;
            p.etaSeconds = qint64(double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond);
        }
        return p;
    };
    QMutex mutex;
    QThreadPool pool;
    pool.setMaxThreadCount(concurrencyFor(*m_backend));
    if (result.failed == 0) {
        QtConcurrent::blockingMap(&pool, downloads, [&](const PlanItem *item) {
            if (cancel.isCancelled())
                return;
            const QString to = stagedPath(item->localPath);
            if (!QDir().mkpath(QFileInfo(to).absolutePath()) ||
                !KeyPath::staysInside(journal.stagingDir, to)) {
                QMutexLocker lock(&mutex);
                ++result.failed;
                result.errors << makeError(
                    ErrorKind::Local,
                    QStringLiteral("cannot create the staging folder for %1").arg(item->key), item->key);
                return;
            }
            DownloadOptions opts;
            opts.cancel = cancel;
            opts.expectedSize = item->size;
            opts.expectedMd5 = item->md5;
            const Result<ObjectInfo> r = m_backend->download(item->key, to, opts).result();
            QMutexLocker lock(&mutex);
            if (r) {
                (item->action == PlanAction::Download ? result.downloaded : result.replaced)++;
                result.bytesTransferred += item->size;
                bytesDone += item->size;
            } else {
                ++result.failed;
                result.errors << r.error();
            }
            ++filesDone;
            lock.unlock();
            reportProgress(snapshot(item->key));
        });
    }
    if (cancel.isCancelled() || result.failed > 0) {
        cleanup();
        result.outcome = cancel.isCancelled() ? JobResult::Outcome::Cancelled : JobResult::Outcome::Failed;
        result.downloaded = result.replaced = 0;
        result.notes << QStringLiteral("the target was not changed");
        return result;
    }

    // Everything is staged and verified: record the swap, then do it.
    for (const QString &root : std::as_const(roots)) {
        const QString staged = journal.stagingDir + QLatin1Char('/') + root;
        journal.swaps.append({targetDir + QLatin1Char('/') + root, staged,
                              journal.oldDir + QLatin1Char('/') + root, inodeOf(staged)});
    }
    if (!writeFileAtomically(targetDir + QLatin1Char('/') + kJournal, journal.toJson(), error)) {
        cleanup();
        result.outcome = JobResult::Outcome::Failed;
        result.errors << makeError(ErrorKind::Local, error);
        result.notes << QStringLiteral("the target was not changed");
        return result;
    }
    reportProgress(snapshot(QStringLiteral("swapping into place")), true);
    if (auto s = completeSwap(targetDir, journal); !s) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << s.error();
        result.notes << QStringLiteral("the restore journal is kept; run the restore again to complete it");
        return result;
    }
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Delete)
            ++result.deleted;
    }
    if (!m_options.backupDir.isEmpty())
        result.notes << QStringLiteral("replaced files kept under %1").arg(m_options.backupDir);
    result.lastSyncWritten = plan.bucketLastSync;
    result.outcome = JobResult::Outcome::Succeeded;
    return result;
}

} // namespace moltdesk
