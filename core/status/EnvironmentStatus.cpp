#include "EnvironmentStatus.h"

#include "LastSync.h"

#include <QJsonArray>

namespace moltdesk {

QString healthName(Health h)
{
    switch (h) {
    case Health::Unknown:
        return QStringLiteral("unknown");
    case Health::Ok:
        return QStringLiteral("ok");
    case Health::Warning:
        return QStringLiteral("warning");
    case Health::Failure:
        return QStringLiteral("failure");
    }
    return {};
}

bool EnvironmentStatus::isStale(const QDateTime &now, int staleAfterHours) const
{
    // Nothing syncs into the legacy bucket any more: its age is history, not a missed backup.
    if (names.isLegacy())
        return false;
    return lastSyncState == LastSyncState::Valid && lastSync.secsTo(now) > qint64(staleAfterHours) * 3600;
}

QString EnvironmentStatus::lastSyncText(const QDateTime &now, int staleAfterHours) const
{
    switch (lastSyncState) {
    case LastSyncState::Valid:
        return LastSync::relativeAge(lastSync, now) +
               (isStale(now, staleAfterHours) ? QStringLiteral(" (stale)") : QString());
    case LastSyncState::Missing:
        return lastChange.isValid() ? QStringLiteral("no .last-sync, last change %1")
                                          .arg(LastSync::relativeAge(lastChange, now))
                                    : QStringLiteral("no .last-sync");
    case LastSyncState::Unreadable:
        return QStringLiteral("unreadable");
    case LastSyncState::Unknown:
        break;
    }
    return QStringLiteral("-");
}

void EnvironmentStatus::assess(const QDateTime &now, int staleAfterHours)
{
    problems.clear();
    Health h = Health::Ok;
    const auto worse = [&](Health x, const QString &why) {
        if (int(x) > int(h))
            h = x;
        problems << why;
    };
    if (!missingCredentials.isEmpty())
        worse(Health::Failure,
              QStringLiteral("missing credentials: ") + missingCredentials.join(QStringLiteral(", ")));
    if (error)
        worse(Health::Failure, error->message);
    if (markerState == MarkerState::Foreign && marker)
        worse(Health::Failure,
              QStringLiteral("bucket is marked as belonging to %1").arg(marker->environmentLabel()));
    if (lastSyncState == LastSyncState::Unreadable)
        worse(Health::Warning, QStringLiteral(".last-sync is unreadable: ") + lastSyncError);
    if (isStale(now, staleAfterHours))
        worse(Health::Warning, QStringLiteral("last sync is older than %1 h").arg(staleAfterHours));
    if (markerState == MarkerState::Missing && reachable && objects > 0)
        worse(Health::Warning, QStringLiteral("no identity marker (stamp the bucket)"));
    if (markerState == MarkerState::Unreadable)
        worse(Health::Warning, markerError.isEmpty()
                                   ? QStringLiteral("identity marker is unreadable")
                                   : QStringLiteral("identity marker is unreadable: ") + markerError);
    health = (!reachable && !error && missingCredentials.isEmpty()) ? Health::Unknown : h;
}

QJsonObject EnvironmentStatus::toJson(const QDateTime &now, int staleAfterHours) const
{
    QJsonObject o;
    o.insert(QStringLiteral("environment"),
             names.isLegacy() ? QJsonValue(QJsonValue::Null) : QJsonValue(names.environment));
    o.insert(QStringLiteral("legacy"), names.isLegacy());
    o.insert(QStringLiteral("bucket"), names.bucket);
    o.insert(QStringLiteral("mountPath"), names.mountPath);
    o.insert(QStringLiteral("instanceId"), names.instanceId);
    o.insert(QStringLiteral("location"), location);
    QJsonObject creds{{QStringLiteral("source"), credentialSourceName(credentialSource)},
                      {QStringLiteral("description"), credentialText},
                      {QStringLiteral("missing"), QJsonArray::fromStringList(missingCredentials)},
                      {QStringLiteral("notes"), QJsonArray::fromStringList(notes)}};
    o.insert(QStringLiteral("credentials"), creds);
    if (!mountKind.isEmpty())
        o.insert(QStringLiteral("mount"),
                 QJsonObject{{QStringLiteral("kind"), mountKind}, {QStringLiteral("source"), mountSource}});
    o.insert(QStringLiteral("reachable"), reachable);
    if (error)
        o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("kind"), errorKindName(error->kind)},
                                                      {QStringLiteral("message"), error->message}});
    else
        o.insert(QStringLiteral("error"), QJsonValue(QJsonValue::Null));
    QJsonObject ls;
    switch (lastSyncState) {
    case LastSyncState::Unknown:
        ls.insert(QStringLiteral("state"), QStringLiteral("unknown"));
        break;
    case LastSyncState::Missing:
        ls.insert(QStringLiteral("state"), QStringLiteral("missing"));
        break;
    case LastSyncState::Unreadable:
        ls.insert(QStringLiteral("state"), QStringLiteral("unreadable"));
        ls.insert(QStringLiteral("raw"), QString::fromUtf8(lastSyncRaw.left(200)).trimmed());
        ls.insert(QStringLiteral("error"), lastSyncError);
        break;
    case LastSyncState::Valid:
        ls.insert(QStringLiteral("state"), QStringLiteral("valid"));
        ls.insert(QStringLiteral("raw"), QString::fromUtf8(lastSyncRaw).trimmed());
        ls.insert(QStringLiteral("time"), lastSync.toUTC().toString(Qt::ISODate));
        ls.insert(QStringLiteral("ageSeconds"), double(lastSync.secsTo(now)));
        ls.insert(QStringLiteral("age"), LastSync::relativeAge(lastSync, now));
        ls.insert(QStringLiteral("stale"), isStale(now, staleAfterHours));
        break;
    }
    o.insert(QStringLiteral("lastSync"), ls);
    if (lastChange.isValid())
        o.insert(QStringLiteral("lastChange"),
                 QJsonObject{{QStringLiteral("time"), lastChange.toUTC().toString(Qt::ISODate)},
                             {QStringLiteral("ageSeconds"), double(lastChange.secsTo(now))},
                             {QStringLiteral("age"), LastSync::relativeAge(lastChange, now)},
                             {QStringLiteral("key"), lastChangeKey}});
    else
        o.insert(QStringLiteral("lastChange"), QJsonValue(QJsonValue::Null));
    QJsonArray pre;
    for (const PrefixUsage &p : prefixes)
        pre.append(QJsonObject{{QStringLiteral("prefix"), p.prefix},
                               {QStringLiteral("objects"), double(p.objects)},
                               {QStringLiteral("bytes"), double(p.bytes)}});
    o.insert(QStringLiteral("usage"), QJsonObject{{QStringLiteral("listed"), listed},
                                                  {QStringLiteral("objects"), double(objects)},
                                                  {QStringLiteral("bytes"), double(bytes)},
                                                  {QStringLiteral("prefixes"), pre}});
    QJsonObject mk;
    static const char *states[] = {"unknown", "missing", "own", "foreign", "unreadable"};
    mk.insert(QStringLiteral("state"), QLatin1String(states[int(markerState)]));
    if (marker) {
        mk.insert(QStringLiteral("environment"), marker->environment.isEmpty()
                                                     ? QJsonValue(QJsonValue::Null)
                                                     : QJsonValue(marker->environment));
        mk.insert(QStringLiteral("bucket"), marker->bucket);
    }
    if (!markerError.isEmpty())
        mk.insert(QStringLiteral("error"), markerError);
    o.insert(QStringLiteral("marker"), mk);
    o.insert(QStringLiteral("health"), healthName(health));
    o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    return o;
}

} // namespace moltdesk
