#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QStringList>
#include <QUrl>

namespace moltdesk {

// One answer from a worker as it arrived, before anything is believed.
struct WorkerRawReply
{
    int status = 0;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QByteArray contentType;
    QByteArray location; // of a redirect, which is never followed
    QByteArray body;
    bool tooLarge = false;
    bool timedOut = false;
    bool cancelled = false;
    QString tlsWhy; // why TLS was refused, in words, when it was
};

// GET /api/status (no Access needed).
struct GatewayState
{
    bool ok = false;
    QString status; // running, not_running, not_responding, error
    QString processId;
    QString error;
    bool running() const { return ok && status == QLatin1String("running"); }
};

// GET /api/admin/storage.
struct StorageState
{
    bool configured = false;
    QStringList missing; // secret names the worker lacks
    QString lastSync;    // as the container wrote it (date -Iseconds), empty when null
    QString message;
};

// POST /api/admin/storage/sync and POST /api/admin/gateway/restart.
struct SyncClaim
{
    QString message;
    QString lastSync;
};
struct RestartClaim
{
    QString message;
    QString previousProcessId;
};

// GET /api/admin/devices.
struct Device
{
    QString id; // deviceId, else requestId
    QString name;
};
struct DeviceList
{
    QList<Device> paired;
    QList<Device> pending;
    QStringList pairedIds() const;
};

// The reading of worker replies: which failure each reply is, in words that name the cause
// (wrong token, Access login page, Access not configured, not deployed...), and the JSON shapes of
// the worker's contract. Every value is checked for its type: a reply is input like any other.
namespace WorkerReplies {
inline constexpr qint64 kMaxBodyBytes = 1024 * 1024;

// The reply as a JSON object, or the Error that explains why it is not one a caller can use.
Result<QJsonObject> object(const WorkerRawReply &reply, const QUrl &worker, const QString &route);

Result<GatewayState> gateway(const QJsonObject &o);
Result<StorageState> storage(const QJsonObject &o);
Result<SyncClaim> sync(const QJsonObject &o);
Result<RestartClaim> restart(const QJsonObject &o);
Result<DeviceList> devices(const QJsonObject &o);
} // namespace WorkerReplies

} // namespace moltdesk
