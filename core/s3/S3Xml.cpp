#include "S3Xml.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace moltdesk::S3Xml {

namespace {

Error malformed(const QString &what)
{
    Error e = makeError(ErrorKind::Server, QStringLiteral("the server sent a malformed reply: %1").arg(what));
    return e;
}

// Walks the document, refusing DTDs (entity expansion) and anything that is not XML.
template <typename OnElement>
bool walk(const QByteArray &body, const QString &root, OnElement onElement, QString &error)
{
    // A web page where an S3 reply belongs (a wrong endpoint, a proxy's or captive portal's page)
    // deserves its own words rather than an XML complaint.
    const QByteArray head = body.left(512).trimmed().toLower();
    if (head.startsWith("<!doctype html") || head.contains("<html")) {
        error = QStringLiteral("an HTML page instead of S3 XML; is the endpoint a website, a proxy or a "
                               "captive portal rather than the S3 API?");
        return false;
    }
    if (body.trimmed().isEmpty()) {
        error = QStringLiteral("an empty body where S3 sends <%1>").arg(root);
        return false;
    }
    QXmlStreamReader r(body);
    bool sawRoot = false;
    QStringList path;
    while (!r.atEnd()) {
        const auto t = r.readNext();
        if (t == QXmlStreamReader::DTD || t == QXmlStreamReader::EntityReference) {
            error = QStringLiteral("it declares a DTD or entities, which S3 never does");
            return false;
        }
        if (t == QXmlStreamReader::StartElement) {
            if (path.isEmpty()) {
                if (r.name() != root) {
                    error = QStringLiteral("expected <%1>, found <%2>").arg(root, r.name().toString());
                    return false;
                }
                sawRoot = true;
            }
            path.append(r.name().toString());
            if (!onElement(r, path))
                return false;
            // onElement may have consumed the element's text (readElementText) and its end tag.
            if (r.tokenType() == QXmlStreamReader::EndElement)
                path.removeLast();
        } else if (t == QXmlStreamReader::EndElement) {
            if (!path.isEmpty())
                path.removeLast();
        }
    }
    if (r.hasError()) {
        error = QStringLiteral("XML error at line %1: %2").arg(r.lineNumber()).arg(r.errorString());
        return false;
    }
    if (!sawRoot) {
        error = QStringLiteral("no <%1> element").arg(root);
        return false;
    }
    return true;
}

QByteArray unquote(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("&quot;"))
        etag = etag.mid(6);
    if (etag.endsWith("&quot;"))
        etag.chop(6);
    if (etag.startsWith('"'))
        etag = etag.mid(1);
    if (etag.endsWith('"'))
        etag.chop(1);
    return etag;
}

} // namespace

QString escape(const QString &text)
{
    QString out;
    for (QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += QStringLiteral("&amp;");
            break;
        case '<':
            out += QStringLiteral("&lt;");
            break;
        case '>':
            out += QStringLiteral("&gt;");
            break;
        case '"':
            out += QStringLiteral("&quot;");
            break;
        case '\'':
            out += QStringLiteral("&apos;");
            break;
        default:
            // XML 1.0 cannot carry most control characters even escaped; S3 documents &#xD; style.
            if (c.unicode() < 0x20 && c != QLatin1Char('\t'))
                out += QStringLiteral("&#x%1;").arg(c.unicode(), 0, 16);
            else
                out += c;
        }
    }
    return out;
}

bool parseError(const QByteArray &body, ErrorReply &out)
{
    if (!body.contains("<Error"))
        return false;
    QString err;
    return walk(
               body, QStringLiteral("Error"),
               [&](QXmlStreamReader &r, const QStringList &path) {
                   if (path.size() == 2) {
                       const QString name = path.last();
                       const QString text = r.readElementText(QXmlStreamReader::SkipChildElements);
                       if (name == QLatin1String("Code"))
                           out.code = text;
                       else if (name == QLatin1String("Message"))
                           out.message = text;
                       else if (name == QLatin1String("RequestTime"))
                           out.requestTime = text;
                       else if (name == QLatin1String("ServerTime"))
                           out.serverTime = text;
                   }
                   return true;
               },
               err) &&
           !out.code.isEmpty();
}

// One child element of <Contents> into `o`. Which element is decided before its text is read (that
// moves the reader on), and no string is made for the name: a page of 1,000 objects has 5,000 of them.
static bool readContentsField(QXmlStreamReader &r, ObjectInfo &o, QString &err)
{
    enum { Other, Key, Size, Modified, ETag } which = Other;
    const QStringView name = r.name();
    if (name == QLatin1String("Key"))
        which = Key;
    else if (name == QLatin1String("Size"))
        which = Size;
    else if (name == QLatin1String("LastModified"))
        which = Modified;
    else if (name == QLatin1String("ETag"))
        which = ETag;
    QString text = r.readElementText(QXmlStreamReader::SkipChildElements);
    if (which == Key) {
        text.squeeze(); // held for the whole plan, once per object: no spare capacity
        o.key = std::move(text);
    } else if (which == Size) {
        bool ok = false;
        o.size = text.toLongLong(&ok);
        if (!ok) {
            err = QStringLiteral("object size \"%1\" is not a number").arg(text.left(40));
            return false;
        }
    } else if (which == Modified) {
        o.modified = QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
    } else if (which == ETag) {
        o.etag = unquote(text.toUtf8());
        o.md5 = ObjectInfo::md5FromEtag(o.etag);
    }
    return true;
}

Result<ListPage> parseListV2(const QByteArray &body)
{
    ListPage page;
    ObjectInfo current;
    bool haveTruncated = false;
    QString err;
    const bool ok = walk(
        body, QStringLiteral("ListBucketResult"),
        [&](QXmlStreamReader &r, const QStringList &path) {
            if (path.size() == 3 && path.at(1) == QLatin1String("CommonPrefixes") &&
                path.last() == QLatin1String("Prefix")) {
                page.commonPrefixes.append(r.readElementText(QXmlStreamReader::SkipChildElements));
                return true;
            }
            if (path.size() == 2) {
                const QString &name = path.last();
                if (name == QLatin1String("IsTruncated")) {
                    page.truncated = r.readElementText() == QLatin1String("true");
                    haveTruncated = true;
                } else if (name == QLatin1String("NextContinuationToken")) {
                    page.nextToken = r.readElementText();
                }
            }
            return true;
        },
        err);
    if (!ok)
        return malformed(err);
    // Objects: a second, flat pass records each <Contents> only when it is complete. (The walk above
    // already refused DTDs and malformed documents.)
    QXmlStreamReader r(body);
    int depth = 0;
    bool inContents = false;
    while (!r.atEnd()) {
        const auto t = r.readNext();
        if (t == QXmlStreamReader::StartElement) {
            ++depth;
            if (depth == 2 && r.name() == QLatin1String("Contents")) {
                inContents = true;
                current = ObjectInfo{};
            } else if (inContents && depth == 3) {
                QString why;
                if (!readContentsField(r, current, why))
                    return malformed(why);
                --depth;
            }
        } else if (t == QXmlStreamReader::EndElement) {
            if (depth == 2 && inContents) {
                inContents = false;
                if (current.key.isEmpty() || current.size < 0)
                    return malformed(QStringLiteral("an object without a key or size"));
                page.objects.append(current);
            }
            --depth;
        }
    }
    if (!haveTruncated)
        return malformed(QStringLiteral("a listing without IsTruncated"));
    if (page.truncated && page.nextToken.isEmpty())
        return malformed(QStringLiteral("a truncated listing without NextContinuationToken"));
    return page;
}

Result<QString> parseUploadId(const QByteArray &body)
{
    QString id, err;
    if (!walk(
            body, QStringLiteral("InitiateMultipartUploadResult"),
            [&](QXmlStreamReader &r, const QStringList &path) {
                if (path.size() == 2 && path.last() == QLatin1String("UploadId"))
                    id = r.readElementText();
                return true;
            },
            err))
        return malformed(err);
    if (id.isEmpty())
        return malformed(QStringLiteral("no UploadId"));
    return id;
}

namespace {
// CopyObject and CompleteMultipartUpload both answer with the new object's ETag under their own root.
Result<QByteArray> parseEtagReply(const QByteArray &body, const QString &root)
{
    QByteArray etag;
    QString err;
    if (!walk(
            body, root,
            [&](QXmlStreamReader &r, const QStringList &path) {
                if (path.size() == 2 && path.last() == QLatin1String("ETag"))
                    etag = unquote(r.readElementText().toUtf8());
                return true;
            },
            err))
        return malformed(err);
    return etag;
}
} // namespace

Result<QByteArray> parseCopyResult(const QByteArray &body)
{
    return parseEtagReply(body, QStringLiteral("CopyObjectResult"));
}

Result<QByteArray> parseCompleteMultipart(const QByteArray &body)
{
    return parseEtagReply(body, QStringLiteral("CompleteMultipartUploadResult"));
}

Result<DeleteReply> parseDeleteResult(const QByteArray &body)
{
    DeleteReply reply;
    QString err;
    QString key;
    ErrorReply e;
    if (!walk(
            body, QStringLiteral("DeleteResult"),
            [&](QXmlStreamReader &r, const QStringList &path) {
                if (path.size() == 2) {
                    key.clear();
                    e = ErrorReply{};
                }
                if (path.size() == 3) {
                    const QString text = r.readElementText(QXmlStreamReader::SkipChildElements);
                    if (path.last() == QLatin1String("Key"))
                        key = text;
                    else if (path.last() == QLatin1String("Code"))
                        e.code = text;
                    else if (path.last() == QLatin1String("Message"))
                        e.message = text;
                    // Deleted and Error carry Key first in practice, but record on the last field seen.
                    if (path.at(1) == QLatin1String("Deleted") && path.last() == QLatin1String("Key"))
                        reply.deleted.append(key);
                    if (path.at(1) == QLatin1String("Error") && !key.isEmpty() && !e.code.isEmpty()) {
                        reply.errors.append({key, e});
                        key.clear();
                        e = ErrorReply{};
                    }
                }
                return true;
            },
            err))
        return malformed(err);
    return reply;
}

QByteArray deleteRequest(const QStringList &keys)
{
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>false</Quiet>");
    for (const QString &k : keys)
        xml += QStringLiteral("<Object><Key>") + escape(k) + QStringLiteral("</Key></Object>");
    xml += QStringLiteral("</Delete>");
    return xml.toUtf8();
}

QByteArray completeMultipartRequest(const QList<QByteArray> &etags)
{
    QByteArray xml = "<CompleteMultipartUpload>";
    for (qsizetype i = 0; i < etags.size(); ++i)
        xml += "<Part><PartNumber>" + QByteArray::number(i + 1) + "</PartNumber><ETag>\"" + etags.at(i) +
               "\"</ETag></Part>";
    xml += "</CompleteMultipartUpload>";
    return xml;
}

} // namespace moltdesk::S3Xml
