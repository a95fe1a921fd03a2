#pragma once

#include <QCollator>
#include <QStringList>
#include <algorithm>
#include <numeric>
#include <vector>

namespace moltdesk {

// The collator for names people read (keys, files): numeric mode, so `blob2` comes before `blob10`,
// and case-insensitive. QCollator ignores numeric mode for the C/POSIX locale (the usual one in
// containers, over SSH and in CI), so that locale is compared as English instead.
inline QCollator naturalCollator()
{
    const QLocale system;
    QCollator c(system.language() == QLocale::C ? QLocale(QLocale::English) : system);
    c.setNumericMode(true);
    c.setCaseSensitivity(Qt::CaseInsensitive);
    return c;
}

// The indexes of `names` in natural order (stable: equal names keep their order). Each name's sort key
// is made once, which is many times faster than comparing with the collator at every step (10,000 names
// in milliseconds, not a tenth of a second); it makes its own collator, so it may run on any thread.
inline std::vector<qsizetype> naturalOrder(const QStringList &names)
{
    const QCollator collator = naturalCollator();
    std::vector<QCollatorSortKey> keys;
    keys.reserve(size_t(names.size()));
    for (const QString &n : names)
        keys.push_back(collator.sortKey(n));
    std::vector<qsizetype> order(size_t(names.size()));
    std::iota(order.begin(), order.end(), qsizetype(0));
    std::stable_sort(order.begin(), order.end(), [&keys](qsizetype a, qsizetype b) {
        return keys[size_t(a)].compare(keys[size_t(b)]) < 0;
    });
    return order;
}

} // namespace moltdesk
