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

// A web page where an S3 reply belongs (a wrong endpoint, a proxy's or captive portal's page)
// deserves its own words rather than an XML complaint; an empty body its own too.
bool refuseBeforeXml(const QByteArray &body, const QString &root, QString &error)
{
    const QByteArray head = body.left(512).trimmed().toLower();
    if (head.startsWith("<!doctype html") || head.contains("<html")) {
        error = QStringLiteral("an HTML page instead of S3 XML; is the endpoint a website, a proxy or a "
                               "captive portal rather than the S3 API?");
        return true;
    }
    if (body.trimmed().isEmpty()) {
        error = QStringLiteral("an empty body where S3 sends <%1>").arg(root);
        return true;
    }
    return false;
}

// DTDs mean entity expansion, which S3 never needs.
bool refuseToken(QXmlStreamReader::TokenType t, QString &error)
{
    if (t == QXmlStreamReader::DTD || t == QXmlStreamReader::EntityReference) {
        error = QStringLiteral("it declares a DTD or entities, which S3 never does");
        return true;
    }
    return false;
}

bool refuseRoot(const QXmlStreamReader &r, const QString &root, QString &error)
{
    if (r.name() != root) {
        error = QStringLiteral("expected <%1>, found <%2>").arg(root, r.name().toString());
        return true;
    }
    return false;
}

bool refuseAfterXml(const QXmlStreamReader &r, bool sawRoot, const QString &root, QString &error)
{
    if (r.hasError()) {
        error = QStringLiteral("XML error at line %1: %2").arg(r.lineNumber()).arg(r.errorString());
        return true;
    }
    if (!sawRoot) {
        error = QStringLiteral("no <%1> element").arg(root);
        return true;
    }
    return false;
}

// Walks the document, refusing DTDs (entity expansion) and anything that is not XML.
template <typename OnElement>
bool walk(const QByteArray &body, const QString &root, OnElement onElement, QString &error)
{
    if (refuseBeforeXml(body, root, error))
        return false;
    QXmlStreamReader r(body);
    bool sawRoot = false;
    QStringList path;
    while (!r.atEnd()) {
        const auto t = r.readNext();
        if (refuseToken(t, error))
            return false;
        if (t == QXmlStreamReader::StartElement) {
            if (path.isEmpty()) {
                if (refuseRoot(r, root, error))
                    return false;
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
    return !refuseAfterXml(r, sawRoot, root, error);
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

namespace {

// The child elements of <Contents> that matter. Which one is decided from the name as a view (no
// string is made for it: a page of 1,000 objects has 5,000 of them).
enum class ContentsField { None, Other, Key, Size, Modified, ETag };

ContentsField contentsField(QStringView name)
{
    if (name == QLatin1String("Key"))
        return ContentsField::Key;
    if (name == QLatin1String("Size"))
        return ContentsField::Size;
    if (name == QLatin1String("LastModified"))
        return ContentsField::Modified;
    if (name == QLatin1String("ETag"))
        return ContentsField::ETag;
    return ContentsField::Other;
}

// One child element's text into `o`.
bool applyContentsField(ContentsField which, QString text, ObjectInfo &o, QString &err)
{
    if (which == ContentsField::Key) {
        text.squeeze(); // held for the whole plan, once per object: no spare capacity
        o.key = std::move(text);
    } else if (which == ContentsField::Size) {
        bool ok = false;
        o.size = text.toLongLong(&ok);
        if (!ok) {
            err = QStringLiteral("object size \"%1\" is not a number").arg(text.left(40));
            return false;
        }
    } else if (which == ContentsField::Modified) {
        o.modified = QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
    } else if (which == ContentsField::ETag) {
        o.etag = unquote(text.toUtf8());
        o.md5 = ObjectInfo::md5FromEtag(o.etag);
    }
    return true;
}

} // namespace

namespace {

// A ListObjectsV2 page in one QXmlStreamReader pass, with a depth count instead of a path of names
// (a page of 1,000 objects has 6,000 elements). It refuses what walk() refuses, and in the same order
// as when the objects were a second pass: a document fault anywhere first, then the first bad object,
// then a missing IsTruncated or token.
class ListV2Reader
{
public:
    explicit ListV2Reader(const QByteArray &body) : m_body(body), m_r(body) {}

    Result<ListPage> read()
    {
        const QString root = QStringLiteral("ListBucketResult");
        QString err;
        if (refuseBeforeXml(m_body, root, err) || !readAll(root, err) ||
            refuseAfterXml(m_r, m_sawRoot, root, err))
            return malformed(err);
        if (!m_objectError.isEmpty())
            return malformed(m_objectError);
        if (!m_haveTruncated)
            return malformed(QStringLiteral("a listing without IsTruncated"));
        if (m_page.truncated && m_page.nextToken.isEmpty())
            return malformed(QStringLiteral("a truncated listing without NextContinuationToken"));
        return std::move(m_page);
    }

private:
    enum class Parent { Other, Contents, CommonPrefixes }; // the depth-2 element being read

    bool readAll(const QString &root, QString &err)
    {
        while (!m_r.atEnd()) {
            const auto t = m_r.readNext();
            if (refuseToken(t, err))
                return false;
            if (t == QXmlStreamReader::StartElement) {
                if (m_depth == 0) {
                    if (refuseRoot(m_r, root, err))
                        return false;
                    m_sawRoot = true;
                }
                ++m_depth;
                onStart();
                // onStart may have consumed the element's text and its end tag.
                if (m_r.tokenType() == QXmlStreamReader::EndElement)
                    onEnd();
            } else if (t == QXmlStreamReader::EndElement) {
                onEnd();
            } else if (t == QXmlStreamReader::Characters && m_depth == 3 && m_field != ContentsField::None) {
                m_text += m_r.text(); // only the field's own text, as readElementText(SkipChildElements)
            }
        }
        return true;
    }

    void onStart()
    {
        if (m_depth == 2)
            onTopField();
        else if (m_depth == 3 && m_parent == Parent::CommonPrefixes && m_r.name() == QLatin1String("Prefix"))
            m_page.commonPrefixes.append(m_r.readElementText(QXmlStreamReader::SkipChildElements));
        else if (m_depth == 3 && m_parent == Parent::Contents) {
            m_field = contentsField(m_r.name());
            m_text.clear();
        }
    }

    void onTopField()
    {
        const QStringView name = m_r.name();
        m_parent = Parent::Other;
        if (name == QLatin1String("Contents")) {
            m_parent = Parent::Contents;
            m_current = ObjectInfo{};
        } else if (name == QLatin1String("CommonPrefixes")) {
            m_parent = Parent::CommonPrefixes;
        } else if (name == QLatin1String("IsTruncated")) {
            m_page.truncated = m_r.readElementText() == QLatin1String("true");
            m_haveTruncated = true;
        } else if (name == QLatin1String("NextContinuationToken")) {
            m_page.nextToken = m_r.readElementText();
        }
    }

    // An object is recorded only when its <Contents> is complete.
    void onEnd()
    {
        if (m_depth == 3 && m_field != ContentsField::None) {
            QString why;
            if (!applyContentsField(m_field, std::move(m_text), m_current, why) && m_objectError.isEmpty())
                m_objectError = why;
            m_field = ContentsField::None;
            m_text = QString();
        }
        if (m_depth == 2 && m_parent == Parent::Contents) {
            m_parent = Parent::Other;
            if (m_current.key.isEmpty() || m_current.size < 0) {
                if (m_objectError.isEmpty())
                    m_objectError = QStringLiteral("an object without a key or size");
            } else if (m_objectError.isEmpty()) {
                m_page.objects.append(std::move(m_current));
            }
        }
        if (m_depth > 0)
            --m_depth;
    }

    const QByteArray &m_body;
    QXmlStreamReader m_r;
    ListPage m_page;
    ObjectInfo m_current;
    Parent m_parent = Parent::Other;
    // A <Contents> field is read token by token rather than with readElementText, so that an entity
    // reference inside it is refused here as it is everywhere else.
    ContentsField m_field = ContentsField::None;
    QString m_text;
    int m_depth = 0;
    bool m_sawRoot = false;
    bool m_haveTruncated = false;
    QString m_objectError; // the first bad object's, reported only if the document itself is sound
};

} // namespace

Result<ListPage> parseListV2(const QByteArray &body)
{
    return ListV2Reader(body).read();
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
