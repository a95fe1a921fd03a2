#include "WorkerReplies.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace moltdesk {

QStringList DeviceList::pairedIds() const
{
    QStringList out;
    for (const Device &d : paired)
        out << d.id;
    out.sort();
    return out;
}

namespace WorkerReplies {

namespace {

Error fail(ErrorKind kind, const QString &message, const WorkerRawReply &r, const QString &code = {})
{
    Error e = makeError(kind, message);
    e.httpStatus = r.status;
    e.code = code;
    return e;
}

Error networkError(const WorkerRawReply &r, const QString &where)
{
    if (r.cancelled)
        return fail(ErrorKind::Cancelled, where + QStringLiteral(": cancelled"), r);
    if (r.timedOut)
        return fail(ErrorKind::Network, where + QStringLiteral(": no complete answer in time (timed out)"), r,
                    QStringLiteral("timeout"));
    if (r.tooLarge)
        return fail(
            ErrorKind::Server,
            where + QStringLiteral(": the reply is larger than %1 bytes; a worker's admin answer is small, "
                                   "so it was refused")
                        .arg(kMaxBodyBytes),
            r, QStringLiteral("oversize"));
    if (r.networkError == QNetworkReply::ConnectionRefusedError ||
        r.networkError == QNetworkReply::HostNotFoundError)
        return fail(
            ErrorKind::Network,
            where + QStringLiteral(": %1; is the worker deployed at this address?").arg(r.networkErrorText),
            r, QStringLiteral("unreachable"));
    return fail(
        ErrorKind::Network,
        where +
            QStringLiteral(": the connection failed or the reply was cut off (%1)").arg(r.networkErrorText),
        r, QStringLiteral("cut-off"));
}

Error redirect(const WorkerRawReply &r, const QString &where)
{
    const QUrl to = QUrl::fromEncoded(r.location);
    if (to.host().endsWith(QLatin1String(".cloudflareaccess.com")))
        return fail(ErrorKind::Auth,
                    where + QStringLiteral(
                                ": Cloudflare Access sent the request to its login page (%1): the service "
                                "token was not accepted; check CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET "
                                "and that the Access application's policy allows this token (Service Auth)")
                                .arg(to.host()),
                    r, QStringLiteral("access-login"));
    return fail(ErrorKind::Server,
                where + QStringLiteral(
                            ": redirected (HTTP %1) to %2; not followed, so the token stays with the worker")
                            .arg(r.status)
                            .arg(to.host().isEmpty() ? QStringLiteral("an unnamed place") : to.host()),
                r, QStringLiteral("redirect"));
}

bool looksHtml(const WorkerRawReply &r)
{
    const QByteArray head = r.body.left(512).trimmed().toLower();
    return r.contentType.toLower().contains("text/html") || head.startsWith("<!doctype") ||
           head.startsWith("<html");
}

Error byStatus(const WorkerRawReply &r, const QJsonObject &o, const QString &where)
{
    const QString error = o.value(QLatin1String("error")).toString();
    const QString details = o.value(QLatin1String("details")).toString();
    if (r.status == 500 && error == QLatin1String("Cloudflare Access not configured"))
        return fail(ErrorKind::Server,
                    where +
                        QStringLiteral(": the worker says Cloudflare Access is not configured on it (set its "
                                       "CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD secrets)"),
                    r, QStringLiteral("access-not-configured"));
    if (r.status == 401)
        return fail(ErrorKind::Auth,
                    where + QStringLiteral(
                                ": the worker got no Cloudflare Access identity (401 %1): the admin routes "
                                "are not behind an Access application, or it does not cover this host")
                                .arg(error.isEmpty() ? QStringLiteral("Unauthorized") : error),
                    r, QStringLiteral("no-access-jwt"));
    if (r.status == 403)
        return fail(
            ErrorKind::AccessDenied,
            where + QStringLiteral(": Cloudflare Access refused the service token (403): wrong "
                                   "CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET, or the policy does not "
                                   "allow it"),
            r, QStringLiteral("access-forbidden"));
    if (r.status == 404)
        return fail(
            ErrorKind::NotFound,
            where + QStringLiteral(": not found (404): no worker is deployed there, or it is not a Moltbot "
                                   "worker"),
            r, QStringLiteral("not-deployed"));
    QString text = error.isEmpty() ? QStringLiteral("HTTP %1").arg(r.status) : error;
    if (!details.isEmpty())
        text += QStringLiteral(" (") + details.left(400) + QLatin1Char(')');
    return fail(ErrorKind::Server,
                where + QStringLiteral(": the worker answered %1: %2").arg(r.status).arg(text), r,
                QStringLiteral("worker-error"));
}

} // namespace

Result<QJsonObject> object(const WorkerRawReply &r, const QUrl &worker, const QString &route)
{
    const QString where = worker.host() + route;
    if (r.cancelled || r.timedOut || r.tooLarge ||
        (r.networkError != QNetworkReply::NoError && r.status == 0) ||
        r.networkError == QNetworkReply::RemoteHostClosedError)
        return networkError(r, where);
    if (r.status >= 300 && r.status < 400)
        return redirect(r, where);
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &pe);
    const bool isObject = pe.error == QJsonParseError::NoError && doc.isObject();
    if (r.status >= 400)
        return byStatus(r, isObject ? doc.object() : QJsonObject{}, where);
    if (r.networkError != QNetworkReply::NoError)
        return networkError(r, where);
    if (!isObject && looksHtml(r))
        return fail(ErrorKind::Server,
                    where + QStringLiteral(
                                ": the answer is an HTML page where JSON belongs (HTTP %1): an Access login "
                                "or block page, or the admin UI instead of its API")
                                .arg(r.status),
                    r, QStringLiteral("html"));
    if (!isObject)
        return fail(ErrorKind::Server,
                    where + QStringLiteral(": the answer is not a JSON object (%1)")
                                .arg(pe.error != QJsonParseError::NoError ? pe.errorString()
                                                                          : QStringLiteral("wrong type")),
                    r, QStringLiteral("not-json"));
    return doc.object();
}

namespace {
Error shape(const QString &what)
{
    return makeError(ErrorKind::Server, QStringLiteral("the worker's answer has no valid %1").arg(what));
}
bool optionalString(const QJsonObject &o, const char *key, QString &out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return false;
    out = v.toString().left(4096);
    return true;
}
} // namespace

Result<GatewayState> gateway(const QJsonObject &o)
{
    GatewayState g;
    if (!o.value(QLatin1String("ok")).isBool() || !o.value(QLatin1String("status")).isString())
        return shape(QStringLiteral("\"ok\" and \"status\""));
    g.ok = o.value(QLatin1String("ok")).toBool();
    g.status = o.value(QLatin1String("status")).toString().left(64);
    if (!optionalString(o, "processId", g.processId) || !optionalString(o, "error", g.error))
        return shape(QStringLiteral("\"processId\" or \"error\""));
    return g;
}

Result<StorageState> storage(const QJsonObject &o)
{
    StorageState s;
    if (!o.value(QLatin1String("configured")).isBool())
        return shape(QStringLiteral("\"configured\""));
    s.configured = o.value(QLatin1String("configured")).toBool();
    const QJsonValue missing = o.value(QLatin1String("missing"));
    if (!missing.isUndefined() && !missing.isNull() && !missing.isArray())
        return shape(QStringLiteral("\"missing\""));
    for (const QJsonValue &m : missing.toArray())
        s.missing << m.toString().left(64);
    if (!optionalString(o, "lastSync", s.lastSync) || !optionalString(o, "message", s.message))
        return shape(QStringLiteral("\"lastSync\" or \"message\""));
    return s;
}

Result<SyncClaim> sync(const QJsonObject &o)
{
    SyncClaim c;
    if (o.value(QLatin1String("success")).toBool() != true)
        return makeError(ErrorKind::Server, QStringLiteral("the container's backup did not succeed: %1")
                                                .arg(o.value(QLatin1String("error")).toString().left(400)));
    if (!optionalString(o, "message", c.message) || !optionalString(o, "lastSync", c.lastSync))
        return shape(QStringLiteral("\"message\" or \"lastSync\""));
    return c;
}

Result<RestartClaim> restart(const QJsonObject &o)
{
    RestartClaim c;
    if (o.value(QLatin1String("success")).toBool() != true)
        return makeError(ErrorKind::Server, QStringLiteral("the worker did not restart the gateway: %1")
                                                .arg(o.value(QLatin1String("error")).toString().left(400)));
    if (!optionalString(o, "message", c.message) ||
        !optionalString(o, "previousProcessId", c.previousProcessId))
        return shape(QStringLiteral("\"message\" or \"previousProcessId\""));
    return c;
}

Result<DeviceList> devices(const QJsonObject &o)
{
    DeviceList out;
    for (const char *key : {"pending", "paired"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isArray())
            return shape(QStringLiteral("\"%1\" list").arg(QLatin1String(key)));
        for (const QJsonValue &d : v.toArray()) {
            const QJsonObject dev = d.toObject();
            Device x;
            x.id = dev.value(QLatin1String("deviceId"))
                       .toString(dev.value(QLatin1String("requestId")).toString())
                       .left(256);
            x.name = dev.value(QLatin1String("displayName")).toString().left(256);
            (QLatin1String(key) == QLatin1String("paired") ? out.paired : out.pending).append(x);
        }
    }
    return out;
}

} // namespace WorkerReplies
} // namespace moltdesk
