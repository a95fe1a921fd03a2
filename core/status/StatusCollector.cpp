#include "StatusCollector.h"

#include "ControlKeys.h"
#include "LastSync.h"
#include "Logging.h"
#include "MountInfo.h"

#include <QMap>

namespace moltdesk {

StatusCollector::StatusCollector(const Workspace &workspace, const CredentialResolver &resolver,
                                 const StorageFactory &factory)
    : m_workspace(workspace), m_resolver(resolver), m_factory(factory)
{}

EnvironmentStatus StatusCollector::collect(const EnvironmentNames &env, const CancelToken &cancel) const
{
    EnvironmentStatus s;
    s.names = env;
    const int staleHours = m_workspace.profile().staleAfterHours;
    CredentialLookup creds;
    if (m_workspace.profile().storage.type == StorageType::Mount) {
        creds.source = CredentialSource::NotNeeded;
    } else {
        creds = m_resolver.resolve(env);
    }
    s.credentialSource = creds.source;
    s.credentialText = creds.describe();
    s.missingCredentials = creds.missing;
    s.notes = creds.notes;
    if (m_workspace.profile().storage.type == StorageType::Mount)
        describeMount(m_workspace.mountDirectory(env), m_mountInfoPath, s);
    auto backend = m_factory.open(env, creds);
    if (!backend) {
        s.location = m_workspace.profile().storage.type == StorageType::Mount
                         ? m_workspace.mountDirectory(env)
                         : env.bucket;
        if (creds.missing.isEmpty())
            s.error = backend.error();
        s.assess(QDateTime::currentDateTimeUtc(), staleHours);
        return s;
    }
    return collectFrom(*backend.value(), s, staleHours, cancel);
}

void StatusCollector::describeMount(const QString &directory, const QString &mountInfoPath,
                                    EnvironmentStatus &s)
{
    // Which kind of mount decides what sync can rely on (s3fs keeps no times through a rename), so
    // status says it; an unreadable mountinfo leaves it unsaid rather than guessed.
    const auto info = MountInfo::load(mountInfoPath);
    if (!info)
        return;
    if (const MountEntry *m = info.value().at(directory)) {
        s.mountKind = m->fsType;
        s.mountSource = m->source;
    } else {
        s.mountKind = QStringLiteral("directory");
    }
}

namespace {
// What the bucket holds, by top-level prefix, and its newest change outside the control keys, folded
// page by page as the listing arrives: 100,000 objects are counted without being held.
class UsageTally
{
public:
    void add(const QList<ObjectInfo> &page)
    {
        for (const ObjectInfo &o : page) {
            const qsizetype slash = o.key.indexOf(QLatin1Char('/'));
            const QStringView prefix = slash >= 0 ? QStringView(o.key).left(slash + 1) : QStringView();
            if (!m_current || prefix != QStringView(m_current->prefix))
                m_current = &usageOf(prefix);
            ++m_current->objects;
            m_current->bytes += o.size;
            ++m_objects;
            m_bytes += o.size;
            if (!isControlKey(o.key) && (!m_lastChange.isValid() || o.modified > m_lastChange)) {
                m_lastChange = o.modified;
                m_lastChangeKey = o.key;
            }
        }
    }
    // Only for a listing that ended well: a partial count is never shown as the bucket's.
    void into(EnvironmentStatus &s) const
    {
        s.listed = true;
        s.objects = m_objects;
        s.bytes = m_bytes;
        s.lastChange = m_lastChange;
        s.lastChangeKey = m_lastChangeKey;
        s.prefixes = m_byPrefix.values();
    }

private:
    // Keys under one prefix come one after another: one map lookup per run of them.
    PrefixUsage &usageOf(QStringView prefix)
    {
        PrefixUsage &u = m_byPrefix[prefix.toString()];
        u.prefix = prefix.toString();
        return u;
    }

    QMap<QString, PrefixUsage> m_byPrefix;
    PrefixUsage *m_current = nullptr; // QMap's nodes stay where they are while others are added
    qint64 m_objects = 0;
    qint64 m_bytes = 0;
    QDateTime m_lastChange;
    QString m_lastChangeKey;
};
} // namespace

EnvironmentStatus StatusCollector::collectFrom(StorageBackend &backend, EnvironmentStatus s,
                                               int staleAfterHours, const CancelToken &cancel)
{
    s.location = backend.location();
    const Status head = backend.headBucket().result();
    if (!head) {
        s.error = head.error();
        s.assess(QDateTime::currentDateTimeUtc(), staleAfterHours);
        return s;
    }
    s.reachable = true;
    // Listing, marker and last-sync are independent: ask for all three at once.
    // The tally is filled on the listing's thread and read here only once the listing has finished.
    UsageTally tally;
    auto listing = backend.listPages(
        ListRequest{}, [&tally](QList<ObjectInfo> &&page) { tally.add(page); }, cancel);
    auto lastSync = backend.getBytes(QString::fromLatin1(LastSync::kKey), 4096);
    auto marker = IdentityMarker::fetch(backend);

    if (const Status l = listing.result(); !l)
        s.error = l.error();
    else
        tally.into(s);
    const Result<QByteArray> ls = lastSync.result();
    if (ls) {
        s.lastSyncRaw = ls.value();
        auto when = LastSync::parse(ls.value());
        if (when) {
            s.lastSyncState = EnvironmentStatus::LastSyncState::Valid;
            s.lastSync = when.value();
        } else {
            s.lastSyncState = EnvironmentStatus::LastSyncState::Unreadable;
            s.lastSyncError = when.error().message;
        }
    } else if (ls.error().kind == ErrorKind::NotFound) {
        s.lastSyncState = EnvironmentStatus::LastSyncState::Missing; // newest upstream writes none: normal
    } else {
        s.lastSyncState = EnvironmentStatus::LastSyncState::Unreadable;
        s.lastSyncError = ls.error().message;
    }
    const MarkerReading mk = IdentityMarker::classify(marker.result(), s.names);
    s.marker = mk.marker;
    switch (mk.state) {
    case MarkerState::Missing:
        s.markerState = EnvironmentStatus::MarkerState::Missing;
        break;
    case MarkerState::Own:
        s.markerState = EnvironmentStatus::MarkerState::Own;
        break;
    case MarkerState::Foreign:
        s.markerState = EnvironmentStatus::MarkerState::Foreign;
        break;
    case MarkerState::Unreadable:
    case MarkerState::NotRead: // the table has one word for both: the marker says nothing it can use
        s.markerState = EnvironmentStatus::MarkerState::Unreadable;
        s.markerError = mk.error ? mk.error->message : QString();
        break;
    }
    s.assess(QDateTime::currentDateTimeUtc(), staleAfterHours);
    qCDebug(lcStatus) << s.names.displayName() << healthName(s.health) << s.objects << "objects";
    return s;
}

} // namespace moltdesk
