#pragma once

#include "ObjectInfo.h"
#include "Result.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace moltdesk {

// How one key compares between two buckets, as `rclone check` reports it.
enum class CompareState {
    OnlyInA,
    OnlyInB,
    Differ,    // sizes differ, or both checksums are known and differ
    Identical, // same size and same MD5
    Unknown,   // same size, but a checksum is missing on one side (multipart upload): not proven equal
};
QString compareStateName(CompareState s); // "only-a", "only-b", "differ", "identical", "unknown"
inline constexpr int kCompareStateCount = 5;

// One side of a key: what the view and `moltctl compare --json` show of it. No key, no ETag: an entry
// holds its key once, and 100,000 entries are held while the window shows them.
struct CompareSide
{
    qint64 size = -1; // -1 when absent
    QDateTime modified;
    QByteArray md5; // lowercase hex MD5 of the content when known, else empty

    static CompareSide of(const ObjectInfo &o) { return {o.size, o.modified, o.md5}; }
    bool present() const { return size >= 0; }
};

// How two present sides compare (both present): sizes, then both checksums.
CompareState compareSides(const CompareSide &a, const CompareSide &b);

// One key of one listing as a comparison takes it in: what stays of an ObjectInfo (88 bytes) is 64.
struct KeyedSide
{
    QString key;
    CompareSide side;

    // False for what describes the bucket rather than its data (control keys, folder objects).
    static bool comparable(const ObjectInfo &o);
    static KeyedSide of(const ObjectInfo &o) { return {o.key, CompareSide::of(o)}; }
};

struct CompareEntry
{
    QString key;
    CompareState state = CompareState::Identical;
    bool sensitive = false; // a config, device or credential file (the audit's leak rule)
    CompareSide a;
    CompareSide b;
    QString prefix() const; // the first path segment with its slash, or "" at the root
};

} // namespace moltdesk

// Implicitly shared Qt values and plain numbers: a list of 100,000 of them grows by realloc, in place
// when it can, instead of moving every element into a new block.
Q_DECLARE_TYPEINFO(moltdesk::CompareSide, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(moltdesk::KeyedSide, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(moltdesk::CompareEntry, Q_RELOCATABLE_TYPE);

namespace moltdesk {

struct CompareCounts
{
    qint64 count[kCompareStateCount] = {};
    qint64 of(CompareState s) const { return count[int(s)]; }
    qint64 total() const;
};

// The whole comparison of two listings; control keys (.last-sync, markers) and folder objects are
// left out, because they describe the bucket rather than the data in it.
struct BucketComparison
{
    QString nameA, nameB;        // for people: "development (moltbot-data-development)"
    QList<CompareEntry> entries; // sorted by key
    CompareCounts totals;
    QMap<QString, CompareCounts> byPrefix;
    qint64 sensitiveIdentical = 0;

    // A merge walk of the two listings, each sorted by key here unless it already is (no map of
    // either side): pass them with std::move when they are not needed afterwards.
    static BucketComparison compute(QList<ObjectInfo> a, QList<ObjectInfo> b);
    // The same walk over sides already taken in (comparable ones only, see KeyedSide::comparable).
    static BucketComparison compute(QList<KeyedSide> a, QList<KeyedSide> b);
    // Counts the entries again (totals, per prefix, sensitive identical) after states were changed.
    void recount();
    bool same() const { return totals.of(CompareState::Identical) == totals.total(); }
    QJsonObject toJson(bool withEntries = true) const;
};

} // namespace moltdesk
