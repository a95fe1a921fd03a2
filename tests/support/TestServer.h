#pragma once

// The real S3 server started by the `s3server` CTest fixture, as tests see it. When it is not there,
// tests skip LOUDLY on a developer's machine and FAIL in CI (CI=true or MOLTDESK_REQUIRE_S3=1):
// integration tests never skip silently.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTest>
#include <QUrl>

namespace moltdesk::test {

struct ServerUser
{
    QString accessKeyId;
    QString secret;
};

class TestServer
{
public:
    bool load()
    {
        const QString path = qEnvironmentVariable("MOLTDESK_S3_SERVER_JSON");
        QFile f(path);
        if (path.isEmpty() || !f.open(QIODevice::ReadOnly)) {
            m_why = QStringLiteral("no server description at \"%1\" (MOLTDESK_S3_SERVER_JSON); run through ctest so the "
                                   "s3server fixture starts OpenStack Swift").arg(path);
            return false;
        }
        m_json = QJsonDocument::fromJson(f.readAll()).object();
        if (m_json.value(QLatin1String("endpoint")).toString().isEmpty()
            || !m_json.value(QLatin1String("users")).toObject().contains(QLatin1String("admin"))) {
            m_why = QStringLiteral("%1 names no endpoint or no users").arg(path);
            return false;
        }
        return true;
    }
    QString why() const { return m_why; }
    QJsonObject json() const { return m_json; }
    // User names ("admin", "dev", "prod", "legacy", "leaky", "other"), all buckets, and a user's buckets.
    QStringList users() const { return m_json.value(QLatin1String("users")).toObject().keys(); }
    QStringList buckets() const { return strings(m_json.value(QLatin1String("buckets"))); }
    QStringList scope(const QString &user) const
    {
        return user == QLatin1String("admin") ? buckets()
                                              : strings(m_json.value(QLatin1String("scopes")).toObject().value(user));
    }
    QUrl endpoint() const { return QUrl(m_json.value(QLatin1String("endpoint")).toString()); }
    // The smallest profile of a workspace on this server (development and production), with a test's
    // own keys (workers, syncSets) added.
    QJsonObject profile(const QJsonObject &more = {}) const
    {
        QJsonObject p{{QStringLiteral("environments"),
                       QJsonArray{QStringLiteral("development"), QStringLiteral("production")}},
                      {QStringLiteral("storage"), QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                                              {QStringLiteral("endpoint"), endpoint().toString()}}}};
        for (auto it = more.begin(); it != more.end(); ++it)
            p.insert(it.key(), it.value());
        return p;
    }
    QString region() const { return m_json.value(QLatin1String("region")).toString(); }
    ServerUser user(const QString &name) const
    {
        const QJsonObject u = m_json.value(QLatin1String("users")).toObject().value(name).toObject();
        return {u.value(QLatin1String("accessKeyId")).toString(), u.value(QLatin1String("secret")).toString()};
    }
    // The fault-injecting proxy in front of it (fixture `faultproxy`), when running.
    QUrl proxyEndpoint() const { return QUrl(proxyInfo().value(QLatin1String("endpoint")).toString()); }
    // Its control base, e.g. http://127.0.0.1:PORT/__fault__ (POST .../rules, GET .../stats, POST .../reset).
    QUrl proxyControl() const { return QUrl(proxyInfo().value(QLatin1String("control")).toString()); }
    static QJsonObject proxyInfo()
    {
        QFile f(qEnvironmentVariable("MOLTDESK_FAULT_PROXY_JSON"));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    static bool required()
    {
        return qEnvironmentVariable("CI") == QLatin1String("true") || qEnvironmentVariableIntValue("MOLTDESK_REQUIRE_S3") == 1;
    }

private:
    static QStringList strings(const QJsonValue &v)
    {
        QStringList out;
        for (const QJsonValue &x : v.toArray())
            out << x.toString();
        return out;
    }
    QJsonObject m_json;
    QString m_why;
};

} // namespace moltdesk::test

// What could not run says so: fails when the real services are required (CI, MOLTDESK_REQUIRE_S3=1),
// else skips with `why` in the log.
#define MOLTDESK_FAIL_OR_SKIP(why)                                                                           \
    do {                                                                                                     \
        const QByteArray whyText = (why);                                                                    \
        if (moltdesk::test::TestServer::required())                                                          \
            QFAIL(whyText.constData());                                                                      \
        qWarning("%s", whyText.constData());                                                                 \
        QSKIP(whyText.constData());                                                                          \
    } while (false)

// In initTestCase(): loads the server or skips loudly (fails when the server is required).
#define MOLTDESK_REQUIRE_SERVER(server)                                                                      \
    do {                                                                                                     \
        if (!(server).load())                                                                                \
            MOLTDESK_FAIL_OR_SKIP("\n!!!!!!!! REAL S3 SERVER UNAVAILABLE, INTEGRATION TESTS NOT RUN !!!!!!!!\n" + \
                                  (server).why().toUtf8());                                                  \
    } while (false)
