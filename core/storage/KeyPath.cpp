#include "KeyPath.h"

#include <QDir>
#include <QFileInfo>

namespace moltdesk {

Result<QString> KeyPath::toRelativePath(const QString &key)
{
    const auto refuse = [&](const QString &why) {
        QString shown = key.left(120);
        shown.replace(QChar(0), QStringLiteral("\\0"));
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("object key \"%1\" refused: %2").arg(shown, why), shown);
    };
    if (key.isEmpty())
        return refuse(QStringLiteral("it is empty"));
    if (key.toUtf8().size() > kMaxKeyBytes)
        return refuse(QStringLiteral("it is longer than %1 bytes").arg(kMaxKeyBytes));
    if (key.contains(QChar(0)))
        return refuse(QStringLiteral("it contains a NUL character"));
    if (key.contains(QLatin1Char('\\')))
        return refuse(QStringLiteral("it contains a backslash"));
    if (key.startsWith(QLatin1Char('/')))
        return refuse(QStringLiteral("it is an absolute path"));
    if (key.endsWith(QLatin1Char('/')))
        return refuse(QStringLiteral("it names a folder, not a file"));
    const QStringList parts = key.split(QLatin1Char('/'));
    for (const QString &p : parts) {
        if (p.isEmpty())
            return refuse(QStringLiteral("it contains an empty path segment (\"//\")"));
        if (p == QLatin1String("..") || p == QLatin1String("."))
            return refuse(QStringLiteral("it contains a \"%1\" segment").arg(p));
    }
    return key;
}

bool KeyPath::staysInside(const QString &root, const QString &path)
{
    const QString canonRoot = QFileInfo(root).canonicalFilePath();
    if (canonRoot.isEmpty())
        return false;
    // Walk up to the deepest existing ancestor and resolve it; the rest cannot contain links yet.
    QString existing = QDir::cleanPath(path);
    QString rest;
    while (!QFileInfo::exists(existing) && !QFileInfo(existing).isSymLink()) {
        const qsizetype slash = existing.lastIndexOf(QLatin1Char('/'));
        if (slash <= 0)
            return false;
        rest = existing.mid(slash) + rest;
        existing = existing.left(slash);
    }
    const QFileInfo fi(existing);
    if (fi.isSymLink() && !fi.exists())
        return false; // dangling link
    const QString canon = fi.canonicalFilePath();
    if (canon.isEmpty())
        return false;
    const QString full = canon + rest;
    return full == canonRoot || full.startsWith(canonRoot + QLatin1Char('/'));
}

} // namespace moltdesk
