#include "LastSync.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace moltdesk {

Result<QDateTime> LastSync::parse(const QByteArray &raw)
{
    if (raw.size() > 256)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("last-sync value is %1 bytes, not a timestamp").arg(raw.size()));
    const QString s = QString::fromUtf8(raw).trimmed();
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$)"));
    const auto m = re.match(s);
    if (!m.hasMatch())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("last-sync value \"%1\" is not an ISO 8601 time like 2026-02-04T10:15:30+00:00")
                .arg(s.left(64).toHtmlEscaped()));
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    int msec = 0;
    if (m.capturedLength(7) > 0)
        msec = QString(m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), msec);
    if (!date.isValid() || !time.isValid())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("last-sync value \"%1\" is not a real date and time").arg(s));
    int offset = 0;
    const QString tz = m.captured(8);
    if (tz.compare(QLatin1String("z"), Qt::CaseInsensitive) != 0) {
        const int sign = tz.startsWith(QLatin1Char('-')) ? -1 : 1;
        const QString digits = tz.mid(1).remove(QLatin1Char(':'));
        const int hh = digits.left(2).toInt();
        const int mm = digits.size() >= 4 ? digits.mid(2, 2).toInt() : 0;
        if (hh > 23 || mm > 59)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("last-sync value \"%1\" has an impossible time zone").arg(s));
        offset = sign * (hh * 3600 + mm * 60);
    }
    return QDateTime(date, time, QTimeZone(offset)).toUTC();
}

QByteArray LastSync::format(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss+00:00")).toLatin1() + '\n';
}

QByteArray LastSync::now()
{
    return format(QDateTime::currentDateTimeUtc());
}

QString LastSync::relativeAge(const QDateTime &when, const QDateTime &now)
{
    const qint64 s = when.secsTo(now);
    if (s < 0)
        return QStringLiteral("in the future");
    if (s < 60)
        return QStringLiteral("just now");
    if (s < 3600)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    const qint64 d = s / 86400;
    return d == 1 ? QStringLiteral("1 day ago") : QStringLiteral("%1 days ago").arg(d);
}

} // namespace moltdesk
