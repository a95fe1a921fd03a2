#pragma once

#include "NetworkSettings.h"

#include <QString>
#include <QUrl>

namespace moltdesk {

struct RetryPolicy
{
    int maxAttempts = 6;   // first try included
    int baseDelayMs = 200; // doubled each attempt, with full jitter
    int maxDelayMs = 8000;
};

struct S3Config
{
    QUrl endpoint; // https://<account>.r2.cloudflarestorage.com (path-style addressing)
    QString region = QStringLiteral("auto");
    QString bucket;
    QString accessKeyId;
    QString secretAccessKey; // never logged
    int timeoutMs = 30000;   // no byte moving for this long aborts the attempt
    RetryPolicy retry;
    qint64 multipartThreshold = 64LL * 1024 * 1024;
    qint64 partSize = 16LL * 1024 * 1024; // at least 5 MiB; grown so a file needs at most 10,000 parts
    int lanes = 3;           // QNetworkAccessManagers: each opens at most 6 connections to a host
    NetworkSettings network; // proxy and extra CAs (none by default)
};

} // namespace moltdesk
