#include "CredentialFiles.h"

#include "Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace moltdesk {

namespace {
struct Advice
{
    QStringList needles; // any of them, case-insensitive
    const char *text;
};

const QList<Advice> &advices()
{
    static const QList<Advice> list{
        {{QStringLiteral("ServiceUnknown"), QStringLiteral("org.freedesktop.secrets"),
          QStringLiteral("No such secret collection")},
         "No keychain (secret service) is running in this session. Install and start GNOME Keyring or "
         "KWallet, log in to the desktop again, or let Moltdesk write %1 for you."},
        {{QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("Not connected to D-Bus"),
          QStringLiteral("Cannot autolaunch"), QStringLiteral("NoServer"),
          QStringLiteral("Failed to connect"), QStringLiteral("Could not connect")},
         "There is no D-Bus session here (usual over SSH, in a container or under sudo), so the keychain "
         "cannot be reached. Run Moltdesk from your desktop session, or let Moltdesk write %1 for you."},
        {{QStringLiteral("Dismissed"), QStringLiteral("locked"), QStringLiteral("IsLocked")},
         "The keyring is locked and was not unlocked. Unlock it (e.g. in \"Passwords and Keys\") and save "
         "again, or let Moltdesk write %1 for you."},
        {{QStringLiteral("AccessDenied"), QStringLiteral("not allowed"), QStringLiteral("denied")},
         "The keychain refused access to Moltdesk. Allow it in the keychain's settings and save again, or "
         "let Moltdesk write %1 for you."},
        {{QStringLiteral("did not answer"), QStringLiteral("NoReply"), QStringLiteral("Timeout")},
         "The keychain did not answer: an unlock prompt may be waiting on another screen. Answer it and "
         "save again, or let Moltdesk write %1 for you."},
        {{QStringLiteral("keychain support not installed")},
         "This installation of Moltdesk lacks its keychain module (moltdesk-keychain). Reinstall Moltdesk, "
         "or let Moltdesk write %1 for you."},
    };
    return list;
}

bool isOurVariable(const QByteArray &line)
{
    QByteArray l = line.trimmed();
    if (l.startsWith("export "))
        l = l.mid(7).trimmed();
    for (const char *name : {"R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "CF_ACCOUNT_ID"})
        if (l.startsWith(QByteArray(QByteArray(name) + '=')) ||
            l.startsWith(QByteArray(QByteArray(name) + ' ')))
            return true;
    return false;
}

Status writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return makeError(ErrorKind::Local, QString::fromLocal8Bit(std::strerror(errno)));
        done += n;
    }
    return ::fsync(fd) == 0 ? success()
                            : makeError(ErrorKind::Local, QString::fromLocal8Bit(std::strerror(errno)));
}
} // namespace

QString keychainAdvice(const QString &rawError, const QString &fallbackFile)
{
    const QString file = QFileInfo(fallbackFile).fileName();
    for (const Advice &a : advices())
        for (const QString &n : a.needles)
            if (rawError.contains(n, Qt::CaseInsensitive))
                return QString::fromUtf8(a.text).arg(file);
    return QStringLiteral("The keychain did not take the keys. Let Moltdesk write %1 for you, or try again "
                          "once the keychain works.")
        .arg(file);
}

Status writeDevVars(const QString &path, const QString &profilePath, const Credentials &credentials)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (abs == QFileInfo(profilePath).absoluteFilePath() ||
        !QFileInfo(abs).fileName().startsWith(QLatin1String(".dev.vars")))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("keys go into a .dev.vars file, never into %1").arg(abs), abs);
    if (!credentials.hasKeys())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("both the access key id and the secret are needed"));
    const QString values = credentials.accessKeyId + credentials.secretAccessKey + credentials.accountId;
    if (values.contains(QLatin1Char('\'')) || values.contains(QLatin1Char('\n')) ||
        values.contains(QLatin1Char('\r')))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("a key contains a quote or a line break: not a valid R2 key"));
    QByteArray out;
    QFile existing(abs);
    if (existing.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : existing.readAll().split('\n'))
            if (!line.isEmpty() && !isOurVariable(line))
                out += line + '\n';
    }
    out += "R2_ACCESS_KEY_ID='" + credentials.accessKeyId.toUtf8() + "'\n";
    out += "R2_SECRET_ACCESS_KEY='" + credentials.secretAccessKey.toUtf8() + "'\n";
    if (!credentials.accountId.isEmpty())
        out += "CF_ACCOUNT_ID='" + credentials.accountId.toUtf8() + "'\n";
    // 0600 from the first byte: the temporary file is created so, then renamed over the old one.
    const QString tmp =
        abs + QStringLiteral(".moltdesk-tmp-") + QString::number(QRandomGenerator::global()->generate(), 36);
    const QByteArray tmpName = QFile::encodeName(tmp);
    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(
            ErrorKind::Local,
            QStringLiteral("cannot create %1: %2").arg(tmp, QString::fromLocal8Bit(std::strerror(errno))),
            abs);
    const Status written = writeAll(fd, out);
    ::close(fd);
    if (!written || ::rename(tmpName.constData(), QFile::encodeName(abs).constData()) != 0) {
        ::unlink(tmpName.constData());
        return makeError(ErrorKind::Local, QStringLiteral("cannot write %1").arg(abs), abs);
    }
    qCInfo(lcCredentials) << "wrote R2 keys into" << abs; // the file's name only, never its content
    return success();
}

} // namespace moltdesk
