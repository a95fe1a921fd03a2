#pragma once

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

namespace moltdesk {

// The `.migrated-from` report a migration writes into its destination bucket (and locally): which
// objects it brought in from which bucket, with their size and MD5. Read by sync (which deletions
// remove migrated data) and by the audit.
struct MigrationReport
{
    static constexpr const char *kKey = ".migrated-from";

    struct Object
    {
        qint64 size = -1;
        QByteArray md5; // lowercase hex, may be empty
    };

    QString source;      // the legacy bucket
    QString destination; // the environment's bucket
    QDateTime migratedAt;
    QHash<QString, Object> objects;

    // InvalidInput when the bytes are not a report (not JSON, no "objects" array).
    static Result<MigrationReport> parse(const QByteArray &json);
};

} // namespace moltdesk
