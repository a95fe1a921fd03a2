#include "S3Storage.h"

#include "FileHash.h"
#include "FolderObjects.h"
#include "FreedMemory.h"
#include "KeyPath.h"
#include "Logging.h"
#include "S3Xml.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QtConcurrent>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <unistd.h>

namespace moltdesk {

namespace {

QByteArray base64Md5(const QByteArray &hexMd5)
{
    return QByteArray::fromHex(hexMd5).toBase64();
}

QByteArray unquote(QByteArray etag)
{
    if (etag.startsWith('"') && etag.endsWith('"') && etag.size() >= 2)
        etag = etag.mid(1, etag.size() - 2);
    return etag;
}

ObjectInfo infoFromHeaders(const QString &key, const HttpReply &r)
{
    ObjectInfo info;
    info.key = key;
    info.size = r.header("Content-Length").toLongLong();
    info.etag = unquote(r.header("ETag"));
    info.modified =
        QDateTime::fromString(QString::fromLatin1(r.header("Last-Modified")), Qt::RFC2822Date).toUTC();
    // A multipart ETag is not an MD5: the MD5 we keep in metadata is the one to trust then.
    const QByteArray meta = r.header("x-amz-meta-md5").toLower();
    info.md5 = meta.size() == 32 ? meta : ObjectInfo::md5FromEtag(info.etag);
    return info;
}

// A listing of 100,000 objects parses a hundred pages of XML on pool threads; glibc keeps what they
// freed in per-thread arenas, which then counts as the process's memory while the plan is built. Every
// 10,000 objects, give those freed pages back (a few milliseconds; nothing is lost).
void returnFreedPages(qsizetype objectsSoFar, qsizetype &atLastTrim)
{
    if (objectsSoFar - atLastTrim < 10000)
        return;
    atLastTrim = objectsSoFar;
    returnFreedMemory();
}

// fsync through a descriptor of our own; errno says why when it fails.
bool syncFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool synced = ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    errno = err;
    return synced;
}

QString tempNameNextTo(const QString &path)
{
    return QFileInfo(path).absolutePath() + QStringLiteral("/.moltdesk-part-") +
           QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

S3Storage::S3Storage(S3Config config, std::shared_ptr<S3Transport> transport)
    : m_config(std::move(config)),
      m_transport(transport ? std::move(transport) : std::make_shared<S3Transport>(m_config))
{
    m_pool.setMaxThreadCount(32); // these threads mostly wait on the network thread
    m_pool.setExpiryTimeout(5000);
}

S3Storage::~S3Storage()
{
    m_pool.waitForDone();
}

QString S3Storage::location() const
{
    return QStringLiteral("s3://%1/%2").arg(m_config.endpoint.authority(), m_config.bucket);
}

bool S3Storage::canCopyFrom(const StorageBackend &source) const
{
    const auto *s = dynamic_cast<const S3Storage *>(&source);
    return s && s->m_config.endpoint == m_config.endpoint &&
           s->m_config.accessKeyId == m_config.accessKeyId &&
           s->m_config.secretAccessKey == m_config.secretAccessKey;
}

HttpCall S3Storage::call(const QByteArray &method, const QString &key) const
{
    HttpCall c;
    c.method = method;
    c.bucket = m_config.bucket;
    c.key = key;
    return c;
}

HttpReply S3Storage::exchange(HttpCall c) const
{
    // Qt's HTTP stack normalises "." and ".." path segments away before sending, so such a key would
    // be sent as another key than the one signed (and named). Refuse instead of addressing the wrong one.
    if (!c.key.isNull()) {
        for (const QString &seg : c.key.split(QLatin1Char('/'))) {
            if (seg == QLatin1String(".") || seg == QLatin1String("..")) {
                HttpReply r;
                r.status = 0;
                r.networkError = QNetworkReply::ProtocolInvalidOperationError;
                r.networkErrorText = QStringLiteral("dot-segment key");
                return r;
            }
        }
    }
    return m_transport->send(std::move(c)).result();
}

namespace {

// What failed on our side or on the wire, before (or instead of) a complete HTTP answer.
std::optional<Error> localFailure(const HttpReply &r, const QString &subject, const S3Config &cfg)
{
    const auto make = [&](ErrorKind kind, const QString &message) {
        Error e;
        e.subject = subject;
        e.httpStatus = r.status;
        e.kind = kind;
        e.message = message;
        return e;
    };
    if (r.cancelled)
        return make(ErrorKind::Cancelled, QStringLiteral("cancelled"));
    if (r.tooLarge)
        return make(ErrorKind::InvalidInput, QStringLiteral("%1 is larger than expected").arg(subject));
    if (r.networkError == QNetworkReply::ProtocolInvalidOperationError &&
        r.networkErrorText == QLatin1String("dot-segment key"))
        return make(ErrorKind::InvalidInput,
                    QStringLiteral("object key \"%1\" has a \".\" or \"..\" path segment, which Moltdesk "
                                   "refuses to send (the HTTP stack would rewrite it into another key); "
                                   "rename it with another tool")
                        .arg(subject));
    const bool answered = r.status >= 200 && r.status < 300;
    if (r.status != 0 && !(r.networkError != QNetworkReply::NoError && answered))
        return std::nullopt;
    const QString server = cfg.endpoint.authority();
    if (r.networkError == QNetworkReply::SslHandshakeFailedError)
        return make(ErrorKind::Network,
                    QStringLiteral("TLS failed with %1: %2 (the connection was refused, never downgraded)")
                        .arg(server, r.networkErrorText));
    // A server that answered (status known) and then broke off is not "unreachable": say what it did.
    if (answered)
        return make(ErrorKind::Network,
                    QStringLiteral("%1 broke off its reply for %2 before the end: %3 (after %4 attempt(s))")
                        .arg(server,
                             subject.isEmpty() ? QStringLiteral("the listing of ") + cfg.bucket : subject,
                             r.networkErrorText)
                        .arg(r.attempts));
    return make(ErrorKind::Network, QStringLiteral("cannot reach %1: %2 (after %3 attempt(s))")
                                        .arg(server, r.networkErrorText)
                                        .arg(r.attempts));
}

// An HTTP answer with its <Error> document (when it had one), to be named by the first rule that fits.
struct Answer
{
    const HttpReply &reply;
    const S3Xml::ErrorReply &xml;
    bool parsed;
    const QString &subject;
    const S3Config &config;
    bool is(const char *code) const { return xml.code == QLatin1String(code); }
    QString subjectOrBucket() const { return subject.isEmpty() ? config.bucket : subject; }
};
struct Named
{
    ErrorKind kind;
    QString message;
};
using Rule = std::optional<Named> (*)(const Answer &);

std::optional<Named> redirected(const Answer &a)
{
    if (a.reply.status < 300 || a.reply.status >= 400)
        return std::nullopt;
    return Named{
        ErrorKind::Server,
        QStringLiteral("%1 answered with a redirect to %2; redirects are not followed (check the "
                       "endpoint and region)")
            .arg(a.config.endpoint.host(), QUrl(QString::fromLatin1(a.reply.header("Location"))).host())};
}

std::optional<Named> clockSkewed(const Answer &a)
{
    if (!a.is("RequestTimeTooSkewed"))
        return std::nullopt;
    const QDateTime server =
        a.xml.serverTime.isEmpty()
            ? QDateTime::fromString(QString::fromLatin1(a.reply.header("Date")), Qt::RFC2822Date)
            : QDateTime::fromString(a.xml.serverTime, Qt::ISODate);
    if (!server.isValid())
        return Named{ErrorKind::ClockSkew,
                     QStringLiteral("your clock differs too much from the server's; fix the system time "
                                    "(e.g. enable NTP)")};
    const qint64 ahead = server.secsTo(QDateTime::currentDateTimeUtc());
    return Named{
        ErrorKind::ClockSkew,
        QStringLiteral("your clock is %1 minutes %2 the server; fix the system time (e.g. enable NTP)")
            .arg(qAbs(ahead) / 60)
            .arg(ahead > 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"))};
}

std::optional<Named> rejectedKey(const Answer &a)
{
    if (!a.is("SignatureDoesNotMatch") && !a.is("InvalidAccessKeyId") && !a.is("InvalidToken") &&
        !a.is("AuthorizationHeaderMalformed") && a.reply.status != 401)
        return std::nullopt;
    return Named{
        ErrorKind::Auth,
        QStringLiteral("%1 rejected access key %2: %3; check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY")
            .arg(a.config.endpoint.host(), a.config.accessKeyId,
                 a.xml.code.isEmpty() ? QStringLiteral("unauthorized") : a.xml.code)};
}

std::optional<Named> accessDenied(const Answer &a)
{
    if (!a.is("AccessDenied") && a.reply.status != 403)
        return std::nullopt;
    const bool bare = a.reply.status == 403 && a.xml.code.isEmpty();
    return Named{ErrorKind::AccessDenied,
                 QStringLiteral("access key %1 is not allowed to %2 %3 in bucket %4; the key's token may "
                                "be scoped to other buckets")
                     .arg(a.config.accessKeyId, bare ? QStringLiteral("use") : QStringLiteral("reach"),
                          a.subject.isEmpty() ? QStringLiteral("anything") : a.subject, a.config.bucket)};
}

std::optional<Named> notFound(const Answer &a)
{
    if (a.is("NoSuchBucket") || (a.reply.status == 404 && a.subject.isEmpty()))
        return Named{
            ErrorKind::NotFound,
            QStringLiteral("bucket %1 does not exist at %2").arg(a.config.bucket, a.config.endpoint.host())};
    if (a.is("NoSuchKey") || a.reply.status == 404)
        return Named{ErrorKind::NotFound,
                     QStringLiteral("%1 has no object %2").arg(a.config.bucket, a.subject)};
    return std::nullopt;
}

std::optional<Named> corrupted(const Answer &a)
{
    if (!a.is("BadDigest") && !a.is("XAmzContentSHA256Mismatch"))
        return std::nullopt;
    return Named{ErrorKind::Corrupted,
                 QStringLiteral("the server received %1 with a different checksum than was sent; the file "
                                "may have changed while uploading")
                     .arg(a.subject)};
}

QString detailOf(const Answer &a)
{
    return a.xml.message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(a.xml.message);
}

std::optional<Named> serverFailed(const Answer &a)
{
    if (a.reply.status >= 500 || a.is("SlowDown"))
        return Named{ErrorKind::Server, QStringLiteral("%1 failed with HTTP %2%3 after %4 attempt(s)")
                                            .arg(a.subjectOrBucket())
                                            .arg(a.reply.status)
                                            .arg(detailOf(a))
                                            .arg(a.reply.attempts)};
    if (!a.parsed && a.reply.status >= 400)
        return Named{ErrorKind::Server, QStringLiteral("%1: HTTP %2 with an unreadable body")
                                            .arg(a.subjectOrBucket())
                                            .arg(a.reply.status)};
    return std::nullopt;
}

Named refusedRequest(const Answer &a)
{
    return {ErrorKind::InvalidInput,
            QStringLiteral("%1: %2%3")
                .arg(a.subjectOrBucket(),
                     a.xml.code.isEmpty() ? QStringLiteral("HTTP %1").arg(a.reply.status) : a.xml.code,
                     detailOf(a))};
}

// The order matters: a 403 with SignatureDoesNotMatch is a bad key, not a missing grant.
constexpr Rule kAnswerRules[] = {redirected, clockSkewed, rejectedKey, accessDenied,
                                 notFound,   corrupted,   serverFailed};

} // namespace

Error S3Storage::errorFrom(const HttpReply &r, const QString &subject) const
{
    if (auto failed = localFailure(r, subject, m_config))
        return *failed;
    S3Xml::ErrorReply x;
    const bool parsed = S3Xml::parseError(r.body, x);
    const Answer answer{r, x, parsed, subject, m_config};
    Named named = refusedRequest(answer);
    for (Rule rule : kAnswerRules) {
        if (auto n = rule(answer)) {
            named = std::move(*n);
            break;
        }
    }
    Error e;
    e.subject = subject;
    e.httpStatus = r.status;
    e.code = x.code;
    e.kind = named.kind;
    e.message = std::move(named.message);
    qCDebug(lcS3).noquote() << "error" << errorKindName(e.kind) << e.message;
    return e;
}

QFuture<Status> S3Storage::headBucket()
{
    return QtConcurrent::run(&m_pool, [this]() -> Status {
        HttpReply r = exchange(call("HEAD"));
        if (r.ok())
            return success();
        if (r.status == 403 || r.status == 400) {
            // HEAD has no body: ask again in a form that says why (bad signature or no access).
            HttpCall c = call("GET");
            c.query = {{"list-type", "2"}, {"max-keys", "0"}};
            HttpReply g = exchange(c);
            if (!g.ok())
                return errorFrom(g, QString());
        }
        return errorFrom(r, QString());
    });
}

Status S3Storage::eachListPage(const ListRequest &request, const CancelToken &cancel,
                               const std::function<void(S3Xml::ListPage &&)> &onPage)
{
    QString token;
    QSet<QString> seenTokens;
    qsizetype listed = 0;
    while (true) {
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        HttpCall c = call("GET");
        c.cancel = cancel;
        c.maxBodyBytes = 64 * 1024 * 1024;
        int pageSize = 1000;
        if (request.maxKeys > 0)
            pageSize = int(qMin<qint64>(1000, request.maxKeys - listed));
        c.query = {{"list-type", "2"}, {"max-keys", QByteArray::number(pageSize)}};
        if (!request.prefix.isEmpty())
            c.query.append({"prefix", request.prefix.toUtf8()});
        if (!request.delimiter.isEmpty())
            c.query.append({"delimiter", request.delimiter.toUtf8()});
        if (!token.isEmpty())
            c.query.append({"continuation-token", token.toUtf8()});
        const HttpReply r = exchange(c);
        if (!r.ok())
            return errorFrom(r, QString());
        auto parsed = S3Xml::parseListV2(r.body);
        if (!parsed)
            return parsed.error(); // never an empty listing in place of an error
        S3Xml::ListPage page = std::move(parsed.value());
        listed += page.objects.size();
        const bool last = (request.maxKeys > 0 && listed >= request.maxKeys) || !page.truncated;
        const bool empty = page.objects.isEmpty() && page.commonPrefixes.isEmpty();
        const QString next = page.nextToken;
        onPage(std::move(page));
        if (last)
            return success();
        if (seenTokens.contains(next))
            return makeError(
                ErrorKind::Server,
                QStringLiteral(
                    "the server repeated a listing continuation token; the listing of %1 is incomplete")
                    .arg(m_config.bucket));
        if (empty)
            return makeError(ErrorKind::Server,
                             QStringLiteral("the server sent an empty page of a truncated listing of %1")
                                 .arg(m_config.bucket));
        seenTokens.insert(next);
        token = next;
    }
}

Result<Listing> S3Storage::listNow(const ListRequest &request, const CancelToken &cancel)
{
    Listing out;
    qsizetype atLastTrim = 0;
    const Status listed = eachListPage(request, cancel, [&](S3Xml::ListPage &&page) {
        out.objects += page.objects;
        returnFreedPages(out.objects.size(), atLastTrim);
        out.commonPrefixes += page.commonPrefixes;
    });
    if (!listed)
        return listed.error();
    // Every listing enters the program here: s3fs's folder objects are set apart once, so
    // status, sync, restore, migration and the audit never take them for data.
    FolderObjects::separate(out, request);
    return out;
}

QFuture<Result<Listing>> S3Storage::list(const ListRequest &request, const CancelToken &cancel)
{
    return QtConcurrent::run(&m_pool, [this, request, cancel]() { return listNow(request, cancel); });
}

QFuture<Status> S3Storage::streamPages(const ListRequest &request, ListingPageSink sink,
                                       const CancelToken &cancel)
{
    return QtConcurrent::run(&m_pool, [this, request, sink = std::move(sink), cancel]() -> Status {
        return eachListPage(request, cancel, [&](S3Xml::ListPage &&page) {
            // The same separation as listNow's, a page at a time: without a delimiter it looks at
            // each object alone.
            Listing one;
            one.objects = std::move(page.objects);
            FolderObjects::separate(one, request);
            sink(std::move(one.objects));
        });
    });
}

QFuture<Result<ObjectInfo>> S3Storage::headObject(const QString &key)
{
    return QtConcurrent::run(&m_pool, [this, key]() -> Result<ObjectInfo> {
        const HttpReply r = exchange(call("HEAD", key));
        if (!r.ok())
            return errorFrom(r, key);
        return infoFromHeaders(key, r);
    });
}

QFuture<Result<ObjectDetails>> S3Storage::headDetails(const QString &key)
{
    return QtConcurrent::run(&m_pool, [this, key]() -> Result<ObjectDetails> {
        const HttpReply r = exchange(call("HEAD", key));
        if (!r.ok())
            return errorFrom(r, key);
        ObjectDetails d;
        d.info = infoFromHeaders(key, r);
        d.contentType = QString::fromUtf8(r.header("Content-Type"));
        static const QByteArray meta("x-amz-meta-");
        for (const auto &[name, value] : r.headers)
            if (name.toLower().startsWith(meta))
                d.metadata.append(
                    {QString::fromUtf8(name.mid(meta.size()).toLower()), QString::fromUtf8(value)});
        return d;
    });
}

QFuture<Result<QByteArray>> S3Storage::getBytes(const QString &key, qint64 maxBytes)
{
    return QtConcurrent::run(&m_pool, [this, key, maxBytes]() -> Result<QByteArray> {
        HttpCall c = call("GET", key);
        c.maxBodyBytes = maxBytes;
        const HttpReply r = exchange(c);
        if (r.tooLarge)
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("object %1 is larger than the %2 bytes expected").arg(key).arg(maxBytes), key);
        if (!r.ok())
            return errorFrom(r, key);
        return r.body;
    });
}

QFuture<Result<ObjectInfo>> S3Storage::putBytes(const QString &key, const QByteArray &data)
{
    return QtConcurrent::run(&m_pool, [this, key, data]() -> Result<ObjectInfo> {
        if (key.toUtf8().size() > KeyPath::kMaxKeyBytes || key.isEmpty())
            return makeError(ErrorKind::InvalidInput, QStringLiteral("object key must be 1 to 1,024 bytes"),
                             key);
        const QByteArray md5 = QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex();
        HttpCall c = call("PUT", key);
        c.body = data;
        c.payloadHash = SigV4::sha256Hex(data);
        c.headers = {{"content-md5", base64Md5(md5)}, {"x-amz-meta-md5", md5}};
        const HttpReply r = exchange(c);
        if (!r.ok())
            return errorFrom(r, key);
        ObjectInfo info;
        info.key = key;
        info.size = data.size();
        info.md5 = md5;
        info.etag = unquote(r.header("ETag"));
        return info;
    });
}

Result<ObjectInfo> S3Storage::downloadNow(const QString &key, const QString &localPath,
                                          const DownloadOptions &options)
{
    const QString part = tempNameNextTo(localPath);
    Error last = makeError(ErrorKind::Server, QStringLiteral("no attempt made"));
    // A body that arrives complete by HTTP's account but short or damaged by ours is fetched again.
    for (int attempt = 1; attempt <= m_config.retry.maxAttempts; ++attempt) {
        HttpCall c = call("GET", key);
        c.downloadTo = part;
        c.cancel = options.cancel;
        c.onBytes = options.onBytes;
        const HttpReply r = exchange(c);
        if (!r.ok()) {
            QFile::remove(part);
            return errorFrom(r, key);
        }
        ObjectInfo info = infoFromHeaders(key, r);
        info.size = r.bodyBytes;
        const QByteArray expectedMd5 = !options.expectedMd5.isEmpty() ? options.expectedMd5 : info.md5;
        if (options.expectedSize >= 0 && r.bodyBytes != options.expectedSize) {
            last = makeError(ErrorKind::Corrupted,
                             QStringLiteral("%1 arrived with %2 bytes, %3 expected")
                                 .arg(key)
                                 .arg(r.bodyBytes)
                                 .arg(options.expectedSize),
                             key);
        } else if (!expectedMd5.isEmpty() && r.bodyMd5 != expectedMd5) {
            last = makeError(
                ErrorKind::Corrupted,
                QStringLiteral(
                    "%1 arrived with a different MD5 than the server states; it was damaged in transit")
                    .arg(key),
                key);
        } else {
            // A file that cannot be made durable is not put in place: a crash could leave it empty.
            if (options.syncEachFile && !syncFile(part)) {
                const QString why = QString::fromLocal8Bit(std::strerror(errno));
                QFile::remove(part);
                return makeError(ErrorKind::Local,
                                 QStringLiteral("cannot write %1 to disk: %2").arg(localPath, why), key);
            }
            if (::rename(QFile::encodeName(part).constData(), QFile::encodeName(localPath).constData()) !=
                0) {
                const QString why = QString::fromLocal8Bit(std::strerror(errno));
                QFile::remove(part);
                return makeError(ErrorKind::Local,
                                 QStringLiteral("cannot move %1 into place: %2").arg(localPath, why), key);
            }
            info.md5 = r.bodyMd5;
            return info;
        }
        QFile::remove(part);
        qCDebug(lcS3) << "download of" << key << "failed verification, attempt" << attempt;
        QThread::msleep(quint64(qMin(m_config.retry.maxDelayMs, m_config.retry.baseDelayMs << attempt)));
    }
    return last;
}

QFuture<Result<ObjectInfo>> S3Storage::download(const QString &key, const QString &localPath,
                                                const DownloadOptions &options)
{
    return QtConcurrent::run(
        &m_pool, [this, key, localPath, options]() { return downloadNow(key, localPath, options); });
}

Result<ObjectInfo> S3Storage::uploadNow(const QString &key, const QString &localPath,
                                        const UploadOptions &options)
{
    if (key.toUtf8().size() > KeyPath::kMaxKeyBytes || key.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("object key \"%1\" must be 1 to 1,024 bytes").arg(key.left(60)), key);
    const QFileInfo fi(localPath);
    if (!fi.isFile())
        return makeError(ErrorKind::Local, QStringLiteral("%1 is not a readable file").arg(localPath),
                         localPath);
    QByteArray md5 = options.md5, sha = options.sha256;
    qint64 size = fi.size();
    if (md5.isEmpty() || sha.isEmpty()) {
        auto d = FileHash::compute(localPath, options.cancel);
        if (!d)
            return d.error();
        md5 = d.value().md5;
        sha = d.value().sha256;
        size = d.value().size;
    }
    if (options.expectedSize >= 0 && size != options.expectedSize)
        return makeError(ErrorKind::Local,
                         QStringLiteral("%1 changed size since it was planned (%2 → %3 bytes); sync again")
                             .arg(localPath)
                             .arg(options.expectedSize)
                             .arg(size),
                         localPath);
    if (size > m_config.multipartThreshold)
        return multipartNow(key, localPath, size, md5, options);
    HttpCall c = call("PUT", key);
    c.bodyFile = localPath;
    c.payloadHash = sha;
    c.cancel = options.cancel;
    c.onBytes = options.onBytes;
    // Content-MD5 makes the server refuse a body that changed between hashing and sending.
    c.headers = {{"content-md5", base64Md5(md5)}, {"x-amz-meta-md5", md5}};
    const HttpReply r = exchange(c);
    if (!r.ok())
        return errorFrom(r, key);
    if (QFileInfo(localPath).size() != size)
        return makeError(ErrorKind::Local,
                         QStringLiteral("%1 changed while it was uploaded; sync again").arg(localPath),
                         localPath);
    ObjectInfo info;
    info.key = key;
    info.size = size;
    info.md5 = md5;
    info.etag = unquote(r.header("ETag"));
    return info;
}

Result<ObjectInfo> S3Storage::multipartNow(const QString &key, const QString &localPath, qint64 size,
                                           const QByteArray &md5, const UploadOptions &options)
{
    // Parts of equal size (but the last), at least 5 MiB, at most 10,000 of them.
    qint64 partSize = qMax<qint64>(5LL * 1024 * 1024, m_config.partSize);
    while ((size + partSize - 1) / partSize > 10000)
        partSize *= 2;
    HttpCall init = call("POST", key);
    init.query = {{"uploads", ""}};
    init.headers = {{"x-amz-meta-md5", md5}};
    const HttpReply ir = exchange(init);
    if (!ir.ok())
        return errorFrom(ir, key);
    auto uploadId = S3Xml::parseUploadId(ir.body);
    if (!uploadId)
        return uploadId.error();
    const auto abort = [&](const Error &why) -> Error {
        HttpCall a = call("DELETE", key);
        a.query = {{"uploadId", uploadId.value().toUtf8()}};
        exchange(a); // best effort: a failed abort leaves parts the server expires
        return why;
    };
    QFile file(localPath);
    if (!file.open(QIODevice::ReadOnly))
        return abort(makeError(ErrorKind::Local,
                               QStringLiteral("cannot read %1: %2").arg(localPath, file.errorString()),
                               localPath));
    QList<QByteArray> etags;
    QCryptographicHash whole(QCryptographicHash::Md5);
    qint64 done = 0;
    for (int part = 1; done < size; ++part) {
        if (options.cancel.isCancelled())
            return abort(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"), key));
        const QByteArray body = file.read(qMin(partSize, size - done));
        if (body.isEmpty())
            return abort(makeError(ErrorKind::Local,
                                   QStringLiteral("%1 became shorter while it was uploaded").arg(localPath),
                                   localPath));
        whole.addData(body);
        HttpCall p = call("PUT", key);
        p.query = {{"partNumber", QByteArray::number(part)}, {"uploadId", uploadId.value().toUtf8()}};
        p.body = body;
        p.payloadHash = SigV4::sha256Hex(body);
        p.headers = {{"content-md5", QCryptographicHash::hash(body, QCryptographicHash::Md5).toBase64()}};
        p.cancel = options.cancel;
        const qint64 base = done;
        if (options.onBytes)
            p.onBytes = [base, cb = options.onBytes](qint64 n) { cb(base + n); };
        const HttpReply pr = exchange(p);
        if (!pr.ok())
            return abort(errorFrom(pr, key));
        etags.append(unquote(pr.header("ETag")));
        done += body.size();
    }
    if (whole.result().toHex() != md5)
        return abort(makeError(ErrorKind::Local,
                               QStringLiteral("%1 changed while it was uploaded; sync again").arg(localPath),
                               localPath));
    HttpCall done_ = call("POST", key);
    done_.query = {{"uploadId", uploadId.value().toUtf8()}};
    done_.body = S3Xml::completeMultipartRequest(etags);
    done_.headers = {{"content-type", "application/xml"}};
    const HttpReply cr = exchange(done_);
    if (!cr.ok())
        return abort(errorFrom(cr, key));
    S3Xml::ErrorReply x;
    if (S3Xml::parseError(cr.body, x)) // a 200 that carries an <Error> failed
        return abort(makeError(
            ErrorKind::Server,
            QStringLiteral("completing the upload of %1 failed: %2 %3").arg(key, x.code, x.message), key));
    auto etag = S3Xml::parseCompleteMultipart(cr.body);
    if (!etag)
        return abort(etag.error());
    ObjectInfo info;
    info.key = key;
    info.size = size;
    info.md5 = md5;
    info.etag = etag.value();
    return info;
}

QFuture<Result<ObjectInfo>> S3Storage::upload(const QString &key, const QString &localPath,
                                              const UploadOptions &options)
{
    return QtConcurrent::run(
        &m_pool, [this, key, localPath, options]() { return uploadNow(key, localPath, options); });
}

QFuture<Result<ObjectInfo>> S3Storage::copyFrom(const StorageBackend &source, const QString &sourceKey,
                                                const QString &key, const TransferOptions &options)
{
    const QString sourceBucket = source.bucket();
    const bool same = canCopyFrom(source);
    return QtConcurrent::run(
        &m_pool, [this, sourceBucket, same, sourceKey, key, options]() -> Result<ObjectInfo> {
            if (!same)
                return makeError(
                    ErrorKind::InvalidInput,
                    QStringLiteral("server-side copy needs one set of credentials on one endpoint"));
            HttpCall c = call("PUT", key);
            c.cancel = options.cancel;
            // The copy source is URL-encoded (a raw '+' or space would name another key).
            c.headers = {{"x-amz-copy-source", SigV4::encodeKeyPath(sourceBucket, sourceKey)},
                         {"x-amz-metadata-directive", "COPY"}};
            const HttpReply r = exchange(c);
            if (!r.ok())
                return errorFrom(r, key);
            S3Xml::ErrorReply x;
            if (S3Xml::parseError(r.body, x)) // S3 may answer 200 and fail in the body
                return makeError(ErrorKind::Server,
                                 QStringLiteral("copying %1 failed: %2 %3").arg(sourceKey, x.code, x.message),
                                 key);
            auto etag = S3Xml::parseCopyResult(r.body);
            if (!etag)
                return etag.error();
            ObjectInfo info;
            info.key = key;
            info.etag = etag.value();
            info.md5 = ObjectInfo::md5FromEtag(info.etag);
            return info;
        });
}

QFuture<Result<DeleteReport>> S3Storage::remove(const QStringList &keys)
{
    return QtConcurrent::run(&m_pool, [this, keys]() -> Result<DeleteReport> {
        DeleteReport report;
        for (qsizetype off = 0; off < keys.size(); off += 1000) {
            const QStringList batch = keys.mid(off, 1000);
            HttpCall c = call("POST");
            c.query = {{"delete", ""}};
            c.body = S3Xml::deleteRequest(batch);
            c.headers = {
                {"content-md5", QCryptographicHash::hash(c.body, QCryptographicHash::Md5).toBase64()},
                {"content-type", "application/xml"}};
            const HttpReply r = exchange(c);
            if (!r.ok()) {
                const Error e = errorFrom(r, QString());
                for (const QString &k : batch) {
                    Error ke = e;
                    ke.subject = k;
                    report.failed.append(ke);
                }
                continue;
            }
            auto parsed = S3Xml::parseDeleteResult(r.body);
            if (!parsed) {
                for (const QString &k : batch) {
                    Error ke = parsed.error();
                    ke.subject = k;
                    report.failed.append(ke);
                }
                continue;
            }
            const QSet<QString> asked(batch.cbegin(), batch.cend());
            for (const QString &k : parsed.value().deleted) {
                if (asked.contains(k))
                    report.deleted.append(k);
            }
            for (const auto &[k, x] : parsed.value().errors)
                report.failed.append(makeError(
                    x.code == QLatin1String("AccessDenied") ? ErrorKind::AccessDenied : ErrorKind::Server,
                    QStringLiteral("cannot delete %1: %2 %3").arg(k, x.code, x.message), k));
            // A key the server neither deleted nor refused was not deleted.
            QSet<QString> answered(report.deleted.cbegin(), report.deleted.cend());
            for (const Error &e : std::as_const(report.failed))
                answered.insert(e.subject);
            for (const QString &k : batch) {
                if (!answered.contains(k))
                    report.failed.append(
                        makeError(ErrorKind::Server,
                                  QStringLiteral("the server did not confirm deleting %1").arg(k), k));
            }
        }
        return report;
    });
}

} // namespace moltdesk
