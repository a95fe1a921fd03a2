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

struct CompareEntry
{
    QString key;
    CompareState state = CompareState::Identical;
    ObjectInfo a; // size -1 when absent
    ObjectInfo b;
    bool sensitive = false; // a config, device or credential file (the audit's leak rule)
    QString prefix() const; // the first path segment with its slash, or "" at the root
};

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

    static BucketComparison compute(const QList<ObjectInfo> &a, const QList<ObjectInfo> &b);
    bool same() const { return totals.of(CompareState::Identical) == totals.total(); }
    QJsonObject toJson(bool withEntries = true) const;
};

} // namespace moltdesk
