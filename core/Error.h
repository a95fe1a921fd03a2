#pragma once

#include <QMetaType>
#include <QString>

namespace moltdesk {

// What kind of failure happened: each kind tells the operator (and the caller) what to do next,
// and maps to a distinct exit code in moltctl.
enum class ErrorKind {
    Auth,         // wrong or missing credentials
    NotFound,     // bucket or object does not exist
    AccessDenied, // credentials valid but not allowed here
    ClockSkew,    // request time too far from the server's
    Network,      // connection refused, reset, timeout, TLS
    Server,       // 5xx, malformed replies
    Corrupted,    // size or checksum mismatch
    InvalidInput, // bad configuration, name, key, reply value
    Local,        // local filesystem failure
    Refused,      // a safety guard said no
    Cancelled,    // the user cancelled
};

QString errorKindName(ErrorKind kind);

struct Error
{
    ErrorKind kind = ErrorKind::InvalidInput;
    QString message; // one sentence a person can act on
    QString code;    // e.g. S3 error code "SlowDown", may be empty
    int httpStatus = 0;
    QString subject; // the key, file or bucket concerned, may be empty

    QString toString() const;
};

Error makeError(ErrorKind kind, const QString &message, const QString &subject = {});

} // namespace moltdesk

Q_DECLARE_METATYPE(moltdesk::Error)
