#include "Version.h"

#include "MoltdeskVersion.h"

#include <QtGlobal>

namespace moltdesk {

QString moltdeskVersion()
{
    return QStringLiteral(MOLTDESK_VERSION_STRING);
}

QString moltdeskReleaseDate()
{
    return QStringLiteral(MOLTDESK_RELEASE_DATE);
}

QString versionLine(const QString &program)
{
    const QString runtime = QString::fromLatin1(qVersion());
    const QString built = QStringLiteral(QT_VERSION_STR);
    const QString qt = runtime == built ? QStringLiteral("Qt %1").arg(runtime)
                                        : QStringLiteral("Qt %1, built with Qt %2").arg(runtime, built);
    return QStringLiteral("%1 %2 (%3)").arg(program, moltdeskVersion(), qt);
}

} // namespace moltdesk
