#pragma once

// The fault proxy's control routes (fixture `faultproxy`): rules, stats, reset.

#include "TestServer.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace moltdesk::test {

// POSTs body to route path when there is a body, else GETs it; the JSON answer, empty after 5 s without one.
inline QJsonObject faultProxyControl(const TestServer &server, const QByteArray &path,
                                     const QByteArray &body = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest req(
        QUrl(server.proxyEndpoint().toString() + QStringLiteral("/__fault__/") + QString::fromLatin1(path)));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *r = body.isEmpty() ? nam.get(req) : nam.post(req, body);
    QElapsedTimer t;
    t.start();
    while (!r->isFinished() && t.elapsed() < 5000)
        QTest::qWait(10);
    const QJsonObject o = QJsonDocument::fromJson(r->readAll()).object();
    delete r;
    return o;
}

} // namespace moltdesk::test
