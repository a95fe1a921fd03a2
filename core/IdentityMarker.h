#pragma once

#include "BucketNaming.h"
#include "Result.h"
#include "StorageBackend.h"

#include <QDateTime>
#include <QFuture>
#include <optional>

namespace moltdesk {

struct MarkerReading;

// `.moltdesk-environment`: a small JSON object sync writes into a bucket so the audit can tell which
// environment the bucket belongs to, and sync can refuse to write into another environment's bucket.
struct IdentityMarker
{
    static constexpr const char *kKey = ".moltdesk-environment";
    // A marker is a few hundred bytes; anything past this is not one (and is read as unreadable).
    static constexpr qint64 kMaxBytes = 64 * 1024;

    QString environment; // empty for legacy
    QString bucket;
    QDateTime written;

    // "development", or "(legacy)" for the legacy environment's marker.
    QString environmentLabel() const;
    QByteArray toJson() const;
    static Result<IdentityMarker> parse(const QByteArray &data);

    // The one way to read a bucket's marker and say what it means for `env` (status, audit, sync and
    // both stamp paths use it). fetch + classify are read split in two, for callers that ask for the
    // marker together with other objects and classify it when it arrives.
    static MarkerReading read(StorageBackend &backend, const EnvironmentNames &env);
    static QFuture<Result<QByteArray>> fetch(StorageBackend &backend);
    static MarkerReading classify(const Result<QByteArray> &fetched, const EnvironmentNames &env);
};

enum class MarkerState {
    Missing,    // the bucket holds no marker
    Own,        // names this environment (its bucket may still differ: see MarkerReading::forOtherBucket)
    Foreign,    // names another environment: the bucket is cross-wired
    Unreadable, // something is there but it is not a marker: evidence, never overwritten silently
    NotRead,    // the bucket could not be asked (network, access): nothing is known
};

// What IdentityMarker::read found. An unreadable marker is kept as evidence: sync refuses to write
// such a bucket and stamping needs an explicit override (StampOptions::overwriteUnreadable).
struct MarkerReading
{
    MarkerState state = MarkerState::NotRead;
    std::optional<IdentityMarker> marker; // Own and Foreign
    QByteArray raw;                       // Unreadable: what the object holds, when it could be read
    std::optional<Error> error;           // Unreadable: why it is not a marker; NotRead: why not fetched

    // The marker names this environment but another bucket: probably copied from there.
    bool forOtherBucket(const EnvironmentNames &env) const;
    // One line for people: "names production", "unreadable: identity marker is not a JSON object".
    QString describe() const;
};

// Error::code of stampMarker's refusals, so a front end can offer the one override there is.
namespace StampRefusal {
inline constexpr char WrongBucket[] = "wrong-bucket";           // the backend is not env's bucket
inline constexpr char CrossWired[] = "cross-wired";             // the marker names another environment
inline constexpr char UnreadableMarker[] = "unreadable-marker"; // --force / the GUI's checkbox
} // namespace StampRefusal

struct StampOptions
{
    // Overwrite a marker that cannot be read. Only on an explicit request: it is evidence.
    bool overwriteUnreadable = false;
    // What the operator typed to confirm: production's bucket is stamped only with its name.
    QString confirmation = {};
};

// Writes the environment's identity marker into its bucket (`moltctl stamp`, the window's Stamp).
// Refuses production without its name typed (confirmProduction), when the backend is not the environment's
// bucket, when the bucket carries another environment's marker (it is cross-wired and stamping would hide the
// evidence), and, unless `options.overwriteUnreadable`, when it holds a marker that cannot be read. A marker
// that already names the environment and its bucket is kept.
Status stampMarker(StorageBackend &backend, const EnvironmentNames &env, const StampOptions &options = {});

} // namespace moltdesk
