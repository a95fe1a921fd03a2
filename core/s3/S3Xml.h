#pragma once

#include "ObjectInfo.h"
#include "Result.h"

namespace moltdesk {

// Parsers for S3's XML replies. Each refuses what a real server never sends (DTDs and entities,
// a truncated listing without a token, HTML) with an error rather than a guess.
namespace S3Xml {

struct ErrorReply
{
    QString code;
    QString message;
    QString requestTime; // RequestTimeTooSkewed
    QString serverTime;
};

struct ListPage
{
    QList<ObjectInfo> objects;
    QStringList commonPrefixes;
    bool truncated = false;
    QString nextToken;
};

struct DeleteReply
{
    QStringList deleted;
    QList<QPair<QString, ErrorReply>> errors; // key, error
};

// Parses an <Error> document; returns false if `body` is not one.
bool parseError(const QByteArray &body, ErrorReply &out);
Result<ListPage> parseListV2(const QByteArray &body);
Result<QString> parseUploadId(const QByteArray &body);
Result<QByteArray> parseCopyResult(const QByteArray &body);        // the new ETag
Result<QByteArray> parseCompleteMultipart(const QByteArray &body); // the new ETag
Result<DeleteReply> parseDeleteResult(const QByteArray &body);

QByteArray deleteRequest(const QStringList &keys);
QByteArray completeMultipartRequest(const QList<QByteArray> &etags);
QString escape(const QString &text);

} // namespace S3Xml

} // namespace moltdesk
