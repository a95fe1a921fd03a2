#pragma once

#include "Result.h"

#include <QDateTime>

namespace moltdesk {

// The `.last-sync` marker: the container writes `date -Iseconds` output (2026-02-04T10:15:30+00:00).
// We also accept `Z`, fractions of a second and a trailing newline; anything else is an error the
// caller shows as "unreadable", never a crash.
class LastSync
{
public:
    static constexpr const char *kKey = ".last-sync";
    static Result<QDateTime> parse(const QByteArray &raw);
    // Exactly the container's format, in UTC.
    static QByteArray format(const QDateTime &when);
    static QByteArray now();
    // "4 min ago", "2 days ago"
    static QString relativeAge(const QDateTime &when, const QDateTime &now);
};

} // namespace moltdesk
