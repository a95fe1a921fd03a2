#include "Error.h"

namespace moltdesk {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Auth:
        return QStringLiteral("auth");
    case ErrorKind::NotFound:
        return QStringLiteral("not-found");
    case ErrorKind::AccessDenied:
        return QStringLiteral("access-denied");
    case ErrorKind::ClockSkew:
        return QStringLiteral("clock-skew");
    case ErrorKind::Network:
        return QStringLiteral("network");
    case ErrorKind::Server:
        return QStringLiteral("server");
    case ErrorKind::Corrupted:
        return QStringLiteral("corrupted");
    case ErrorKind::InvalidInput:
        return QStringLiteral("invalid-input");
    case ErrorKind::Local:
        return QStringLiteral("local");
    case ErrorKind::Refused:
        return QStringLiteral("refused");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString Error::toString() const
{
    QString s = message;
    if (!subject.isEmpty() && !message.contains(subject))
        s += QStringLiteral(" (") + subject + QLatin1Char(')');
    return s;
}

Error makeError(ErrorKind kind, const QString &message, const QString &subject)
{
    Error e;
    e.kind = kind;
    e.message = message;
    e.subject = subject;
    return e;
}

} // namespace moltdesk
