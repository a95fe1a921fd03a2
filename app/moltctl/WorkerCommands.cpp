#include "WorkerCommands.h"

#include "Cli.h"
#include "ExitCode.h"
#include "HelpFormat.h"
#include "HelpTable.h"
#include "LastSync.h"
#include "LiveIsolationProbe.h"
#include "ProductionGuard.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent>

namespace moltdesk {

namespace {

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}
} // namespace

WorkerCommands::WorkerCommands(Terminal &terminal, const Workspace &workspace, const CredentialResolver &r2,
                               KeychainStore *keychain, bool useKeychain)
    : m_term(terminal), m_ws(workspace), m_r2(r2), m_keychain(keychain),
      m_access(workspace.profile().path, keychain, useKeychain)
{}

int WorkerCommands::fail(const Error &e)
{
    m_term.err(QStringLiteral("moltctl: ") + e.toString());
    return exitCodeFor(e);
}

WorkerActions::Progress WorkerCommands::progress()
{
    return [this](const QString &s) { m_term.err(QStringLiteral("  ") + s); };
}

int WorkerCommands::run(const Invocation &o)
{
    const QString sub = o.args.command->name.section(QLatin1Char(' '), 1, 1);
    if (sub == QLatin1String("status"))
        return status(o);
    if (sub == QLatin1String("sync"))
        return sync(o);
    if (sub == QLatin1String("restart"))
        return restart(o);
    if (sub == QLatin1String("check-persistence"))
        return checkPersistence(o);
    return tokenSet(o); // the table's last worker command: "worker token set"
}

namespace {
WorkerClientOptions clientOptions(int timeoutS)
{
    WorkerClientOptions c;
    if (timeoutS > 0) {
        c.timeoutMs = timeoutS * 1000;
        c.syncTimeoutMs = timeoutS * 1000;
    }
    return c;
}

QString statusText(const WorkerStatus &s, const QDateTime &now)
{
    QStringList l;
    l << QStringLiteral("%1  %2  (%3)")
             .arg(s.env.displayName(), s.endpoint.url.toString(), s.endpoint.source);
    if (s.error) {
        if (s.gateway)
            l << QStringLiteral("  gateway: ") + s.gateway->status;
        l << QStringLiteral("  error: ") + s.error->message;
        return l.join(QLatin1Char('\n'));
    }
    l << QStringLiteral("  gateway: %1%2")
             .arg(s.gateway->status, s.gateway->processId.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (process %1)").arg(s.gateway->processId));
    if (s.storage) {
        l << QStringLiteral("  R2: %1")
                 .arg(s.storage->configured ? QStringLiteral("configured")
                                            : QStringLiteral("not configured, missing ") +
                                                  s.storage->missing.join(QStringLiteral(", ")));
        const auto t = LastSync::parse(s.storage->lastSync.toUtf8());
        l << QStringLiteral("  container's last sync: %1")
                 .arg(t ? QString::fromLatin1(LastSync::format(t.value())).trimmed() + QStringLiteral(" (") +
                              LastSync::relativeAge(t.value(), now) + QLatin1Char(')')
                        : QStringLiteral("none"));
    }
    if (s.bucketRead)
        l << QStringLiteral("  bucket's .last-sync:   %1")
                 .arg(s.bucketLastSync.isValid()
                          ? QString::fromUtf8(s.bucketLastSyncRaw) + QStringLiteral(" (") +
                                LastSync::relativeAge(s.bucketLastSync, now) + QLatin1Char(')')
                          : QStringLiteral("none"));
    if (s.devices)
        l << QStringLiteral("  devices: %1 paired, %2 pending")
                 .arg(s.devices->paired.size())
                 .arg(s.devices->pending.size());
    if (s.debugEnv)
        l << QStringLiteral("  debug routes: on");
    for (const QString &e : s.routeErrors)
        l << QStringLiteral("  error: ") + e;
    for (const QString &p : s.problems)
        l << QStringLiteral("  FAILURE: ") + p;
    for (const QString &n : s.notes)
        l << QStringLiteral("  note: ") + n;
    return l.join(QLatin1Char('\n'));
}
} // namespace

int WorkerCommands::status(const Invocation &o)
{
    QList<EnvironmentNames> envs = o.environments;
    if (envs.isEmpty()) {
        for (const EnvironmentNames &e : m_ws.environments()) {
            auto ep = WorkerLocator(m_ws).locate(e);
            if (ep || ep.error().kind != ErrorKind::NotFound)
                envs << e;
        }
        if (envs.isEmpty())
            return fail(
                makeError(ErrorKind::InvalidInput,
                          QStringLiteral(
                              "the profile names no worker: add \"workers\": { \"ENV\": \"https://...\" }")));
    }
    const WorkerActions actions(m_ws, m_r2, m_access, clientOptions(o.options.timeoutS));
    QList<QFuture<WorkerStatus>> futures;
    for (const EnvironmentNames &e : std::as_const(envs))
        futures << QtConcurrent::run([&actions, e]() { return actions.status(e); });
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray arr;
    QStringList text;
    bool failed = false;
    for (auto &f : futures) {
        const WorkerStatus s = f.result();
        failed = failed || s.failed();
        arr.append(s.toJson(now));
        text << statusText(s, now);
    }
    if (o.args.has("json"))
        m_term.out(json(QJsonObject{{QStringLiteral("profile"), m_ws.profile().path},
                                    {QStringLiteral("generatedAt"), now.toString(Qt::ISODate)},
                                    {QStringLiteral("workers"), arr}}));
    else
        m_term.out(text.join(QLatin1Char('\n')));
    return failed ? ExitFailed : ExitOk;
}

int WorkerCommands::sync(const Invocation &o)
{
    const EnvironmentNames &env = o.env();
    if (auto g = confirmProduction(env, o.args.value("confirm"), QStringLiteral("a backup")); !g)
        return fail(g.error());
    const WorkerActions actions(m_ws, m_r2, m_access, clientOptions(o.options.timeoutS));
    auto r = actions.syncVerified(env, {}, progress());
    if (!r)
        return fail(r.error());
    if (o.args.has("json"))
        m_term.out(json(r.value().toJson()));
    else
        m_term.out(QStringLiteral("%1: backed up in the container and verified: %2")
                       .arg(env.displayName(), r.value().evidence));
    return ExitOk;
}

int WorkerCommands::restart(const Invocation &o)
{
    const EnvironmentNames &env = o.env();
    if (auto g = confirmProduction(env, o.args.value("confirm"), QStringLiteral("a restart")); !g)
        return fail(g.error());
    const WorkerActions actions(m_ws, m_r2, m_access, clientOptions(o.options.timeoutS));
    const int waitMs = (o.options.timeoutS > 0 ? o.options.timeoutS : 180) * 1000;
    auto r = actions.restart(env, o.args.has("wait"), waitMs, {}, progress());
    if (!r)
        return fail(r.error());
    const RestartOutcome &x = r.value();
    if (o.args.has("json"))
        m_term.out(json(QJsonObject{{QStringLiteral("message"), x.claim.message},
                                    {QStringLiteral("previousProcessId"), x.claim.previousProcessId},
                                    {QStringLiteral("waited"), x.waited},
                                    {QStringLiteral("processId"), x.processId},
                                    {QStringLiteral("waitedMs"), x.waitedMs}}));
    else if (x.waited)
        m_term.out(QStringLiteral("%1: gateway restarted (was %2), running again as %3 after %4 s")
                       .arg(env.displayName(), x.claim.previousProcessId, x.processId)
                       .arg(double(x.waitedMs) / 1000.0, 0, 'f', 1));
    else
        m_term.out(QStringLiteral("%1: %2 (was %3)")
                       .arg(env.displayName(), x.claim.message, x.claim.previousProcessId));
    return ExitOk;
}

int WorkerCommands::checkPersistence(const Invocation &o)
{
    const EnvironmentNames &env = o.env();
    if (auto g = confirmProduction(env, o.args.value("confirm"),
                                   QStringLiteral("the persistence check (backup and restart)"));
        !g)
        return fail(g.error());
    const WorkerActions actions(m_ws, m_r2, m_access, clientOptions(o.options.timeoutS));
    const int waitMs = (o.options.timeoutS > 0 ? o.options.timeoutS : 180) * 1000;
    auto r = actions.checkPersistence(env, waitMs, {}, progress());
    if (!r)
        return fail(r.error());
    const PersistenceCheck &p = r.value();
    if (o.args.has("json"))
        m_term.out(json(p.toJson()));
    if (!p.checked) {
        m_term.err(QStringLiteral("moltctl: %1: persistence not checked: %2")
                       .arg(env.displayName(), p.notCheckedWhy));
        return ExitFailed;
    }
    if (!p.missing.isEmpty()) {
        m_term.err(
            QStringLiteral(
                "moltctl: %1: FAILURE: paired devices lost across the restart: %2 (before: %3; after: %4)")
                .arg(env.displayName(), p.missing.join(QStringLiteral(", ")),
                     p.before.join(QStringLiteral(", ")),
                     p.after.isEmpty() ? QStringLiteral("none") : p.after.join(QStringLiteral(", "))));
        return ExitFailed;
    }
    if (!o.args.has("json"))
        m_term.out(
            QStringLiteral("%1: data persists: %2 paired device(s) still there after backup and restart (%3)")
                .arg(env.displayName())
                .arg(p.before.size())
                .arg(p.sync.evidence));
    return ExitOk;
}

int WorkerCommands::tokenSet(const Invocation &o)
{
    const EnvironmentNames &env = o.env();
    const auto vars = readSecretVars();
    if (!vars)
        return fail(vars.error());
    const Credentials c{vars.value().value(QStringLiteral("CF_ACCESS_CLIENT_ID")).trimmed(),
                        vars.value().value(QStringLiteral("CF_ACCESS_CLIENT_SECRET")).trimmed(),
                        {}};
    if (!c.hasKeys())
        return fail(
            makeError(ErrorKind::InvalidInput,
                      QStringLiteral("stdin must set CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET")));
    const Status s =
        m_keychain->write(AccessTokenResolver::keychainEntry(m_ws.profile().path, env), c).result();
    if (!s)
        return fail(makeError(
            ErrorKind::Local,
            s.error().message + QStringLiteral("; put the token in .dev.vars.%1 next to the profile instead")
                                    .arg(WorkerLocator::profileKey(env))));
    m_term.out(
        QStringLiteral("stored the Access service token for %1 in the keychain").arg(env.displayName()));
    return ExitOk;
}

// The `worker` command's hook in Cli (declared in Cli.h), kept here with the rest of it.
int Cli::cmdWorker(const QStringList &args)
{
    if (!args.isEmpty() &&
        (args.first() == QLatin1String("--help") || args.first() == QLatin1String("help"))) {
        m_term.out(commandUsage(moltctlHelp(), QStringLiteral("worker")));
        return ExitOk;
    }
    const auto inv = prepare(QStringLiteral("worker"), args);
    if (!inv)
        return fail(inv.error());
    const CredentialResolver r2 = resolver();
    WorkerCommands commands(m_term, inv.value().ws(), r2, m_keychain, !m_global.noKeychain);
    return commands.run(inv.value());
}

// `status`: each row with a worker joined with its container's view (gateway, container's last sync);
// a container that claims a backup its bucket does not show makes the row a failure. By bucket name.
QMap<QString, QJsonObject> Cli::joinDeployments(const Workspace &ws, QList<EnvironmentStatus> &rows)
{
    const CredentialResolver r2 = resolver();
    const AccessTokenResolver access(ws.profile().path, m_keychain, !m_global.noKeychain);
    WorkerClientOptions options;
    options.timeoutMs = kStatusTimeoutMs;
    const WorkerActions actions(ws, r2, access, options);
    QList<QFuture<std::optional<ContainerView>>> futures;
    for (const EnvironmentStatus &row : std::as_const(rows)) {
        const EnvironmentNames env = row.names;
        futures << QtConcurrent::run([&actions, env]() { return actions.deploymentOf(env); });
    }
    QMap<QString, QJsonObject> out;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        std::optional<ContainerView> view = futures[i].result();
        if (!view)
            continue;
        WorkerActions::joinInto(rows[i], *view);
        out.insert(rows[i].names.bucket, view->toJson(now));
    }
    return out;
}

// `verify --live`: the probe's findings, added to the audit's report by cmdVerify.
QList<Finding> Cli::liveFindings(const Workspace &ws, const QString &confirmation)
{
    const CredentialResolver r2 = resolver();
    const AccessTokenResolver access(ws.profile().path, m_keychain, !m_global.noKeychain);
    const WorkerActions actions(ws, r2, access);
    const LiveIsolationProbe probe(ws, actions);
    return probe.run(confirmation, {}, [this](const QString &s) { m_term.err(QStringLiteral("  ") + s); });
}

} // namespace moltdesk
