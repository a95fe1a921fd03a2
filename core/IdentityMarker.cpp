#include "IdentityMarker.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace moltdesk {

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

} // namespace moltdesk
