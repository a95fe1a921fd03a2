#include "MigrationJob.h"

#include "ControlKeys.h"
#include "FileHash.h"
#include "LastSync.h"
#include "Logging.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtConcurrent>

namespace moltdesk {

namespace {
// What counts as "the same object": size and MD5 when both sides know it; in mount mode, where
// listings carry no MD5, the files are hashed (migration is rare, correctness is not optional).
Result<bool> sameContent(StorageBackend &src, const ObjectInfo &a, StorageBackend &dst, const ObjectInfo &b)
{
    if (a.size != b.size)
        return false;
    if (!a.md5.isEmpty() && !b.md5.isEmpty())
        return a.md5 == b.md5;
    QByteArray md5a = a.md5, md5b = b.md5;
    auto fill = [](StorageBackend &be, const ObjectInfo &o, QByteArray &out) -> Status {
        if (!out.isEmpty())
            return success();
        auto head = be.headObject(o.key).result();
        if (head && !head.value().md5.isEmpty()) {
            out = head.value().md5;
            return success();
        }
        QTemporaryDir tmp;
        auto r = be.download(o.key, tmp.filePath(QStringLiteral("x"))).result();
        if (!r)
            return r.error();
        auto d = FileHash::compute(tmp.filePath(QStringLiteral("x")));
        if (!d)
            return d.error();
        out = d.value().md5;
        return success();
    };
    if (auto s = fill(src, a, md5a); !s)
        return s.error();
    if (auto s = fill(dst, b, md5b); !s)
        return s.error();
    return md5a == md5b;
}
} // namespace

MigrationJob::MigrationJob(JobContext context, MigrationOptions options, QObject *parent)
    : Job(std::move(context), parent), m_options(std::move(options))
{}

Result<Plan> MigrationJob::computePlan(const CancelToken &cancel)
{
    const EnvironmentNames &env = context().environment;
    if (env.isLegacy())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("migration copies the legacy bucket into a named environment's "
                                        "bucket: name one (e.g. development)"));
    const EnvironmentNames legacy = context().workspace.naming().legacy();
    auto dst = openEnvironment(env);
    if (!dst)
        return dst.error();
    m_destination = dst.value();
    auto src = openEnvironment(legacy);
    if (!src)
        return src.error();
    m_source = src.value();

    // Server-side copy needs one set of credentials that reaches both buckets. If the destination's
    // own credentials can read the legacy bucket, use them for the source too.
    if (!m_destination->canCopyFrom(*m_source) && !m_destination->accessKeyId().isEmpty()) {
        StorageFactory factory(context().workspace);
        factory.setS3Tuning(context().s3TimeoutMs, context().s3MaxAttempts, context().multipartThreshold);
        auto viaDest = factory.openBucket(legacy.bucket, legacy.mountPath, context().resolver.resolve(env));
        if (viaDest && viaDest.value()->headBucket().result().ok())
            m_source = viaDest.value();
    }

    Plan plan;
    plan.kind = Plan::Kind::Migrate;
    plan.environment = env;
    plan.source = m_source->bucket();
    plan.target = m_destination->bucket();
    if (m_source->bucket() == m_destination->bucket())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("source and destination are the same bucket"));
    if (!m_destination->canCopyFrom(*m_source))
        plan.warnings << QStringLiteral(
            "no credentials reach both buckets: objects will be downloaded and uploaded again");

    auto srcList = m_source->list(ListRequest{}, cancel);
    auto dstList = m_destination->list(ListRequest{}, cancel);
    const Result<Listing> s = srcList.result();
    if (!s)
        return s.error();
    const Result<Listing> d = dstList.result();
    if (!d)
        return d.error();
    QHash<QString, ObjectInfo> existing;
    for (const ObjectInfo &o : d.value().objects)
        existing.insert(o.key, o);

    for (const ObjectInfo &o : s.value().objects) {
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("planning cancelled"));
        if (isControlKey(o.key))
            continue; // .last-sync is carried over last, markers and reports belong to their bucket
        PlanItem item;
        item.key = o.key;
        item.size = o.size;
        item.md5 = o.md5;
        const auto it = existing.constFind(o.key);
        if (it == existing.cend()) {
            item.action = PlanAction::Copy;
        } else {
            auto same = sameContent(*m_source, o, *m_destination, *it);
            if (!same)
                return same.error();
            if (same.value()) {
                item.action = PlanAction::Skip;
            } else {
                // With --overwrite a conflict is a replacement, and the plan says so (its rows, its
                // byte count); without, it is a conflict that refuses the whole migration.
                item.action = m_options.overwrite ? PlanAction::Replace : PlanAction::Conflict;
                item.note =
                    QStringLiteral("%1 already holds a different object (%2 bytes)%3")
                        .arg(m_destination->bucket())
                        .arg(it->size)
                        .arg(m_options.overwrite ? QStringLiteral(": overwritten with the legacy version")
                                                 : QString());
            }
        }
        plan.items.append(item);
    }
    const qint64 conflicts = plan.counts().countOf(PlanAction::Conflict);
    if (conflicts > 0 && !m_options.overwrite)
        plan.refusal = makeRefusal(
            RefusalCode::Conflicts,
            QStringLiteral("%1 object(s) already exist in %2 with different content (first: %3). Nothing "
                           "was copied; rerun with --overwrite to replace them with the legacy versions.")
                .arg(conflicts)
                .arg(m_destination->bucket())
                .arg(std::find_if(plan.items.cbegin(), plan.items.cend(), [](const PlanItem &i) {
                         return i.action == PlanAction::Conflict;
                     })->key));
    return plan;
}

JobResult MigrationJob::execute(const Plan &plan, const CancelToken &cancel)
{
    JobResult result;
    StorageBackend &src = *m_source;
    StorageBackend &dst = *m_destination;
    const bool serverSide = dst.canCopyFrom(src);
    QList<const PlanItem *> copies;
    qint64 bytesTotal = 0;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Copy || i.action == PlanAction::Replace) {
            copies.append(&i);
            bytesTotal += i.size;
        } else if (i.action == PlanAction::Skip) {
            ++result.skipped;
        }
    }
    QTemporaryDir scratch;
    std::atomic<qint64> filesDone{0}, bytesDone{0};
    QElapsedTimer clock;
    clock.start();
    QMutex mutex;
    QThreadPool pool;
    pool.setMaxThreadCount(concurrencyFor(dst));
    QtConcurrent::blockingMap(&pool, copies, [&](const PlanItem *item) {
        if (cancel.isCancelled())
            return;
        TransferOptions opts;
        opts.cancel = cancel;
        Result<ObjectInfo> r = makeError(ErrorKind::Cancelled, {});
        if (serverSide) {
            r = dst.copyFrom(src, item->key, item->key, opts).result();
            // Verify what landed. The copy's reply carries the new object's ETag, the server's MD5 of
            // what it wrote (single-part): compare it with the source's, and check every size in one
            // listing of the destination afterwards, instead of a HEAD per object (3,007 requests
            // for the standard tree). Without a usable ETag (multipart), ask for the object itself.
            if (r && !r.value().md5.isEmpty() && !item->md5.isEmpty()) {
                if (r.value().md5 != item->md5)
                    r = makeError(ErrorKind::Corrupted,
                                  QStringLiteral("copy of %1 does not match the source (MD5 %2, expected %3)")
                                      .arg(item->key, QString::fromLatin1(r.value().md5),
                                           QString::fromLatin1(item->md5)),
                                  item->key);
            } else if (r) {
                auto head = dst.headObject(item->key).result();
                if (!head)
                    r = head.error();
                else if (head.value().size != item->size ||
                         (!item->md5.isEmpty() && !head.value().md5.isEmpty() &&
                          head.value().md5 != item->md5))
                    r = makeError(ErrorKind::Corrupted,
                                  QStringLiteral("copy of %1 does not match the source").arg(item->key),
                                  item->key);
            }
        } else {
            const QString tmp = scratch.filePath(QString::number(quintptr(item)));
            DownloadOptions dl;
            dl.cancel = cancel;
            dl.expectedSize = item->size;
            dl.expectedMd5 = item->md5;
            r = src.download(item->key, tmp, dl).result();
            if (r) {
                auto digest = FileHash::compute(tmp, cancel);
                if (!digest) {
                    r = digest.error();
                } else {
                    UploadOptions up;
                    up.cancel = cancel;
                    up.expectedSize = item->size;
                    up.md5 = digest.value().md5;
                    up.sha256 = digest.value().sha256;
                    r = dst.upload(item->key, tmp, up).result();
                }
                QFile::remove(tmp);
            }
        }
        QMutexLocker lock(&mutex);
        if (r) {
            ++result.copied;
            result.bytesTransferred += item->size;
            bytesDone += item->size;
        } else {
            ++result.failed;
            result.errors << r.error();
        }
        ++filesDone;
        JobProgress p;
        p.filesDone = filesDone;
        p.filesTotal = copies.size();
        p.bytesDone = bytesDone;
        p.bytesTotal = bytesTotal;
        p.phase = QStringLiteral("copying");
        p.current = item->key;
        const double secs = double(clock.elapsed()) / 1000.0;
        if (secs > 0.2 && p.bytesDone > 0) {
            p.bytesPerSecond = double(p.bytesDone) / secs;
            p.etaSeconds = qint64(double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond);
        }
        lock.unlock();
        reportProgress(p);
    });
    if (serverSide && !cancel.isCancelled() && result.failed == 0 && !copies.isEmpty()) {
        // Every copy's size (and MD5 where the listing states it), checked in a fresh listing.
        auto listing = dst.list(ListRequest{}, cancel).result();
        if (!listing) {
            ++result.failed;
            result.errors << listing.error();
        } else {
            QHash<QString, ObjectInfo> landed;
            for (const ObjectInfo &o : listing.value().objects)
                landed.insert(o.key, o);
            for (const PlanItem *item : std::as_const(copies)) {
                const auto it = landed.constFind(item->key);
                if (it != landed.cend() && it->size == item->size &&
                    (it->md5.isEmpty() || item->md5.isEmpty() || it->md5 == item->md5))
                    continue;
                --result.copied;
                ++result.failed;
                result.bytesTransferred -= item->size;
                result.errors << makeError(
                    ErrorKind::Corrupted,
                    it == landed.cend()
                        ? QStringLiteral("%1 is missing from %2 after its copy").arg(item->key, dst.bucket())
                        : QStringLiteral("copy of %1 has %2 bytes, the source %3")
                              .arg(item->key)
                              .arg(it->size)
                              .arg(item->size),
                    item->key);
            }
        }
    }
    if (cancel.isCancelled() || result.failed > 0) {
        result.outcome = cancel.isCancelled() ? JobResult::Outcome::Cancelled : JobResult::Outcome::Failed;
        result.notes << QStringLiteral(
            "no report and no .last-sync written; run the migration again to copy what is missing");
        return result;
    }

    // The report: what the destination now holds from the legacy bucket, verified.
    QJsonArray objects;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Copy || i.action == PlanAction::Skip || i.action == PlanAction::Replace)
            objects.append(QJsonObject{{QStringLiteral("key"), i.key},
                                       {QStringLiteral("size"), double(i.size)},
                                       {QStringLiteral("md5"), QString::fromLatin1(i.md5)}});
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonObject report{
        {QStringLiteral("source"), src.bucket()},
        {QStringLiteral("destination"), dst.bucket()},
        {QStringLiteral("environment"), plan.environment.environment},
        {QStringLiteral("migratedAt"), now.toString(Qt::ISODate)},
        {QStringLiteral("method"),
         serverSide ? QStringLiteral("server-side copy") : QStringLiteral("download and upload")},
        {QStringLiteral("copied"), double(result.copied)},
        {QStringLiteral("skipped"), double(result.skipped)},
        {QStringLiteral("conflicts"), double(plan.counts().countOf(PlanAction::Replace))},
        {QStringLiteral("overwritten"), m_options.overwrite},
        {QStringLiteral("bytes"), double(result.bytesTransferred)},
        {QStringLiteral("verification"),
         QStringLiteral("every copied object checked by size and MD5 (or ETag)")},
        {QStringLiteral("objects"), objects}};
    const QByteArray reportJson = QJsonDocument(report).toJson();
    QString reportPath = m_options.reportPath;
    if (reportPath.isEmpty())
        reportPath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                     QStringLiteral("/migrations/") + dst.bucket() + QLatin1Char('-') +
                     now.toString(QStringLiteral("yyyyMMddTHHmmss")) + QStringLiteral(".json");
    QDir().mkpath(QFileInfo(reportPath).absolutePath());
    QSaveFile f(reportPath);
    if (!f.open(QIODevice::WriteOnly) || f.write(reportJson) != reportJson.size() || !f.commit()) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << makeError(
            ErrorKind::Local,
            QStringLiteral("cannot write the report %1: %2").arg(reportPath, f.errorString()));
        return result;
    }
    result.reportPath = reportPath;
    auto put = dst.putBytes(QString::fromLatin1(kReportKey), reportJson).result();
    if (!put) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << put.error();
        return result;
    }

    // Last: carry the legacy .last-sync over so the container restores what was migrated, unless the
    // destination already records a newer sync of its own.
    auto legacyStamp = src.getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
    if (legacyStamp) {
        auto legacyTime = LastSync::parse(legacyStamp.value());
        auto current = dst.getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
        std::optional<QDateTime> currentTime;
        if (current) {
            if (auto t = LastSync::parse(current.value()))
                currentTime = t.value();
        }
        if (legacyTime && (!currentTime || *currentTime < legacyTime.value())) {
            auto w = dst.putBytes(QString::fromLatin1(LastSync::kKey), legacyStamp.value()).result();
            if (!w) {
                result.outcome = JobResult::Outcome::Failed;
                result.errors << w.error();
                return result;
            }
            result.lastSyncWritten = legacyStamp.value();
        } else if (currentTime) {
            result.notes << QStringLiteral("kept %1's own .last-sync, which is newer than the legacy one")
                                .arg(dst.bucket());
        }
    }
    result.outcome = result.copied == 0 ? JobResult::Outcome::NothingToDo : JobResult::Outcome::Succeeded;
    return result;
}

} // namespace moltdesk
