#include "BucketComparison.h"

#include "ControlKeys.h"
#include "FolderObjects.h"
#include "SeedLayout.h"

#include <QJsonArray>
#include <algorithm>

namespace moltdesk {

namespace {

bool byKey(const KeyedSide &x, const KeyedSide &y)
{
    return x.key < y.key;
}

QList<KeyedSide> comparableSides(const QList<ObjectInfo> &objects)
{
    QList<KeyedSide> sides;
    sides.reserve(objects.size());
    for (const ObjectInfo &o : objects)
        if (KeyedSide::comparable(o))
            sides.append(KeyedSide::of(o));
    return sides;
}

// How many entries the walk makes: the list of them is allocated once, at its size.
qsizetype mergedCount(const QList<KeyedSide> &a, const QList<KeyedSide> &b)
{
    qsizetype n = 0;
    auto ia = a.cbegin();
    auto ib = b.cbegin();
    while (ia != a.cend() && ib != b.cend()) {
        const bool aFirst = ia->key < ib->key;
        const bool bFirst = ib->key < ia->key;
        ia += bFirst ? 0 : 1;
        ib += aFirst ? 0 : 1;
        ++n;
    }
    return n + (a.cend() - ia) + (b.cend() - ib);
}

CompareEntry entryOf(const QString &key, CompareState state, const CompareSide &a, const CompareSide &b)
{
    return CompareEntry{key, state, isSensitiveKey(key), a, b};
}

// The entry's prefix as a view of its key, so counting 100,000 entries makes no string per entry.
QStringView prefixOf(const QString &key)
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    return slash < 0 ? QStringView() : QStringView(key).left(slash + 1);
}

QJsonValue sideJson(const CompareSide &o)
{
    if (o.size < 0)
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("size"), double(o.size)},
                       {QStringLiteral("modified"), o.modified.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("md5"), o.md5.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                               : QJsonValue(QString::fromLatin1(o.md5))}};
}

QJsonObject countsJson(const CompareCounts &c)
{
    QJsonObject o;
    for (int s = 0; s < kCompareStateCount; ++s)
        o.insert(compareStateName(CompareState(s)), double(c.count[s]));
    return o;
}

} // namespace

QString compareStateName(CompareState s)
{
    switch (s) {
    case CompareState::OnlyInA:
        return QStringLiteral("only-a");
    case CompareState::OnlyInB:
        return QStringLiteral("only-b");
    case CompareState::Differ:
        return QStringLiteral("differ");
    case CompareState::Identical:
        return QStringLiteral("identical");
    case CompareState::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

CompareState compareSides(const CompareSide &a, const CompareSide &b)
{
    if (a.size != b.size)
        return CompareState::Differ;
    if (a.md5.isEmpty() || b.md5.isEmpty())
        return CompareState::Unknown;
    return a.md5 == b.md5 ? CompareState::Identical : CompareState::Differ;
}

QString CompareEntry::prefix() const
{
    return prefixOf(key).toString();
}

qint64 CompareCounts::total() const
{
    qint64 t = 0;
    for (qint64 c : count)
        t += c;
    return t;
}

bool KeyedSide::comparable(const ObjectInfo &o)
{
    return !isControlKey(o.key) && !FolderObjects::isFolderObject(o);
}

BucketComparison BucketComparison::compute(QList<ObjectInfo> a, QList<ObjectInfo> b)
{
    QList<KeyedSide> sa = comparableSides(a);
    a = {};
    return compute(std::move(sa), comparableSides(b));
}

BucketComparison BucketComparison::compute(QList<KeyedSide> a, QList<KeyedSide> b)
{
    // Listings come sorted (S3 in UTF-8 byte order, which differs from QString's only past U+FFFF):
    // sorting is then a check, and the walk needs neither side in a map.
    if (!std::is_sorted(a.cbegin(), a.cend(), byKey))
        std::sort(a.begin(), a.end(), byKey);
    if (!std::is_sorted(b.cbegin(), b.cend(), byKey))
        std::sort(b.begin(), b.end(), byKey);
    BucketComparison c;
    c.entries.reserve(mergedCount(a, b));
    auto ia = a.cbegin();
    auto ib = b.cbegin();
    while (ia != a.cend() || ib != b.cend()) {
        if (ib == b.cend() || (ia != a.cend() && ia->key < ib->key)) {
            c.entries.append(entryOf(ia->key, CompareState::OnlyInA, ia->side, {}));
            ++ia;
        } else if (ia == a.cend() || ib->key < ia->key) {
            c.entries.append(entryOf(ib->key, CompareState::OnlyInB, {}, ib->side));
            ++ib;
        } else {
            c.entries.append(entryOf(ia->key, compareSides(ia->side, ib->side), ia->side, ib->side));
            ++ia;
            ++ib;
        }
    }
    c.recount();
    return c;
}

void BucketComparison::recount()
{
    totals = {};
    byPrefix.clear();
    sensitiveIdentical = 0;
    // Keys under one prefix are next to each other in key order: one map lookup per run of them.
    CompareCounts *current = nullptr;
    QStringView currentPrefix;
    for (const CompareEntry &e : std::as_const(entries)) {
        const QStringView prefix = prefixOf(e.key);
        if (!current || prefix != currentPrefix) {
            current = &byPrefix[prefix.toString()];
            currentPrefix = prefix;
        }
        totals.count[int(e.state)]++;
        current->count[int(e.state)]++;
        if (e.sensitive && e.state == CompareState::Identical)
            ++sensitiveIdentical;
    }
}

QJsonObject BucketComparison::toJson(bool withEntries) const
{
    QJsonObject prefixes;
    for (auto it = byPrefix.cbegin(); it != byPrefix.cend(); ++it)
        prefixes.insert(it.key().isEmpty() ? QStringLiteral("(root)") : it.key(), countsJson(it.value()));
    QJsonObject o{{QStringLiteral("a"), nameA},
                  {QStringLiteral("b"), nameB},
                  {QStringLiteral("same"), same()},
                  {QStringLiteral("counts"), countsJson(totals)},
                  {QStringLiteral("prefixes"), prefixes},
                  {QStringLiteral("sensitiveIdentical"), double(sensitiveIdentical)}};
    if (withEntries) {
        QJsonArray arr;
        for (const CompareEntry &e : entries)
            arr.append(QJsonObject{{QStringLiteral("key"), e.key},
                                   {QStringLiteral("state"), compareStateName(e.state)},
                                   {QStringLiteral("sensitive"), e.sensitive},
                                   {QStringLiteral("a"), sideJson(e.a)},
                                   {QStringLiteral("b"), sideJson(e.b)}});
        o.insert(QStringLiteral("entries"), arr);
    }
    return o;
}

} // namespace moltdesk
