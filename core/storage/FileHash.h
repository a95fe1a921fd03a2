#pragma once

#include "CancelToken.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

namespace moltdesk {

struct FileDigest
{
    qint64 size = 0;
    QByteArray md5;    // lowercase hex
    QByteArray sha256; // lowercase hex
};

// One read pass gives both digests: MD5 to compare with ETags, SHA-256 for SigV4 payload signing.
class FileHash
{
public:
    static Result<FileDigest> compute(const QString &path, const CancelToken &cancel = {});
};

} // namespace moltdesk
