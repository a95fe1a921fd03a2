#include "WorkerLocator.h"

#include "Jsonc.h"
#include "WorkerLogging.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace moltdesk {

WorkerLocator::WorkerLocator(const Workspace &workspace) : m_workspace(workspace) {}

QString WorkerLocator::profileKey(const EnvironmentNames &env)
{
    return env.isLegacy() ? QStringLiteral("legacy") : env.environment;
}

Result<WorkerEndpoint> WorkerLocator::locate(const EnvironmentNames &env) const
{
    const Profile &p = m_workspace.profile();
    const QString key = profileKey(env);
    if (p.workers.contains(key))
        return WorkerEndpoint{p.workers.value(key), QStringLiteral("profile workers.") + key};
    auto w = fromWrangler(env);
    if (w || w.error().kind != ErrorKind::NotFound)
        return w;
    return makeError(
        ErrorKind::NotFound,
        QStringLiteral("no worker is known for %1: add \"workers\": { \"%2\": \"https://...\" } to the "
                       "profile, or \"workersDevSubdomain\" with a wrangler file that names the worker")
            .arg(env.displayName(), key));
}

Result<WorkerEndpoint> WorkerLocator::fromWrangler(const EnvironmentNames &env) const
{
    const auto notFound = makeError(ErrorKind::NotFound, QStringLiteral("no wrangler worker"));
    const QString path = m_workspace.profile().wranglerPath;
    if (path.isEmpty() || !m_workspace.wrangler())
        return notFound;
    const WranglerConfig &wr = *m_workspace.wrangler();
    QString envKey;
    QString workerName = wr.topLevelName;
    for (const WranglerEnvironment &e : wr.environments) {
        if (env.isLegacy())
            break;
        if ((e.hasEnvironmentVar && e.environmentVar == env.environment) ||
            (envKey.isEmpty() && e.name == env.environment)) {
            envKey = e.name;
            workerName = e.workerName.isEmpty() ? wr.topLevelName + QLatin1Char('-') + e.name : e.workerName;
        }
    }
    if (!env.isLegacy() && envKey.isEmpty())
        return notFound;
    // Routes are not in WranglerConfig (only this module needs them): read them here.
    auto doc = Jsonc::parseFile(path);
    if (!doc)
        return doc.error();
    const QString pointer = envKey.isEmpty()
                                ? QStringLiteral("/routes")
                                : QStringLiteral("/env/%1/routes").arg(Jsonc::escapePointerToken(envKey));
    QJsonValue routes = doc.value().root.toObject();
    if (!envKey.isEmpty())
        routes = routes.toObject().value(QLatin1String("env")).toObject().value(envKey);
    routes = routes.toObject().value(QLatin1String("routes"));
    const QString where =
        QStringLiteral("%1:%2 %3")
            .arg(QFileInfo(path).fileName())
            .arg(doc.value().lineOf(pointer))
            .arg(envKey.isEmpty() ? QStringLiteral("routes") : QStringLiteral("env.%1.routes").arg(envKey));
    if (routes.isArray() && !routes.toArray().isEmpty()) {
        auto r = fromRoutes(routes, where);
        if (r || r.error().kind != ErrorKind::NotFound)
            return r;
    }
    const QString sub = m_workspace.profile().workersDevSubdomain;
    if (sub.isEmpty() || workerName.isEmpty())
        return notFound;
    const QUrl url(QStringLiteral("https://%1.%2.workers.dev").arg(workerName, sub), QUrl::StrictMode);
    if (const QString why = workerUrlProblem(url); !why.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("worker name \"%1\" gives no usable URL: %2").arg(workerName, why));
    return WorkerEndpoint{url, QStringLiteral("%1 worker \"%2\" on workersDevSubdomain \"%3\"")
                                   .arg(QFileInfo(path).fileName(), workerName, sub)};
}

Result<WorkerEndpoint> WorkerLocator::fromRoutes(const QJsonValue &routes, const QString &where)
{
    for (const QJsonValue &r : routes.toArray()) {
        const QString pattern =
            r.isString() ? r.toString() : r.toObject().value(QLatin1String("pattern")).toString();
        const QString host = pattern.section(QLatin1Char('/'), 0, 0);
        // A wildcard host ("*.example.com/*") names no single worker address.
        if (host.isEmpty() || host.contains(QLatin1Char('*')))
            continue;
        const QUrl url(QStringLiteral("https://") + host, QUrl::StrictMode);
        if (!workerUrlProblem(url).isEmpty())
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("%1: route \"%2\" has no usable host").arg(where, pattern.left(200)));
        qCDebug(lcWorker) << "worker from route" << pattern;
        return WorkerEndpoint{url, where};
    }
    return makeError(ErrorKind::NotFound, QStringLiteral("no route with a plain host"));
}

} // namespace moltdesk
