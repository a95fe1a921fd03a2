#include "EnvironmentComparer.h"

#include "FreedMemory.h"
#include "Logging.h"

#include <QCryptographicHash>
#include <vector>

namespace moltdesk {

namespace {

QString label(const EnvironmentNames &env)
{
    return QStringLiteral("%1 (%2)").arg(env.displayName(), env.bucket);
}

// One side of an unsettled entry on its way to a digest: the metadata MD5 a HEAD carries (an object
// uploaded in parts), else the content itself, read and hashed when it is small enough.
struct PendingDigest
{
    StorageBackend *backend = nullptr;
    CompareSide *side = nullptr;
    QString key;
    QFuture<Result<ObjectInfo>> head;
    QFuture<Result<QByteArray>> bytes;

    void start() { head = backend->headObject(key); }
    Status readIfNeeded()
    {
        const Result<ObjectInfo> h = head.result();
        if (!h)
            return h.error();
        side->md5 = h.value().md5;
        if (side->md5.isEmpty() && side->size <= EnvironmentComparer::kMaxHashedObject)
            bytes = backend->getBytes(key, side->size + 1);
        return success();
    }
    Status finish()
    {
        if (!bytes.isValid())
            return success();
        const Result<QByteArray> b = bytes.result();
        if (!b)
            return b.error();
        side->md5 = QCryptographicHash::hash(b.value(), QCryptographicHash::Md5).toHex();
        return success();
    }
};

// Objects read at once while settling: both sides of one key, each from its own bucket. No more: in the
// window, every thread this keeps busy is one more the UI thread shares the CPUs with (two walks while
// listing, two readers here), and a busy machine then starves the window (see docs/benchmarks.md).
constexpr int kDigestBatch = 2;

Status settleBatch(std::vector<PendingDigest> &batch)
{
    for (PendingDigest &p : batch)
        p.start();
    Status failed = success();
    for (PendingDigest &p : batch) {
        if (Status s = p.readIfNeeded(); !s && failed)
            failed = s;
    }
    for (PendingDigest &p : batch) {
        if (Status s = p.finish(); !s && failed)
            failed = s;
    }
    batch.clear();
    return failed;
}

// Same size but no checksum on a side (mount mode, multipart uploads): both sides of every such entry
// are looked at closer (HEAD, else the content) before it is called identical or different.
Status settleUnknowns(BucketComparison &c, StorageBackend &backendA, StorageBackend &backendB,
                      const CancelToken &cancel)
{
    std::vector<PendingDigest> batch;
    QList<qsizetype> settled;
    const auto flush = [&]() -> Status {
        Status s = settleBatch(batch);
        for (const qsizetype i : std::as_const(settled))
            c.entries[i].state = compareSides(c.entries[i].a, c.entries[i].b);
        settled.clear();
        return s;
    };
    for (qsizetype i = 0; i < c.entries.size(); ++i) {
        if (c.entries.at(i).state != CompareState::Unknown)
            continue;
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("comparison cancelled"));
        CompareEntry &e = c.entries[i];
        if (e.a.md5.isEmpty())
            batch.push_back(PendingDigest{&backendA, &e.a, e.key, {}, {}});
        if (e.b.md5.isEmpty())
            batch.push_back(PendingDigest{&backendB, &e.b, e.key, {}, {}});
        settled << i;
        if (batch.size() >= kDigestBatch) {
            if (Status s = flush(); !s)
                return s;
        }
    }
    if (Status s = flush(); !s)
        return s;
    c.recount();
    return success();
}

// A listing's sink that keeps, of each page, the comparable objects as compact sides.
ListingPageSink takeIn(QList<KeyedSide> &sides)
{
    return [&sides](QList<ObjectInfo> &&page) {
        for (const ObjectInfo &o : std::as_const(page))
            if (KeyedSide::comparable(o))
                sides.append(KeyedSide::of(o));
        page = {};
    };
}

} // namespace

EnvironmentComparer::EnvironmentComparer(const Workspace &workspace, const CredentialResolver &resolver)
    : m_workspace(workspace), m_resolver(resolver), m_factory(workspace)
{}

Result<std::shared_ptr<StorageBackend>> EnvironmentComparer::open(const EnvironmentNames &env) const
{
    const CredentialLookup creds = credentialsFor(m_workspace, m_resolver, env);
    if (!creds.complete())
        return makeError(
            ErrorKind::Auth,
            QStringLiteral("no credentials for %1: %2").arg(env.displayName(), creds.describe()));
    return m_factory.open(env, creds);
}

Result<BucketComparison> EnvironmentComparer::compare(const EnvironmentNames &a, const EnvironmentNames &b,
                                                      const CancelToken &cancel) const
{
    if (a.bucket == b.bucket)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 and %2 are the same bucket (%3): nothing to compare")
                             .arg(a.displayName(), b.displayName(), a.bucket));
    auto backendA = open(a);
    if (!backendA)
        return backendA.error();
    auto backendB = open(b);
    if (!backendB)
        return backendB.error();
    // Both listed at once, each taken in page by page as the compact sides the walk needs: the
    // listings' ObjectInfo pages (and their ETags) are dropped as they arrive. Each list is filled on
    // its listing's thread and read here only once that listing has finished.
    QList<KeyedSide> sidesA, sidesB;
    auto listA = backendA.value()->listPages(ListRequest{}, takeIn(sidesA), cancel);
    auto listB = backendB.value()->listPages(ListRequest{}, takeIn(sidesB), cancel);
    const Status la = listA.result();
    const Status lb = listB.result();
    if (cancel.isCancelled())
        return makeError(ErrorKind::Cancelled, QStringLiteral("comparison cancelled"));
    if (!la)
        return la.error();
    if (!lb)
        return lb.error();
    BucketComparison c = BucketComparison::compute(std::move(sidesA), std::move(sidesB));
    // The pages were parsed on the backends' threads: what comes next (digests, the view's order)
    // allocates on this thread and would not reuse the pages they freed.
    returnFreedMemory();
    if (Status s = settleUnknowns(c, *backendA.value(), *backendB.value(), cancel); !s)
        return s.error();
    c.nameA = label(a);
    c.nameB = label(b);
    qCDebug(lcCompare) << "compared" << a.bucket << b.bucket << c.totals.total() << "keys";
    return c;
}

} // namespace moltdesk
