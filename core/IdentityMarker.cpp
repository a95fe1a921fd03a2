#include "IdentityMarker.h"

#include "Logging.h"
#include "ProductionGuard.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace moltdesk {

QString IdentityMarker::environmentLabel() const
{
    return EnvironmentNames{environment, bucket, {}, {}}.displayName();
}

QByteArray IdentityMarker::toJson() const
{
    QJsonObject o{{QStringLiteral("environment"), environment},
                  {QStringLiteral("bucket"), bucket},
                  {QStringLiteral("written"), written.toUTC().toString(Qt::ISODate)},
                  {QStringLiteral("tool"), QStringLiteral("moltdesk " MOLTDESK_VERSION)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

Result<IdentityMarker> IdentityMarker::parse(const QByteArray &data)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("identity marker is not a JSON object"));
    const QJsonObject o = doc.object();
    if (!o.value(QLatin1String("environment")).isString() || !o.value(QLatin1String("bucket")).isString())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("identity marker lacks \"environment\" or \"bucket\""));
    IdentityMarker m;
    m.environment = o.value(QLatin1String("environment")).toString();
    m.bucket = o.value(QLatin1String("bucket")).toString();
    m.written = QDateTime::fromString(o.value(QLatin1String("written")).toString(), Qt::ISODate);
    return m;
}

QFuture<Result<QByteArray>> IdentityMarker::fetch(StorageBackend &backend)
{
    return backend.getBytes(QString::fromLatin1(kKey), kMaxBytes);
}

MarkerReading IdentityMarker::classify(const Result<QByteArray> &fetched, const EnvironmentNames &env)
{
    MarkerReading r;
    if (!fetched) {
        switch (fetched.error().kind) {
        case ErrorKind::NotFound:
            r.state = MarkerState::Missing;
            return r;
        case ErrorKind::InvalidInput: // larger than any marker: something is there, and it is not one
            r.state = MarkerState::Unreadable;
            break;
        default:
            r.state = MarkerState::NotRead;
            break;
        }
        r.error = fetched.error();
        return r;
    }
    const Result<IdentityMarker> m = parse(fetched.value());
    if (!m) {
        r.state = MarkerState::Unreadable;
        r.raw = fetched.value();
        r.error = m.error();
        return r;
    }
    r.marker = m.value();
    r.state = m.value().environment == env.environment ? MarkerState::Own : MarkerState::Foreign;
    return r;
}

MarkerReading IdentityMarker::read(StorageBackend &backend, const EnvironmentNames &env)
{
    return classify(fetch(backend).result(), env);
}

bool MarkerReading::forOtherBucket(const EnvironmentNames &env) const
{
    return state == MarkerState::Own && marker && !marker->bucket.isEmpty() && marker->bucket != env.bucket;
}

QString MarkerReading::describe() const
{
    switch (state) {
    case MarkerState::Missing:
        return QStringLiteral("no identity marker");
    case MarkerState::Own:
    case MarkerState::Foreign:
        return QStringLiteral("names %1").arg(marker->environmentLabel());
    case MarkerState::Unreadable:
        return QStringLiteral("unreadable: %1").arg(error ? error->message : QString());
    case MarkerState::NotRead:
        break;
    }
    return QStringLiteral("could not be read: %1").arg(error ? error->message : QString());
}

namespace {

Status refuseStamp(const char *code, const QString &message)
{
    Error e = makeError(ErrorKind::Refused, message);
    e.code = QString::fromLatin1(code);
    e.subject = QString::fromLatin1(IdentityMarker::kKey);
    return e;
}

} // namespace

Status stampMarker(StorageBackend &backend, const EnvironmentNames &env, const StampOptions &options)
{
    if (auto confirmed = confirmProduction(env, options.confirmation, QStringLiteral("stamping its bucket"));
        !confirmed)
        return confirmed;
    if (backend.bucket() != env.bucket)
        return refuseStamp(StampRefusal::WrongBucket,
                           QStringLiteral("refusing to stamp %1 as %2: that environment's bucket is %3")
                               .arg(backend.bucket(), env.displayName(), env.bucket));
    const MarkerReading found = IdentityMarker::read(backend, env);
    switch (found.state) {
    case MarkerState::NotRead:
        return *found.error;
    case MarkerState::Foreign:
        return refuseStamp(
            StampRefusal::CrossWired,
            QStringLiteral("%1 carries the marker of %2, not %3: the bucket is cross-wired; find out how "
                           "before deleting the marker (run `moltctl verify`)")
                .arg(backend.location(), found.marker->environmentLabel(), env.displayName()));
    case MarkerState::Unreadable:
        if (!options.overwriteUnreadable)
            return refuseStamp(StampRefusal::UnreadableMarker,
                               QStringLiteral("%1 already holds a marker that cannot be read (%2): it may be "
                                              "evidence of how the bucket was wired. Look at it; to replace "
                                              "it anyway, stamp again with --force")
                                   .arg(backend.location(), found.error->message));
        qCWarning(lcStorage) << "overwriting the unreadable marker of" << backend.location() << "on request";
        break;
    case MarkerState::Own:
        if (!found.forOtherBucket(env))
            return success(); // already stamped
        break;
    case MarkerState::Missing:
        break;
    }
    const IdentityMarker marker{env.environment, env.bucket, QDateTime::currentDateTimeUtc()};
    const auto put = backend.putBytes(QString::fromLatin1(IdentityMarker::kKey), marker.toJson()).result();
    if (!put)
        return put.error();
    qCDebug(lcStorage) << "stamped" << backend.location() << "as" << env.displayName();
    return success();
}

} // namespace moltdesk
