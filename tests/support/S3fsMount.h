#pragma once

// A real s3fs FUSE mount of one of the test server's buckets (Debian's s3fs, as root), mounted for
// the lifetime of the object and unmounted after. Path-style requests to the loopback endpoint,
// SigV4 for region "auto". The keys go to s3fs through its environment (AWSACCESSKEYID /
// AWSSECRETACCESSKEY): the server's access key ids contain ':', which s3fs's passwd_file format
// cannot hold. s3fs's own caches stay on, as in a container: every write of a test goes through the
// same mount, and tests compare against the server's listing, never against the mount's view alone.
#include "TestServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

namespace moltdesk::test {

class S3fsMount
{
public:
    S3fsMount() = default;
    S3fsMount(const S3fsMount &) = delete;
    S3fsMount &operator=(const S3fsMount &) = delete;
    ~S3fsMount() { unmount(); }

    // Why a mount cannot be made on this machine at all (then tests skip loudly, or fail when
    // required), or empty.
    static QString unavailable()
    {
        if (!QFile::exists(QStringLiteral("/dev/fuse")))
            return QStringLiteral("/dev/fuse is absent: no FUSE in this machine or container");
        if (QStandardPaths::findExecutable(QStringLiteral("s3fs")).isEmpty())
            return QStringLiteral("s3fs is not installed (Debian package s3fs, in scripts/packages.txt)");
        return {};
    }

    bool mount(const TestServer &server, const QString &user, const QString &bucket,
               const QString &mountPoint, QString *error)
    {
        QDir().mkpath(mountPoint);
        m_point = mountPoint;
        const ServerUser u = server.user(user);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWSACCESSKEYID"), u.accessKeyId);
        env.insert(QStringLiteral("AWSSECRETACCESSKEY"), u.secret);
        p.setProcessEnvironment(env);
        p.start(
            QStringLiteral("s3fs"),
            {bucket, mountPoint, QStringLiteral("-o"),
             QStringLiteral("url=%1,use_path_request_style,sigv4,endpoint=%2,logfile=%3")
                 .arg(server.endpoint().toString(), server.region(), mountPoint + QStringLiteral(".log"))});
        p.waitForFinished(30000);
        if (p.exitCode() != 0) {
            *error = QStringLiteral("s3fs exited with %1: %2")
                         .arg(p.exitCode())
                         .arg(QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
            return false;
        }
        // s3fs daemonises: wait until the kernel lists the mount.
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000) {
            if (isMounted()) {
                m_mounted = true;
                return true;
            }
            QThread::msleep(50);
        }
        *error = QStringLiteral("s3fs did not appear in /proc/self/mountinfo at %1").arg(mountPoint);
        return false;
    }
    bool isMounted() const
    {
        QFile f(QStringLiteral("/proc/self/mountinfo"));
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray field = QByteArray(" ") + QFile::encodeName(m_point) + QByteArray(" ");
        return f.readAll().contains(field);
    }
    void unmount()
    {
        if (!m_mounted)
            return;
        // A mount still busy (s3fs flushing) refuses a plain unmount: detach it lazily then, so no
        // test leaves a mount behind.
        if (QProcess::execute(QStringLiteral("fusermount"), {QStringLiteral("-u"), m_point}) != 0 ||
            isMounted())
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), m_point});
        m_mounted = false;
    }
    QString point() const { return m_point; }

private:
    QString m_point;
    bool m_mounted = false;
};

} // namespace moltdesk::test

#define MOLTDESK_REQUIRE_FUSE()                                                                              \
    do {                                                                                                     \
        const QString why_ = moltdesk::test::S3fsMount::unavailable();                                       \
        if (!why_.isEmpty()) {                                                                               \
            if (moltdesk::test::TestServer::required())                                                      \
                QFAIL(qPrintable(QStringLiteral("s3fs mounts are required here but cannot run: ") + why_));  \
            QSKIP(qPrintable(QStringLiteral("\n*** NOT CHECKED (no s3fs mount): ") + why_ +                  \
                             QStringLiteral(" ***")));                                                       \
        }                                                                                                    \
    } while (false)
