#pragma once
// The tests' HTTPS front (tests/support/tlsfront/tlsfront.py): stunnel4 terminating TLS with
// certificates of a CA minted per test run, in front of a loopback port, plus a CONNECT proxy
// (tinyproxy with basic authentication). Started in initTestCase, stopped by the destructor.
#include "TestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace moltdesk::test {

class TlsFront
{
public:
    TlsFront() = default;
    TlsFront(const TlsFront &) = delete;
    TlsFront &operator=(const TlsFront &) = delete;
    ~TlsFront() { stop(); }

    // Fronts `port` with TLS; state (CA, certificates, logs) under `stateDir`. False with why() on failure.
    bool start(const QString &stateDir, int port)
    {
        QProcess p;
        p.start(QStringLiteral("/usr/bin/python3"),
                {script(), QStringLiteral("start"), stateDir, QString::number(port)});
        p.waitForFinished(60000);
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != 0 || out.isEmpty()) {
            m_why = QStringLiteral("tlsfront (stunnel4, tinyproxy, openssl) did not start: %1")
                        .arg(QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
            return false;
        }
        m_stateDir = stateDir;
        m_description = QJsonDocument::fromJson(out).object();
        return true;
    }
    void stop()
    {
        if (m_stateDir.isEmpty())
            return;
        QProcess::execute(QStringLiteral("/usr/bin/python3"), {script(), QStringLiteral("stop"), m_stateDir});
        m_stateDir.clear();
    }
    bool started() const { return !m_stateDir.isEmpty(); }
    QString why() const { return m_why; }

    // "good", "wrongName", "expired", "otherCa": as tlsfront.py names its endpoints.
    QString endpoint(const char *name) const
    {
        return m_description.value(QLatin1String("endpoints"))
            .toObject()
            .value(QLatin1String(name))
            .toString();
    }
    QJsonObject proxy() const { return m_description.value(QLatin1String("proxy")).toObject(); }
    QString caFile() const { return m_description.value(QLatin1String("ca")).toString(); }

private:
    static QString script()
    {
        return qEnvironmentVariable("MOLTDESK_SOURCE_DIR") +
               QStringLiteral("/tests/support/tlsfront/tlsfront.py");
    }

    QString m_stateDir;
    QString m_why;
    QJsonObject m_description;
};

} // namespace moltdesk::test

// Starts `front` before `port`, or fails (CI, MOLTDESK_REQUIRE_S3=1) / skips loudly saying why.
#define MOLTDESK_REQUIRE_TLSFRONT(front, stateDir, port)                                                     \
    do {                                                                                                     \
        if (!(front).start((stateDir), (port)))                                                              \
            MOLTDESK_FAIL_OR_SKIP("\n*** NOT CHECKED: " + (front).why().toUtf8() + " ***");                  \
    } while (false)
