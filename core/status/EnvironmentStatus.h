#pragma once

#include "BucketNaming.h"
#include "Credentials.h"
#include "IdentityMarker.h"

#include <QJsonObject>
#include <optional>

namespace moltdesk {

struct PrefixUsage
{
    QString prefix; // "clawdbot/", or "" for objects at the bucket root
    qint64 objects = 0;
    qint64 bytes = 0;
};

enum class Health { Unknown, Ok, Warning, Failure };
QString healthName(Health h);

// Everything the status table and `moltctl status` show for one environment. Holds no secret.
struct EnvironmentStatus
{
    EnvironmentNames names;
    QString location;

    CredentialSource credentialSource = CredentialSource::None;
    QString credentialText; // "keychain", ".dev.vars.production", "missing R2_SECRET_ACCESS_KEY"
    QStringList missingCredentials;
    QStringList notes;

    // Mount mode: what the bucket's directory is, from /proc/self/mountinfo: "fuse.s3fs",
    // "fuse.rclone", another filesystem type, or "directory" when nothing is mounted there.
    QString mountKind;
    QString mountSource; // "s3fs", "r2:moltbot-data-production", ...

    bool reachable = false;
    std::optional<Error> error; // why it is not reachable or could not be read

    enum class LastSyncState { Unknown, Missing, Valid, Unreadable };
    LastSyncState lastSyncState = LastSyncState::Unknown;
    QByteArray lastSyncRaw;
    QDateTime lastSync;
    QString lastSyncError;

    // The newest data object's modification time: upstream's rclone era keeps no .last-sync in the
    // bucket, so this is the only sign of when the container last wrote (invalid when empty).
    QDateTime lastChange;
    QString lastChangeKey;

    bool listed = false;
    qint64 objects = 0;
    qint64 bytes = 0;
    QList<PrefixUsage> prefixes;

    enum class MarkerState { Unknown, Missing, Own, Foreign, Unreadable };
    MarkerState markerState = MarkerState::Unknown;
    std::optional<IdentityMarker> marker;
    QString markerError; // Unreadable: why (from IdentityMarker::read)

    Health health = Health::Unknown;
    QStringList problems; // one line each, why health is not Ok

    bool isStale(const QDateTime &now, int staleAfterHours) const;
    // "4 min ago", or for a bucket without .last-sync "no .last-sync, last change 4 min ago".
    QString lastSyncText(const QDateTime &now, int staleAfterHours) const;
    void assess(const QDateTime &now, int staleAfterHours);
    QJsonObject toJson(const QDateTime &now, int staleAfterHours) const;
};

} // namespace moltdesk
