#include "KeychainModule.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPluginLoader>

namespace moltdesk {

namespace {
// The module's file in dir, if there is one ("moltdesk-keychain.so" on Linux).
QString moduleIn(const QString &dir)
{
    const QDir d(dir);
    const QStringList found =
        d.entryList({QString::fromLatin1(KeychainModule::kFileName) + QStringLiteral(".*")}, QDir::Files);
    for (const QString &name : found)
        if (QLibrary::isLibrary(name))
            return d.filePath(name);
    return {};
}
} // namespace

QStringList KeychainModule::defaultDirs()
{
    QStringList dirs;
    const QString fromEnvironment = qEnvironmentVariable("MOLTDESK_KEYCHAIN_MODULE_DIR");
    if (!fromEnvironment.isEmpty())
        dirs << fromEnvironment;
    dirs << QDir::cleanPath(QCoreApplication::applicationDirPath() + QLatin1Char('/') +
                            QStringLiteral(MOLTDESK_KEYCHAIN_MODULE_RELDIR));
    return dirs;
}

Result<KeychainBackend *> KeychainModule::load(const QStringList &dirs)
{
    for (const QString &dir : dirs) {
        const QString file = moduleIn(dir);
        if (file.isEmpty())
            continue;
        // Never unloaded: the loader may go, the library and its root object stay for the process.
        QPluginLoader loader(file);
        QObject *root = loader.instance();
        auto *backend = qobject_cast<KeychainBackend *>(root);
        if (backend) {
            qCDebug(lcCredentials) << "keychain module loaded from" << file;
            return backend;
        }
        return makeError(
            ErrorKind::Local,
            QStringLiteral("keychain support not installed: %1 cannot be loaded (%2)")
                .arg(file, root ? QStringLiteral("not a Moltdesk keychain module") : loader.errorString()),
            file);
    }
    return makeError(ErrorKind::Local,
                     QStringLiteral("keychain support not installed: no %1 module in %2")
                         .arg(QString::fromLatin1(kFileName), dirs.join(QStringLiteral(", "))));
}

} // namespace moltdesk
