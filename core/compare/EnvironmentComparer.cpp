#include "EnvironmentComparer.h"

#include "Logging.h"

#include <QCryptographicHash>

namespace moltdesk {

namespace {

QString label(const EnvironmentNames &env)
{
    return QStringLiteral("%1 (%2)").arg(env.displayName(), env.bucket);
}

// The content MD5 of one object whose listing entry has none: the metadata MD5 a HEAD carries (an
// object uploaded in parts), else the content itself, read and hashed when it is small enough.
Result<QByteArray> digestOf(StorageBackend &backend, const ObjectInfo &o)
{
    const Result<ObjectInfo> head = backend.headObject(o.key).result();
    if (!head)
        return head.error();
    if (!head.value().md5.isEmpty())
        return head.value().md5;
    if (o.size > EnvironmentComparer::kMaxHashedObject)
        return QByteArray();
    const Result<QByteArray> bytes = backend.getBytes(o.key, o.size + 1).result();
    if (!bytes)
        return bytes.error();
    return QCryptographicHash::hash(bytes.value(), QCryptographicHash::Md5).toHex();
}

// Fills in the MD5 of every object in `objects` whose key is in `keys` and whose MD5 is unknown.
Status fillDigests(StorageBackend &backend, QList<ObjectInfo> &objects, const QSet<QString> &keys,
                   const CancelToken &cancel)
{
    for (ObjectInfo &o : objects) {
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("comparison cancelled"));
        if (!o.md5.isEmpty() || !keys.contains(o.key))
            continue;
        const Result<QByteArray> d = digestOf(backend, o);
        if (!d)
            return d.error();
        o.md5 = d.value();
    }
    return success();
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
    auto listA = backendA.value()->list(ListRequest{}, cancel);
    auto listB = backendB.value()->list(ListRequest{}, cancel);
    const Result<Listing> la = listA.result();
    const Result<Listing> lb = listB.result();
    if (cancel.isCancelled())
        return makeError(ErrorKind::Cancelled, QStringLiteral("comparison cancelled"));
    if (!la)
        return la.error();
    if (!lb)
        return lb.error();
    QList<ObjectInfo> objectsA = la.value().objects;
    QList<ObjectInfo> objectsB = lb.value().objects;
    BucketComparison c = BucketComparison::compute(objectsA, objectsB);
    // Same size but no checksum on a side (mount mode, multipart uploads): look closer before
    // calling anything identical or different.
    QSet<QString> unknown;
    for (const CompareEntry &e : std::as_const(c.entries)) {
        if (e.state == CompareState::Unknown)
            unknown.insert(e.key);
    }
    if (!unknown.isEmpty()) {
        if (Status s = fillDigests(*backendA.value(), objectsA, unknown, cancel); !s)
            return s.error();
        if (Status s = fillDigests(*backendB.value(), objectsB, unknown, cancel); !s)
            return s.error();
        c = BucketComparison::compute(objectsA, objectsB);
    }
    c.nameA = label(a);
    c.nameB = label(b);
    qCDebug(lcCompare) << "compared" << a.bucket << b.bucket << c.totals.total() << "keys";
    return c;
}

} // namespace moltdesk
