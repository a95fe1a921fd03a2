#pragma once

#include "Error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace moltdesk {

struct ObjectInfo
{
    QString key;
    qint64 size = -1;
    QDateTime modified; // server's Last-Modified, or the file's mtime in mount mode
    QByteArray etag;    // without quotes
    QByteArray md5;     // lowercase hex MD5 of the content when known, else empty

    // A single-part S3 ETag is the MD5; a multipart one ("...-N") is not.
    static QByteArray md5FromEtag(const QByteArray &etag);
    bool isMultipart() const { return etag.contains('-'); }
};

} // namespace moltdesk

// Every member is an implicitly shared Qt value: a QList<ObjectInfo> of a 100,000-object listing grows
// by realloc (often in place) instead of copying every element into a new block.
Q_DECLARE_TYPEINFO(moltdesk::ObjectInfo, Q_RELOCATABLE_TYPE);

namespace moltdesk {

// What a HEAD says about one object beyond its listing entry, for people (the browser's details).
struct ObjectDetails
{
    ObjectInfo info;
    QString contentType;                     // empty when the server (or the file) says nothing
    QList<QPair<QString, QString>> metadata; // x-amz-meta-* without the prefix, in the server's order
    bool hasEtag() const { return !info.etag.isEmpty(); }
};

struct Listing
{
    QList<ObjectInfo> objects;
    QStringList commonPrefixes; // only with a delimiter
    // s3fs's zero-byte folder objects ("a/", "a_$folder$"), kept apart from `objects` by
    // FolderObjects::separate: they are folders, never data (see FolderObjects.h).
    QList<ObjectInfo> folderObjects;
};

struct ListRequest
{
    QString prefix;
    QString delimiter; // "/" to browse folder by folder
    int maxKeys = 0;   // 0: everything, paging through; n: stop after n keys
};

struct DeleteReport
{
    QStringList deleted;
    QList<Error> failed; // per key; never counted as deleted
};

} // namespace moltdesk

Q_DECLARE_METATYPE(moltdesk::ObjectInfo)
