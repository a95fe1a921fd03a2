#pragma once

#include "AuditReport.h"
#include "CancelToken.h"
#include "Credentials.h"
#include "StorageBackend.h"
#include "Workspace.h"

#include <QHash>
#include <memory>
#include <optional>

namespace moltdesk {

struct AuditOptions;

// The names of the audit's built-in checks, in the order they run, as the registry
// (checks/BuiltInChecks.h) gives them.
namespace AuditChecks {
const QStringList &builtIn();
} // namespace AuditChecks

// One object a migration report (`.migrated-from`) lists.
struct MigratedObject
{
    qint64 size = -1;
    QByteArray md5; // lower-case hex, empty when the report has none
};

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
    // The environment's `.migrated-from`, when it has one from the legacy bucket.
    bool hasReport = false;
    QDateTime migratedAt;
    QHash<QString, MigratedObject> migrated;

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
    // The report's tables: built-in checks fill them; a sink that only collects findings ignores them.
    virtual void addPathRow(const PathRow &) {}
    virtual void addAccessCell(const AccessCell &) {}
    // A write probe that could not be deleted again.
    virtual void leftProbe(const QString &) {}

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
