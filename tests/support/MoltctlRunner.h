#pragma once

// moltctl as the unit tests run it: the real binary named by $MOLTCTL (set by CTest), kept out of the
// caller's own data, cache and R2 keys.

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

namespace moltdesk::test {

struct MoltctlRun
{
    int code = -1; // -1: did not finish within 60 s; -2: crashed
    QByteArray out;
    QString err;
};

// Data and cache under dir; no R2 keys inherited from whoever runs the tests.
inline QProcessEnvironment isolatedMoltctlEnvironment(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("xdg-data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("xdg-cache")));
    env.remove(QStringLiteral("R2_ACCESS_KEY_ID"));
    env.remove(QStringLiteral("R2_SECRET_ACCESS_KEY"));
    return env;
}

// stdinData is written and the input closed, so a prompt reads end-of-file rather than waiting.
inline MoltctlRun runMoltctl(const QTemporaryDir &dir, const QStringList &args,
                             const QByteArray &stdinData = {})
{
    QProcess p;
    p.setProcessEnvironment(isolatedMoltctlEnvironment(dir));
    p.start(qEnvironmentVariable("MOLTCTL"), args);
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace moltdesk::test
