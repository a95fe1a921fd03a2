#include "ProductionGuard.h"

namespace moltdesk {

Status confirmProduction(const EnvironmentNames &env, const QString &confirmation, const QString &what)
{
    if (!env.isProduction() || confirmation == env.environment)
        return success();
    return makeError(
        ErrorKind::Refused,
        QStringLiteral("environment \"%1\" is production: %2 needs its name typed (--confirm %1)")
            .arg(env.environment, what));
}

} // namespace moltdesk
