#pragma once

// The project's stand-in worker started by the `standinworker` CTest fixture
// (tests/support/worker/standin_worker.py), as tests see it: its per-environment URLs and Access
// service tokens, and its control routes (configure faults and mis-wiring, seed a container, read
// what it saw). Like TestServer: skips loudly, fails when MOLTDESK_REQUIRE_S3=1 or CI=true.

#include "TestServer.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace moltdesk::test {

class StandinWorker
{
public:
    bool load()
    {
        const QString path = qEnvironmentVariable("MOLTDESK_WORKER_JSON");
        QFile f(path);
        if (path.isEmpty() || !f.open(QIODevice::ReadOnly)) {
            m_why = QStringLiteral(
                        "no stand-in worker at \"%1\" (MOLTDESK_WORKER_JSON); run through ctest so the "
                        "standinworker fixture starts it")
                        .arg(path);
            return false;
        }
        m_json = QJsonDocument::fromJson(f.readAll()).object();
        if (m_json.value(QLatin1String("control")).toString().isEmpty()) {
            m_why = path + QStringLiteral(" names no control URL");
            return false;
        }
        return true;
    }
    QString why() const { return m_why; }
    QJsonObject worker(const QString &env) const
    {
        return m_json.value(QLatin1String("workers")).toObject().value(env).toObject();
    }
    QString url(const QString &env) const { return worker(env).value(QLatin1String("url")).toString(); }
    // A profile's "workers": every environment's URL.
    QJsonObject urls() const
    {
        QJsonObject out;
        for (const char *e : {"development", "production", "legacy"})
            out.insert(QLatin1String(e), url(QLatin1String(e)));
        return out;
    }
    QString clientId(const QString &env) const
    {
        return worker(env).value(QLatin1String("clientId")).toString();
    }
    QString clientSecret(const QString &env) const
    {
        return worker(env).value(QLatin1String("clientSecret")).toString();
    }
    QString trap() const { return m_json.value(QLatin1String("trap")).toString(); }

    // POST a control route ("config", "reset", "seed", "wipe", "put"); true on {"ok":true}.
    bool control(const QString &route, const QJsonObject &body) const
    {
        return exchange(route, QJsonDocument(body).toJson()).value(QLatin1String("ok")).toBool();
    }
    QJsonObject state(const QString &env) const { return exchange(QStringLiteral("state?env=") + env, {}); }
    // One of the counters in state(env), e.g. "syncs", "restarts".
    int counter(const QString &env, const char *name) const
    {
        return state(env).value(QLatin1String("counters")).toObject().value(QLatin1String(name)).toInt();
    }

private:
    QJsonObject exchange(const QString &route, const QByteArray &body) const
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(
            QUrl(m_json.value(QLatin1String("control")).toString() + QLatin1Char('/') + route));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = body.isNull() ? nam.get(req) : nam.post(req, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        return o;
    }
    QJsonObject m_json;
    QString m_why;
};

} // namespace moltdesk::test

#define MOLTDESK_REQUIRE_WORKER(worker)                                                                      \
    do {                                                                                                     \
        if (!(worker).load())                                                                                \
            MOLTDESK_FAIL_OR_SKIP(                                                                           \
                "\n!!!!!!!! STAND-IN WORKER UNAVAILABLE, WORKER TESTS NOT RUN !!!!!!!!\n" +                  \
                (worker).why().toUtf8());                                                                    \
    } while (false)
