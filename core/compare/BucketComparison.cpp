#include "BucketComparison.h"

#include "ControlKeys.h"
#include "FolderObjects.h"
#include "SeedLayout.h"

#include <QJsonArray>

namespace moltdesk {

namespace {

bool comparable(const ObjectInfo &o)
{
    return !isControlKey(o.key) && !FolderObjects::isFolderObject(o);
}

CompareState stateOf(const ObjectInfo &a, const ObjectInfo &b)
{
    if (a.size != b.size)
        return CompareState::Differ;
    if (a.md5.isEmpty() || b.md5.isEmpty())
        return CompareState::Unknown;
    return a.md5 == b.md5 ? CompareState::Identical : CompareState::Differ;
}

QJsonValue sideJson(const ObjectInfo &o)
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

QString CompareEntry::prefix() const
{
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : key.left(slash + 1);
}

qint64 CompareCounts::total() const
{
    qint64 t = 0;
    for (qint64 c : count)
        t += c;
    return t;
}

BucketComparison BucketComparison::compute(const QList<ObjectInfo> &a, const QList<ObjectInfo> &b)
{
    QMap<QString, CompareEntry> byKey;
    for (const ObjectInfo &o : a) {
        if (comparable(o))
            byKey[o.key] = CompareEntry{o.key, CompareState::OnlyInA, o, {}, isSensitiveKey(o.key)};
    }
    for (const ObjectInfo &o : b) {
        if (!comparable(o))
            continue;
        auto it = byKey.find(o.key);
        if (it == byKey.end()) {
            byKey.insert(o.key, CompareEntry{o.key, CompareState::OnlyInB, {}, o, isSensitiveKey(o.key)});
            continue;
        }
        it->b = o;
        it->state = stateOf(it->a, o);
    }
    BucketComparison c;
    c.entries.reserve(byKey.size());
    for (const CompareEntry &e : std::as_const(byKey)) {
        c.totals.count[int(e.state)]++;
        c.byPrefix[e.prefix()].count[int(e.state)]++;
        if (e.sensitive && e.state == CompareState::Identical)
            ++c.sensitiveIdentical;
        c.entries.append(e);
    }
    return c;
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
