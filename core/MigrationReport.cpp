#include "MigrationReport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace moltdesk {

Result<MigrationReport> MigrationReport::parse(const QByteArray &json)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    const QJsonObject o = doc.object();
    if (err.error != QJsonParseError::NoError || !o.value(QLatin1String("objects")).isArray())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 is not a migration report (a JSON object with an \"objects\" array)")
                .arg(QLatin1String(kKey)));
    MigrationReport r;
    r.source = o.value(QLatin1String("source")).toString();
    r.destination = o.value(QLatin1String("destination")).toString();
    r.migratedAt = QDateTime::fromString(o.value(QLatin1String("migratedAt")).toString(), Qt::ISODate);
    const QJsonArray objects = o.value(QLatin1String("objects")).toArray();
    for (const QJsonValue &v : objects) {
        const QJsonObject e = v.toObject();
        const QString key = e.value(QLatin1String("key")).toString();
        if (key.isEmpty())
            continue;
        r.objects.insert(key, Object{qint64(e.value(QLatin1String("size")).toDouble(-1)),
                                     e.value(QLatin1String("md5")).toString().toLatin1().toLower()});
    }
    return r;
}

} // namespace moltdesk
