#include "BuiltInChecks.h"

namespace moltdesk {

const QStringList &AuditChecks::builtIn()
{
    static const QStringList names = [] {
        QStringList out;
        for (const auto &check : checks::builtInChecks())
            out << check->name();
        return out;
    }();
    return names;
}

} // namespace moltdesk
