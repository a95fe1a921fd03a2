// The "access" check of the isolation audit: Every environment's own bucket can be read (everything after
// reads it).
#include "BuiltInChecks.h"
#include "CheckBase.h"

namespace moltdesk::checks {

namespace {

class AccessCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("access"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkAccess();
    }

private:
    // ---- own bucket reachable (everything below reads it) ----

    void checkAccess()
    {
        QStringList reached;
        for (const AuditEnvironment &c : envs()) {
            if (!c.unreachable) {
                reached << QStringLiteral("%1 (%2)").arg(c.display, c.backend->location());
                continue;
            }
            notChecked(
                QStringLiteral("access"), c.display,
                QStringLiteral("cannot read %1's bucket: marker, leak, freshness and leftover checks are "
                               "not checked for it")
                    .arg(c.display),
                c.unreachable->message, accessRemedy(c));
        }
        if (reached.size() == envs().size())
            add(Finding{.check = QStringLiteral("access"),
                        .severity = Severity::Ok,
                        .title = QStringLiteral("every environment's bucket can be read"),
                        .evidence = joinComma(reached)});
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeAccessCheck()
{
    return std::make_unique<AccessCheck>();
}

} // namespace moltdesk::checks
