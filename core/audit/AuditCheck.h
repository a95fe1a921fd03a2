#pragma once

#include "AuditReport.h"
#include "CancelToken.h"
#include "Credentials.h"
#include "StorageBackend.h"
#include "Workspace.h"

#include <memory>
#include <optional>

namespace moltdesk {

struct AuditOptions;

// The names of the audit's built-in checks, in the order they run (one owner: the report's
// `checks`, the JSON and the GUI all take them from here).
namespace AuditChecks {
inline const QStringList &builtIn()
{
    static const QStringList names{QStringLiteral("naming"),      QStringLiteral("paths"),
                                   QStringLiteral("access"),      QStringLiteral("marker"),
                                   QStringLiteral("credentials"), QStringLiteral("leak"),
                                   QStringLiteral("freshness"),   QStringLiteral("leftover")};
    return names;
}
} // namespace AuditChecks

// One environment as the audit sees it, built once before any check runs.
struct AuditEnvironment
{
    EnvironmentNames names;
    QString display;
    CredentialLookup creds;
    std::shared_ptr<StorageBackend> backend; // own bucket, own credentials
    std::optional<Error> unreachable;        // why the own bucket cannot be read
    // What the worker deploys this environment with (nullopt: ENVIRONMENT unset).
    std::optional<QString> workerEnvironment;
    QString mountSource;
    QString mountFile;
    int mountLine = 0;
    // The first r2_buckets binding wrangler gives this environment ("" when none), and where.
    QString boundBucket;
    QString boundSource;

    bool readable() const { return backend && !unreachable; }
};

// What every check may read: built once per audit, from the files as they are now.
struct AuditContext
{
    const Workspace &workspace;
    const AuditOptions &options;
    const CancelToken &cancel;
    const StorageFactory &factory;
    QList<AuditEnvironment> environments;
    bool mountMode = false;
};

// Where checks put what they found.
class FindingSink
{
public:
    virtual ~FindingSink() = default;
    virtual void add(Finding finding) = 0;

    // A part of a check that could not run: why, and what would let it run. Never "ok".
    void notChecked(const QString &check, const QString &environment, const QString &title,
                    const QString &why, const QString &toRun)
    {
        add(Finding{.check = check,
                    .severity = Severity::NotChecked,
                    .environment = environment,
                    .title = title,
                    .evidence = why,
                    .remedy = toRun});
    }
};

// One more check for the audit (e.g. a live probe of the deployed worker). It must report something
// every time it runs: a check with no finding counts as not checked.
class AuditCheck
{
public:
    virtual ~AuditCheck() = default;
    virtual QString name() const = 0;
    virtual void run(const AuditContext &context, FindingSink &sink) = 0;
};

} // namespace moltdesk
