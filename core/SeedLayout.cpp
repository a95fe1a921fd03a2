#include "SeedLayout.h"

#include <QStringList>

namespace moltdesk {

bool isSensitiveKey(const QString &key)
{
    if (key == QLatin1String("clawdbot/clawdbot.json") || key == QLatin1String("openclaw/openclaw.json") ||
        key == QLatin1String("clawdbot.json"))
        return true;
    if (key.startsWith(QLatin1String("devices/")) || key.startsWith(QLatin1String("credentials/")) ||
        key.contains(QLatin1String("/credentials/")))
        return true;
    const QStringList parts = key.split(QLatin1Char('/'));
    return parts.size() == 3 && parts.at(1) == QLatin1String("devices") &&
           parts.at(2) == QLatin1String("paired.json");
}

} // namespace moltdesk
