#pragma once

#include "Workspace.h"

#include <QUrl>

namespace moltdesk {

// Where an environment's deployed worker answers, and what said so (for messages and --json).
struct WorkerEndpoint
{
    QUrl url;       // https://..., or http://127.0.0.1:PORT in tests; never with a path
    QString source; // "profile workers.development", "wrangler.jsonc:12 env.production.routes", ...
};

// Finds an environment's worker: the profile's "workers" entry, else the wrangler file's
// env.<name>.routes (its first route with a plain host), else env.<name>.name on the profile's
// "workersDevSubdomain" (https://<name>.<sub>.workers.dev). The legacy environment uses the
// wrangler file's top level. Every URL passes workerUrlProblem(): the service token only ever goes
// over https (or to loopback).
class WorkerLocator
{
public:
    explicit WorkerLocator(const Workspace &workspace);

    // NotFound when nothing names a worker for env; InvalidInput for a route or name that gives no URL.
    Result<WorkerEndpoint> locate(const EnvironmentNames &env) const;

    // The profile's "workers" key of an environment: its name, or "legacy".
    static QString profileKey(const EnvironmentNames &env);

private:
    Result<WorkerEndpoint> fromWrangler(const EnvironmentNames &env) const;
    static Result<WorkerEndpoint> fromRoutes(const QJsonValue &routes, const QString &where);

    const Workspace &m_workspace;
};

} // namespace moltdesk
