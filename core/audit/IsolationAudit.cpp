#include "IsolationAudit.h"

#include "AuditCheck.h"
#include "Logging.h"
#include "MigrationReport.h"
#include "checks/BuiltInChecks.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <optional>

namespace moltdesk {

namespace {

constexpr qint64 kMaxReportBytes = 64 * 1024 * 1024;

QString fileLine(const QString &file, int line)
{
    const QString name = QFileInfo(file).fileName();
    return line > 0 ? QStringLiteral("%1:%2").arg(name).arg(line) : name;
}

QString envArg(const EnvironmentNames &env)
{
    return env.isLegacy() ? QStringLiteral("legacy") : env.environment;
}

using EnvCtx = AuditEnvironment;

// The files an audit reads. .dev.vars files that do not exist are listed too: creating one changes
// what the next audit sees.
QStringList auditInputs(const Workspace &ws)
{
    const QString profile = QFileInfo(ws.profile().path).absoluteFilePath();
    QStringList out{profile};
    if (ws.wrangler())
        out << ws.wrangler()->path;
    if (!ws.profile().startScriptPath.isEmpty())
        out << ws.profile().startScriptPath;
    const QString dir = QFileInfo(profile).absolutePath();
    out << dir + QStringLiteral("/.dev.vars");
    for (const EnvironmentNames &e : ws.environments()) {
        if (!e.isLegacy())
            out << dir + QStringLiteral("/.dev.vars.") + e.environment;
    }
    out.removeDuplicates();
    return out;
}

class AuditRun : public FindingSink
{
public:
    AuditRun(const Workspace &ws, const CredentialResolver &resolver, const StorageFactory &factory,
             const AuditOptions &options, const CancelToken &cancel, AuditReport &report)
        : m_ws(ws), m_resolver(resolver), m_factory(factory), m_options(options), m_cancel(cancel),
          m_report(report), m_mountMode(ws.profile().storage.type == StorageType::Mount)
    {}

    // Builds the context once, then runs the registered checks in order (built-in, then added ones),
    // stopping when cancelled.
    void run(const QList<std::shared_ptr<AuditCheck>> &extra)
    {
        std::vector<std::shared_ptr<AuditCheck>> checks;
        for (auto &c : checks::builtInChecks())
            checks.push_back(std::move(c));
        checks.insert(checks.end(), extra.cbegin(), extra.cend());
        for (const auto &check : checks)
            m_report.checks.append(check->name());
        setUp();
        loadMigrationReports();
        AuditContext ctx{m_ws, m_options, m_cancel, m_factory, {}, m_mountMode};
        for (const EnvCtx &c : std::as_const(m_envs))
            ctx.environments.append(c);
        for (const auto &check : checks) {
            if (m_cancel.isCancelled()) {
                m_report.complete = false;
                add(Finding{.check = QStringLiteral("audit"),
                            .severity = Severity::NotChecked,
                            .title = QStringLiteral("audit cancelled: this report is incomplete"),
                            .evidence = QStringLiteral("the audit was cancelled before all checks ran"),
                            .remedy =
                                QStringLiteral("run the audit again to completion before relying on it")});
                return;
            }
            check->run(ctx, *this);
        }
    }

    void add(Finding f) override
    {
        if (f.severity == Severity::Ok)
            f.remedy.clear();
        qCDebug(lcAudit).noquote() << severityName(f.severity) << f.check << f.environment << f.title;
        m_report.findings.append(std::move(f));
    }
    void addPathRow(const PathRow &row) override { m_report.paths.append(row); }
    void addAccessCell(const AccessCell &cell) override { m_report.matrix.append(cell); }
    void leftProbe(const QString &probe) override { m_leftProbes.append(probe); }

    const QStringList &leftProbes() const { return m_leftProbes; }

private:
    using FindingSink::add;
    void add(const QString &check, Severity severity, const QString &environment, const QString &title,
             const QString &evidence, const QString &remedy = {})
    {
        add(Finding{.check = check,
                    .severity = severity,
                    .environment = environment,
                    .title = title,
                    .evidence = evidence,
                    .remedy = remedy});
    }

    // ---- set-up: credentials, own backends, what the worker deploys ----

    void setUp()
    {
        const auto &wr = m_ws.wrangler();
        for (const EnvironmentNames &n : m_ws.environments()) {
            EnvCtx c;
            c.names = n;
            c.display = n.displayName();
            if (m_mountMode)
                c.creds.source = CredentialSource::NotNeeded;
            else
                c.creds = m_resolver.resolve(n);

            // The ENVIRONMENT the worker passes: found by vars.ENVIRONMENT first, then by env key.
            if (n.isLegacy()) {
                c.workerEnvironment = std::nullopt;
                c.mountSource =
                    wr ? QStringLiteral("%1 (top level, no ENVIRONMENT)").arg(QFileInfo(wr->path).fileName())
                       : QStringLiteral("profile (legacy)");
                c.mountFile = wr ? wr->path : QString();
                if (wr && !wr->topLevelR2Buckets.isEmpty()) {
                    c.boundBucket = wr->topLevelR2Buckets.first().bucketName;
                    c.boundSource = fileLine(wr->path, wr->topLevelR2Buckets.first().line);
                }
            } else if (wr) {
                const WranglerEnvironment *match = nullptr;
                for (const WranglerEnvironment &we : wr->environments) {
                    if (we.hasEnvironmentVar && we.environmentVar == n.environment) {
                        match = &we;
                        break;
                    }
                }
                if (!match) {
                    for (const WranglerEnvironment &we : wr->environments) {
                        if (we.name == n.environment) {
                            match = &we;
                            break;
                        }
                    }
                }
                if (match) {
                    if (match->hasEnvironmentVar && !match->environmentVar.isEmpty())
                        c.workerEnvironment = match->environmentVar;
                    if (!match->r2Buckets.isEmpty()) {
                        c.boundBucket = match->r2Buckets.first().bucketName;
                        c.boundSource = fileLine(wr->path, match->r2Buckets.first().line);
                    }
                    c.mountFile = wr->path;
                    c.mountLine = match->varsLine;
                    c.mountSource =
                        QStringLiteral("%1 (env.%2)").arg(fileLine(wr->path, match->varsLine), match->name);
                } else {
                    c.workerEnvironment = n.environment;
                    c.mountSource = QStringLiteral("profile (%1 has no env.%2)")
                                        .arg(QFileInfo(wr->path).fileName(), n.environment);
                }
            } else {
                c.workerEnvironment = n.environment;
                c.mountSource = QStringLiteral("profile (no wrangler.jsonc configured)");
            }

            if (!c.creds.complete()) {
                c.unreachable =
                    makeError(ErrorKind::Auth, QStringLiteral("no credentials (%1)").arg(c.creds.describe()));
            } else {
                auto b = m_factory.open(n, c.creds);
                if (!b) {
                    c.unreachable = b.error();
                } else {
                    c.backend = b.value();
                    const Status head = c.backend->headBucket().result();
                    if (!head)
                        c.unreachable = head.error();
                }
            }
            m_envs.append(c);
            m_report.environments.append(c.display);
        }
    }

    bool readable(int i) const { return m_envs.at(i).backend && !m_envs.at(i).unreachable; }

    // The seed's formulas, applied literally (the worker does not validate ENVIRONMENT).
    // ---- migration reports (used by leaks and leftovers) ----

    void loadMigrationReports()
    {
        const EnvironmentNames legacy = m_ws.naming().legacy();
        const QString key = QString::fromLatin1(MigrationReport::kKey);
        for (int i = 0; i < m_envs.size(); ++i) {
            EnvCtx &c = m_envs[i];
            if (c.names.isLegacy() || !readable(i))
                continue;
            const auto raw = c.backend->getBytes(key, kMaxReportBytes).result();
            if (!raw) {
                if (raw.error().kind != ErrorKind::NotFound)
                    add(QStringLiteral("leftover"), Severity::NotChecked, c.display,
                        QStringLiteral("cannot read %1's migration report").arg(c.display),
                        raw.error().message,
                        QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket));
                continue;
            }
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(raw.value(), &err);
            const QJsonObject o = doc.object();
            if (err.error != QJsonParseError::NoError || !o.value(QLatin1String("objects")).isArray()) {
                add(QStringLiteral("leftover"), Severity::Warning, c.display,
                    QStringLiteral("%1's migration report is unreadable").arg(c.display),
                    QStringLiteral("%1/%2 is not a JSON object with an \"objects\" array")
                        .arg(c.backend->location(), key),
                    QStringLiteral("run moltctl migrate %1 again; it rewrites the report")
                        .arg(envArg(c.names)));
                continue;
            }
            const QString source = o.value(QLatin1String("source")).toString();
            if (!source.isEmpty() && source != legacy.bucket) {
                qCDebug(lcAudit) << c.display << "report is from" << source << "not" << legacy.bucket;
                continue;
            }
            c.hasReport = true;
            c.migratedAt =
                QDateTime::fromString(o.value(QLatin1String("migratedAt")).toString(), Qt::ISODate);
            const QJsonArray objects = o.value(QLatin1String("objects")).toArray();
            for (const QJsonValue &v : objects) {
                const QJsonObject e = v.toObject();
                const QString k = e.value(QLatin1String("key")).toString();
                if (k.isEmpty())
                    continue;
                c.migrated.insert(k, {qint64(e.value(QLatin1String("size")).toDouble(-1)),
                                      e.value(QLatin1String("md5")).toString().toLatin1().toLower()});
            }
        }
    }

    const Workspace &m_ws;
    const CredentialResolver &m_resolver;
    const StorageFactory &m_factory;
    const AuditOptions &m_options;
    const CancelToken &m_cancel;
    AuditReport &m_report;
    const bool m_mountMode;
    QList<EnvCtx> m_envs;
    QStringList m_leftProbes;
};

} // namespace

IsolationAudit::IsolationAudit(const Workspace &workspace, const CredentialResolver &resolver,
                               const StorageFactory &factory, AuditOptions options)
    : m_workspace(workspace), m_resolver(resolver), m_factory(&factory), m_options(std::move(options))
{}

IsolationAudit::IsolationAudit(const Workspace &workspace, const CredentialResolver &resolver,
                               AuditOptions options)
    : m_workspace(workspace), m_resolver(resolver), m_ownFactory(std::make_unique<StorageFactory>(workspace)),
      m_factory(m_ownFactory.get()), m_options(std::move(options))
{}

IsolationAudit::~IsolationAudit() = default;

void IsolationAudit::addCheck(std::shared_ptr<AuditCheck> check)
{
    m_extraChecks.append(std::move(check));
}

AuditReport IsolationAudit::run(const CancelToken &cancel) const
{
    AuditReport report;
    report.generated = QDateTime::currentDateTimeUtc();
    report.profilePath = m_workspace.profile().path;
    report.storageMode = m_workspace.profile().storage.type == StorageType::Mount ? QStringLiteral("mount")
                                                                                  : QStringLiteral("s3");
    report.probeWrite = m_options.probeWrite;
    report.inputs = auditInputs(m_workspace);
    AuditRun r(m_workspace, m_resolver, *m_factory, m_options, cancel, report);
    r.run(m_extraChecks);
    if (!r.leftProbes().isEmpty())
        report.findings.append(Finding{
            .check = QStringLiteral("credentials"),
            .severity = Severity::Warning,
            .title = QStringLiteral("%1 write probes could not be deleted").arg(r.leftProbes().size()),
            .evidence = r.leftProbes().join(QStringLiteral("; ")),
            .remedy = QStringLiteral("delete these objects by hand; they hold no data")});
    qCDebug(lcAudit) << "audit done:" << report.count(Severity::Ok) << "ok" << report.count(Severity::Warning)
                     << "warnings" << report.count(Severity::Failure) << "failures";
    return report;
}

} // namespace moltdesk
