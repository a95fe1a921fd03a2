#include "MigrationJob.h"

#include "ControlKeys.h"
#include "FileHash.h"
#include "LastSync.h"
#include "Logging.h"
#include "TransferRunner.h"

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

// The destination (the environment's bucket) and the legacy source, into the plan: apply works on
// the buckets as planning reached them.
Status MigrationJob::openBuckets(Plan &plan) const
{
    const EnvironmentNames &env = context().environment;
    const EnvironmentNames legacy = context().workspace.naming().legacy();
    auto dst = openEnvironment(env);
    if (!dst)
        return dst.error();
    plan.storage = dst.value();
    auto src = openEnvironment(legacy);
    if (!src)
        return src.error();
    plan.sourceStorage = src.value();
    // Server-side copy needs one set of credentials that reaches both buckets. If the destination's
    // own credentials can read the legacy bucket, use them for the source too.
    if (!plan.storage->canCopyFrom(*plan.sourceStorage) && !plan.storage->accessKeyId().isEmpty()) {
        StorageFactory factory(context().workspace);
        factory.setS3Tuning(context().s3TimeoutMs, context().s3MaxAttempts, context().multipartThreshold);
        auto viaDest = factory.openBucket(legacy.bucket, legacy.mountPath, context().resolver.resolve(env));
        if (viaDest && viaDest.value()->headBucket().result().ok())
            plan.sourceStorage = viaDest.value();
    }
    return success();
}

// One legacy object against the destination's object of the same key.
Result<PlanItem> MigrationJob::planObject(const ObjectInfo &o, const QHash<QString, ObjectInfo> &existing,
                                          const Plan &plan) const
{
    PlanItem item;
    item.key = o.key;
    item.size = o.size;
    item.md5 = o.md5;
    const auto it = existing.constFind(o.key);
    if (it == existing.cend()) {
        item.action = PlanAction::Copy;
        return item;
    }
    const Result<bool> same = sameContent(*plan.sourceStorage, o, *plan.storage, *it);
    if (!same)
        return same.error();
    if (same.value()) {
        item.action = PlanAction::Skip;
        return item;
    }
    // With --overwrite a conflict is a replacement, and the plan says so (its rows, its byte count);
    // without, it is a conflict that refuses the whole migration.
    item.action = m_options.overwrite ? PlanAction::Replace : PlanAction::Conflict;
    item.note =
        QStringLiteral("%1 already holds a different object (%2 bytes)%3")
            .arg(plan.storage->bucket())
            .arg(it->size)
            .arg(m_options.overwrite ? QStringLiteral(": overwritten with the legacy version") : QString());
    return item;
}

Result<Plan> MigrationJob::computePlan(const CancelToken &cancel)
{
    if (context().environment.isLegacy())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("migration copies the legacy bucket into a named environment's "
                                        "bucket: name one (e.g. development)"));
    Plan plan;
    plan.kind = Plan::Kind::Migrate;
    plan.environment = context().environment;
    if (const Status s = openBuckets(plan); !s)
        return s.error();
    StorageBackend &src = *plan.sourceStorage;
    StorageBackend &dst = *plan.storage;
    plan.source = src.bucket();
    plan.target = dst.bucket();
    if (src.bucket() == dst.bucket())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("source and destination are the same bucket"));
    if (!dst.canCopyFrom(src))
        plan.warnings << QStringLiteral(
            "no credentials reach both buckets: objects will be downloaded and uploaded again");
    auto srcList = src.list(ListRequest{}, cancel);
    auto dstList = dst.list(ListRequest{}, cancel);
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
        Result<PlanItem> item = planObject(o, existing, plan);
        if (!item)
            return item.error();
        plan.items.append(std::move(item).value());
    }
    const auto firstConflict = std::find_if(plan.items.cbegin(), plan.items.cend(), [](const PlanItem &i) {
        return i.action == PlanAction::Conflict;
    });
    if (firstConflict != plan.items.cend())
        plan.refusal = makeRefusal(
            RefusalCode::Conflicts,
            QStringLiteral("%1 object(s) already exist in %2 with different content (first: %3). Nothing "
                           "was copied; rerun with --overwrite to replace them with the legacy versions.")
                .arg(plan.counts().countOf(PlanAction::Conflict))
                .arg(dst.bucket(), firstConflict->key));
    return plan;
}

namespace {

// Server-side copy, verified. The copy's reply carries the new object's ETag, the server's MD5 of
// what it wrote (single-part): compare it with the source's, and check every size in one listing of
// the destination afterwards (verifyLanded), instead of a HEAD per object (3,007 requests for the
// standard tree). Without a usable ETag (multipart), ask for the object itself.
Status copyServerSide(StorageBackend &src, StorageBackend &dst, const TransferTicket &ticket)
{
    const PlanItem &item = ticket.item();
    TransferOptions opts;
    opts.cancel = ticket.cancel();
    const Result<ObjectInfo> r = dst.copyFrom(src, item.key, item.key, opts).result();
    if (!r)
        return r.error();
    if (!r.value().md5.isEmpty() && !item.md5.isEmpty()) {
        if (r.value().md5 != item.md5)
            return makeError(
                ErrorKind::Corrupted,
                QStringLiteral("copy of %1 does not match the source (MD5 %2, expected %3)")
                    .arg(item.key, QString::fromLatin1(r.value().md5), QString::fromLatin1(item.md5)),
                item.key);
        return success();
    }
    const Result<ObjectInfo> head = dst.headObject(item.key).result();
    if (!head)
        return head.error();
    if (head.value().size != item.size ||
        (!item.md5.isEmpty() && !head.value().md5.isEmpty() && head.value().md5 != item.md5))
        return makeError(ErrorKind::Corrupted,
                         QStringLiteral("copy of %1 does not match the source").arg(item.key), item.key);
    return success();
}

// No credentials reach both buckets: through a local file, verified on the way down and up.
Status copyThroughFile(StorageBackend &src, StorageBackend &dst, const TransferTicket &ticket,
                       const QTemporaryDir &scratch)
{
    const PlanItem &item = ticket.item();
    const QString tmp = scratch.filePath(QString::number(quintptr(&item)));
    DownloadOptions dl;
    dl.cancel = ticket.cancel();
    dl.expectedSize = item.size;
    dl.expectedMd5 = item.md5;
    dl.syncEachFile = false; // a scratch copy, read back and removed: nothing relies on it after a crash
    Result<ObjectInfo> r = src.download(item.key, tmp, dl).result();
    if (r) {
        const Result<FileDigest> digest = FileHash::compute(tmp, ticket.cancel());
        if (!digest) {
            r = digest.error();
        } else {
            UploadOptions up;
            up.cancel = ticket.cancel();
            up.expectedSize = item.size;
            up.md5 = digest.value().md5;
            up.sha256 = digest.value().sha256;
            r = dst.upload(item.key, tmp, up).result();
        }
        QFile::remove(tmp);
    }
    if (!r)
        return r.error();
    return success();
}

} // namespace

// Every copy's size (and MD5 where the listing states it), checked in a fresh listing.
void MigrationJob::verifyLanded(StorageBackend &dst, const QList<const PlanItem *> &copies,
                                const CancelToken &cancel, JobResult &result)
{
    const Result<Listing> listing = dst.list(ListRequest{}, cancel).result();
    if (!listing) {
        ++result.failed;
        result.errors << listing.error();
        return;
    }
    QHash<QString, ObjectInfo> landed;
    for (const ObjectInfo &o : listing.value().objects)
        landed.insert(o.key, o);
    for (const PlanItem *item : copies) {
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

// The report: what the destination now holds from the legacy bucket, verified; locally and as
// `.migrated-from` in the destination.
void MigrationJob::writeReport(const Plan &plan, bool serverSide, JobResult &result) const
{
    StorageBackend &dst = *plan.storage;
    QJsonArray objects;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Copy || i.action == PlanAction::Skip || i.action == PlanAction::Replace)
            objects.append(QJsonObject{{QStringLiteral("key"), i.key},
                                       {QStringLiteral("size"), double(i.size)},
                                       {QStringLiteral("md5"), QString::fromLatin1(i.md5)}});
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonObject report{
        {QStringLiteral("source"), plan.sourceStorage->bucket()},
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
        return;
    }
    result.reportPath = reportPath;
    const auto put = dst.putBytes(QString::fromLatin1(kReportKey), reportJson).result();
    if (!put) {
        result.outcome = JobResult::Outcome::Failed;
        result.errors << put.error();
    }
}

// Last: carry the legacy .last-sync over so the container restores what was migrated, unless the
// destination already records a newer sync of its own.
void MigrationJob::carryLastSync(StorageBackend &src, StorageBackend &dst, JobResult &result)
{
    const auto legacyStamp = src.getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
    if (!legacyStamp)
        return;
    const auto legacyTime = LastSync::parse(legacyStamp.value());
    const auto current = dst.getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
    std::optional<QDateTime> currentTime;
    if (current) {
        if (auto t = LastSync::parse(current.value()))
            currentTime = t.value();
    }
    if (legacyTime && (!currentTime || *currentTime < legacyTime.value())) {
        const auto w = dst.putBytes(QString::fromLatin1(LastSync::kKey), legacyStamp.value()).result();
        if (!w) {
            result.outcome = JobResult::Outcome::Failed;
            result.errors << w.error();
            return;
        }
        result.lastSyncWritten = legacyStamp.value();
    } else if (currentTime) {
        result.notes << QStringLiteral("kept %1's own .last-sync, which is newer than the legacy one")
                            .arg(dst.bucket());
    }
}

JobResult MigrationJob::execute(const Plan &plan, const CancelToken &cancel)
{
    JobResult result;
    StorageBackend &src = *plan.sourceStorage;
    StorageBackend &dst = *plan.storage;
    const bool serverSide = dst.canCopyFrom(src);
    QList<const PlanItem *> copies;
    for (const PlanItem &i : plan.items) {
        if (i.action == PlanAction::Copy || i.action == PlanAction::Replace)
            copies.append(&i);
        else if (i.action == PlanAction::Skip)
            ++result.skipped;
    }
    const QTemporaryDir scratch;
    TransferRunner runner(concurrencyFor(dst), QStringLiteral("copying"), progressReporter());
    runner.run(
        copies,
        [&](const TransferTicket &t) {
            return serverSide ? copyServerSide(src, dst, t) : copyThroughFile(src, dst, t, scratch);
        },
        [](PlanAction) { return &JobResult::copied; }, cancel, result);
    if (serverSide && !cancel.isCancelled() && result.failed == 0 && !copies.isEmpty())
        verifyLanded(dst, copies, cancel, result);
    if (cancel.isCancelled() || result.failed > 0) {
        result.outcome = cancel.isCancelled() ? JobResult::Outcome::Cancelled : JobResult::Outcome::Failed;
        result.notes << QStringLiteral(
            "no report and no .last-sync written; run the migration again to copy what is missing");
        return result;
    }
    writeReport(plan, serverSide, result);
    if (result.outcome == JobResult::Outcome::Failed)
        return result;
    carryLastSync(src, dst, result);
    if (result.outcome == JobResult::Outcome::Failed)
        return result;
    result.outcome = result.copied == 0 ? JobResult::Outcome::NothingToDo : JobResult::Outcome::Succeeded;
    return result;
}

} // namespace moltdesk
