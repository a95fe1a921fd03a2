#pragma once

#include "Result.h"

#include <QDateTime>

namespace moltdesk {

// `.moltdesk-environment`: a small JSON object sync writes into a bucket so the audit can tell which
// environment the bucket belongs to, and sync can refuse to write into another environment's bucket.
struct IdentityMarker
{
    static constexpr const char *kKey = ".moltdesk-environment";

    QString environment; // empty for legacy
    QString bucket;
    QDateTime written;

    QByteArray toJson() const;
    static Result<IdentityMarker> parse(const QByteArray &data);
};

} // namespace moltdesk
