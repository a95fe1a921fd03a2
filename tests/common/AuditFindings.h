#pragma once

// Reading an AuditReport in a test: its findings of one check and severity, and the whole report as
// text for a failure message.

#include "AuditReport.h"
#include "AuditText.h"

namespace moltdesk::test {

// env "*": every environment.
inline QList<Finding> findings(const AuditReport &r, const QString &check, Severity s,
                               const QString &env = QStringLiteral("*"))
{
    QList<Finding> out;
    for (const Finding &f : r.findings) {
        if (f.check == check && f.severity == s && (env == QLatin1String("*") || f.environment == env))
            out.append(f);
    }
    return out;
}

inline QString dump(const AuditReport &r)
{
    return renderAuditText(r);
}

} // namespace moltdesk::test
