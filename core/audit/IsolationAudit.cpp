#include "IsolationAudit.h"

#include "ControlKeys.h"
#include "IdentityMarker.h"
#include "LastSync.h"
#include "Logging.h"
#include "MigrationJob.h"
#include "MountBackend.h"
#include "MountInfo.h"
#include "StartScript.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QSet>
#include <optional>

namespace moltdesk {

namespace {

constexpr qint64 kMaxReportBytes = 64 * 1024 * 1024;
constexpr qint64 kMaxHashedObject = 16 * 1024 * 1024;
// "{}", "[]" and the like are identical everywhere and carry no secret.
constexpr qint64 kTrivialSize = 4;
// A .last-sync this far ahead of our clock is not clock noise.
constexpr qint64 kFutureToleranceSecs = 5 * 60;

QString fileLine(const QString &file, int line)
{
    const QString name = QFileInfo(file).fileName();
    return line > 0 ? QStringLiteral("%1:%2").arg(name).arg(line) : name;
}

QString envArg(const EnvironmentNames &env)
{
    return env.isLegacy() ? QStringLiteral("legacy") : env.environment;
}

QString joinComma(const QStringList &l)
{
    return l.join(QStringLiteral(", "));
}

Severity worst(Severity a, Severity b)
{
    return int(a) > int(b) ? a : b;
}

struct MigratedObject
{
    qint64 size = -1;
    QByteArray md5;
};

struct EnvCtx
{
    EnvironmentNames names;
    QString display;
    CredentialLookup creds;
    std::shared_ptr<StorageBackend> backend; // own bucket, own credentials
    std::optional<Error> unreachable;        // why the own bucket cannot be read
    // What the worker deploys this environment with.
    std::optional<QString> workerEnvironment; // nullopt: ENVIRONMENT unset
    QString mountSource;
    QString mountFile;
    int mountLine = 0;
    // The environment's `.migrated-from`, when it has one from the legacy bucket.
    bool hasReport = false;
    QHash<QString, MigratedObject> migrated;
};

struct Sensitive
{
    int env = 0;
    ObjectInfo info;
    QByteArray identity; // md5 hex, or "etag:<multipart etag>"
};

bool isSensitiveKey(const QString &key)
{
    if (key == QLatin1String("clawdbot/clawdbot.json") || key == QLatin1String("openclaw/openclaw.json") ||
        key == QLatin1String("clawdbot.json"))
        return true;
    if (key.startsWith(QLatin1String("devices/")) || key.startsWith(QLatin1String("credentials/")) ||
        key.contains(QLatin1String("/credentials/")))
        return true;
    const QStringList parts = key.split(QLatin1Char('/'));
    return parts.size() == 3 && parts.at(1) == QLatin1String("devices") &&
           parts.at(2) == QLatin1String("paired.json");
}

class AuditRun
{
public:
    AuditRun(const Workspace &ws, const CredentialResolver &resolver, const StorageFactory &factory,
             const AuditOptions &options, const CancelToken &cancel, AuditReport &report)
        : m_ws(ws), m_resolver(resolver), m_factory(factory), m_options(options), m_cancel(cancel),
          m_report(report), m_mountMode(ws.profile().storage.type == StorageType::Mount)
    {}

    void run()
    {
        setUp();
        const std::initializer_list<void (AuditRun::*)()> steps{
            &AuditRun::checkNaming,  &AuditRun::checkPaths,       &AuditRun::checkAccess,
            &AuditRun::checkMarkers, &AuditRun::checkCredentials, &AuditRun::loadMigrationReports,
            &AuditRun::checkLeaks,   &AuditRun::checkFreshness,   &AuditRun::checkLeftovers};
        for (auto step : steps) {
            if (m_cancel.isCancelled()) {
                m_report.complete = false;
                add(QStringLiteral("audit"), Severity::Warning, {},
                    QStringLiteral("audit cancelled: this report is incomplete"),
                    QStringLiteral("the audit was cancelled before all checks ran"),
                    QStringLiteral("run the audit again to completion before relying on it"));
                return;
            }
            (this->*step)();
        }
    }

private:
    Finding &add(const QString &check, Severity severity, const QString &environment, const QString &title,
                 const QString &evidence, const QString &remedy = {}, const QString &file = {}, int line = 0,
                 const QString &fixCommand = {})
    {
        Finding f;
        f.check = check;
        f.severity = severity;
        f.environment = environment;
        f.title = title;
        f.evidence = evidence;
        f.remedy = severity == Severity::Ok ? QString() : remedy;
        f.file = file;
        f.line = line;
        f.fixCommand = fixCommand;
        qCDebug(lcAudit).noquote() << severityName(severity) << check << environment << title;
        m_report.findings.append(f);
        return m_report.findings.last();
    }

    bool involvesProduction(std::initializer_list<int> envs) const
    {
        for (int i : envs) {
            if (m_envs.at(i).names.isProduction())
                return true;
        }
        return false;
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
    QString workerBucket(const std::optional<QString> &e) const
    {
        const NamingBases &b = m_ws.naming().bases();
        return e ? b.bucketBase + QLatin1Char('-') + *e : b.bucketBase;
    }
    QString workerMount(const std::optional<QString> &e) const
    {
        const NamingBases &b = m_ws.naming().bases();
        return e ? b.mountBase + QLatin1Char('-') + *e : b.mountBase;
    }
    QString workerInstance(const std::optional<QString> &e) const
    {
        const NamingBases &b = m_ws.naming().bases();
        return e ? b.instanceBase + QLatin1Char('-') + *e : b.instanceBase;
    }

    // ---- 1. naming ----

    void checkNaming()
    {
        const QString check = QStringLiteral("naming");
        const EnvironmentNames legacy = m_ws.naming().legacy();
        bool problems = false;

        // Distinct names across the profile's environments; the legacy names always take part, so a
        // named environment that resolves to them is caught too.
        struct Use
        {
            QString what;
            QStringList owners;
        };
        QMap<QString, Use> uses;
        const auto note = [&](const QString &kind, const QString &value, const QString &owner) {
            Use &u = uses[kind + QLatin1Char('\x1f') + value];
            u.what = QStringLiteral("%1 %2").arg(kind, value);
            if (!u.owners.contains(owner))
                u.owners.append(owner);
        };
        bool legacyListed = false;
        QStringList summary;
        for (const EnvCtx &c : std::as_const(m_envs)) {
            legacyListed = legacyListed || c.names.isLegacy();
            note(QStringLiteral("bucket"), c.names.bucket, c.display);
            note(QStringLiteral("mount path"), c.names.mountPath, c.display);
            note(QStringLiteral("sandbox instance"), c.names.instanceId, c.display);
            if (m_mountMode)
                note(QStringLiteral("mount directory"), m_ws.mountDirectory(c.names), c.display);
            summary << QStringLiteral("%1: %2, %3, %4")
                           .arg(c.display, c.names.bucket, c.names.mountPath, c.names.instanceId);
        }
        if (!legacyListed) {
            note(QStringLiteral("bucket"), legacy.bucket, legacy.displayName());
            note(QStringLiteral("mount path"), legacy.mountPath, legacy.displayName());
            note(QStringLiteral("sandbox instance"), legacy.instanceId, legacy.displayName());
        }
        for (const Use &u : std::as_const(uses)) {
            if (u.owners.size() < 2)
                continue;
            problems = true;
            add(check, Severity::Failure, {},
                QStringLiteral("%1 is shared by %2").arg(u.what, joinComma(u.owners)),
                QStringLiteral("%1 resolve to the same %2").arg(joinComma(u.owners), u.what),
                QStringLiteral("give every environment its own name; check naming bases in the profile"));
        }

        const auto &wr = m_ws.wrangler();
        if (!wr) {
            add(check, Severity::Warning, {},
                QStringLiteral("no wrangler.jsonc configured: the worker's names were not checked"),
                QStringLiteral(
                    "the profile has no \"wrangler\" key, so vars.ENVIRONMENT, worker names and r2_buckets "
                    "bindings could not be compared with the naming rule"),
                QStringLiteral("add \"wrangler\": \"path/to/wrangler.jsonc\" to the profile"),
                m_ws.profile().path);
        } else {
            problems = checkWrangler(*wr) || problems;
        }
        if (!problems)
            add(check, Severity::Ok, {},
                QStringLiteral("every environment has its own bucket, mount path and sandbox instance"),
                summary.join(QStringLiteral("; ")) +
                    (wr ? QStringLiteral("; every env in %1 sets vars.ENVIRONMENT to its own name, worker "
                                         "names are distinct "
                                         "and r2_buckets bindings follow the naming rule")
                              .arg(QFileInfo(wr->path).fileName())
                        : QString()));
    }

    bool checkWrangler(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString file = wr.path;
        const QString fname = QFileInfo(file).fileName();
        const EnvironmentNames legacy = m_ws.naming().legacy();
        bool problems = false;

        QSet<QString> knownBuckets;
        knownBuckets.insert(legacy.bucket);
        for (const EnvCtx &c : std::as_const(m_envs))
            knownBuckets.insert(c.names.bucket);
        QMap<QString, QStringList> byValue; // ENVIRONMENT value -> env keys
        QSet<QString> keys;
        for (const WranglerEnvironment &we : wr.environments)
            keys.insert(we.name);

        for (const WranglerEnvironment &we : wr.environments) {
            const bool prodKey = EnvironmentNames{we.name, {}, {}, {}}.isProduction();
            std::optional<QString> value;
            if (we.hasEnvironmentVar && !we.environmentVar.isEmpty())
                value = we.environmentVar;
            if (!value && !we.bucketNameVar.isEmpty())
                continue; // upstream's way: isolated by vars.R2_BUCKET_NAME, judged below
            if (!value) {
                problems = true;
                const QString why = we.hasEnvironmentVar
                                        ? QStringLiteral("sets vars.ENVIRONMENT to an empty string")
                                        : QStringLiteral("does not set vars.ENVIRONMENT");
                add(check, Severity::Failure, we.name,
                    QStringLiteral("env.%1 %2: it falls back to the legacy bucket %3")
                        .arg(we.name, why, legacy.bucket),
                    QStringLiteral(
                        "%1: env.%2 %3, so the worker deployed with --env %2 uses bucket %4, mount path %5 "
                        "and "
                        "sandbox %6, the legacy names shared with every deployment that has no ENVIRONMENT%7")
                        .arg(fileLine(file, we.varsLine), we.name, why, legacy.bucket, legacy.mountPath,
                             legacy.instanceId,
                             prodKey
                                 ? QStringLiteral(" (production data would be written to the legacy bucket)")
                                 : QString()),
                    QStringLiteral("add \"vars\": { \"ENVIRONMENT\": \"%1\" } to env.%1 in %2 and redeploy "
                                   "(npx wrangler deploy --env %1)")
                        .arg(we.name, fname),
                    file, we.varsLine);
                continue;
            }
            byValue[*value].append(we.name);
            if (const QString e = m_ws.naming().validationError(*value); !e.isEmpty()) {
                problems = true;
                add(check, Severity::Failure, we.name,
                    QStringLiteral("env.%1 sets vars.ENVIRONMENT to an unusable name").arg(we.name),
                    QStringLiteral("%1: %2; the worker would still build bucket %3 and mount path %4 from it")
                        .arg(fileLine(file, we.varsLine), e, workerBucket(value), workerMount(value)),
                    QStringLiteral("set vars.ENVIRONMENT of env.%1 to \"%1\" in %2").arg(we.name, fname),
                    file, we.varsLine);
                continue;
            }
            if (*value != we.name) {
                problems = true;
                const bool crossWired = keys.contains(*value);
                add(check, crossWired || prodKey ? Severity::Failure : Severity::Warning, we.name,
                    QStringLiteral("env.%1 deploys with ENVIRONMENT=%2").arg(we.name, *value),
                    QStringLiteral("%1: env.%2 sets vars.ENVIRONMENT to \"%3\", so --env %2 uses bucket %4 "
                                   "and mount path %5%6")
                        .arg(fileLine(file, we.varsLine), we.name, *value, workerBucket(value),
                             workerMount(value),
                             crossWired ? QStringLiteral(", which belong to env.%1").arg(*value) : QString()),
                    QStringLiteral("set vars.ENVIRONMENT of env.%1 to \"%1\" in %2 (one name per "
                                   "environment, everywhere)")
                        .arg(we.name, fname),
                    file, we.varsLine);
            }
        }
        for (auto it = byValue.cbegin(); it != byValue.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            problems = true;
            QStringList envs;
            for (const QString &k : it.value())
                envs << QStringLiteral("env.") + k;
            add(check, Severity::Failure, {},
                QStringLiteral("%1 all deploy with ENVIRONMENT=%2").arg(joinComma(envs), it.key()),
                QStringLiteral("%1: they share bucket %2 and mount path %3")
                    .arg(fname, workerBucket(it.key()), workerMount(it.key())),
                QStringLiteral("give each env its own vars.ENVIRONMENT, equal to its key"), file);
        }

        problems = checkBucketNameVars(wr) || problems;

        // Worker names: wrangler names an env's worker "<top>-<env>" unless it sets its own.
        QMap<QString, QStringList> workers;
        QMap<QString, int> workerLines;
        if (!wr.topLevelName.isEmpty())
            workers[wr.topLevelName].append(QStringLiteral("top level"));
        for (const WranglerEnvironment &we : wr.environments) {
            const QString name = !we.workerName.isEmpty()     ? we.workerName
                                 : !wr.topLevelName.isEmpty() ? wr.topLevelName + QLatin1Char('-') + we.name
                                                              : QString();
            if (name.isEmpty())
                continue;
            workers[name].append(QStringLiteral("env.") + we.name);
            workerLines.insert(name, we.line);
        }
        for (auto it = workers.cbegin(); it != workers.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            problems = true;
            bool prod = false;
            for (const QString &w : it.value())
                prod = prod || EnvironmentNames{w.mid(4), {}, {}, {}}.isProduction();
            add(check, prod ? Severity::Failure : Severity::Warning, {},
                QStringLiteral("worker name %1 is used by %2").arg(it.key(), joinComma(it.value())),
                QStringLiteral("%1: deploying one replaces the other's worker (and its sandbox and secrets)")
                    .arg(fileLine(file, workerLines.value(it.key()))),
                QStringLiteral("give each env its own \"name\" in %1, e.g. \"%2-<env>\"")
                    .arg(fname, wr.topLevelName.isEmpty() ? QStringLiteral("moltbot") : wr.topLevelName),
                file, workerLines.value(it.key()));
        }

        // r2_buckets bindings must name the bucket the naming rule gives for the env's ENVIRONMENT.
        const auto checkBinding = [&](const R2BucketBinding &b, const QString &where,
                                      const std::optional<QString> &env, const QString &envName) {
            const WranglerEnvironment *we = envName.isEmpty() ? nullptr : wr.environmentFor(envName);
            const QString expected =
                we && !we->bucketNameVar.isEmpty() ? we->bucketNameVar : workerBucket(env);
            if (b.bucketName == expected)
                return;
            problems = true;
            const bool other = knownBuckets.contains(b.bucketName);
            const bool prod = env && EnvironmentNames{*env, {}, {}, {}}.isProduction();
            add(check, other || prod ? Severity::Failure : Severity::Warning, envName,
                QStringLiteral("%1 binds bucket %2, but its bucket is %3").arg(where, b.bucketName, expected),
                QStringLiteral("%1: r2_buckets binding %2 names %3%4; the naming rule gives %5")
                    .arg(fileLine(file, b.line),
                         b.binding.isEmpty() ? QStringLiteral("(unnamed)") : b.binding, b.bucketName,
                         other ? QStringLiteral(", another environment's bucket") : QString(), expected),
                QStringLiteral("set bucket_name to \"%1\" in %2").arg(expected, fname), file, b.line);
        };
        for (const R2BucketBinding &b : wr.topLevelR2Buckets)
            checkBinding(b, QStringLiteral("the top level"), std::nullopt, {});
        for (const WranglerEnvironment &we : wr.environments) {
            if ((!we.hasEnvironmentVar || we.environmentVar.isEmpty()) && we.bucketNameVar.isEmpty())
                continue; // reported above; its bindings are judged once it names its environment
            const std::optional<QString> value = we.hasEnvironmentVar && !we.environmentVar.isEmpty()
                                                     ? std::optional<QString>(we.environmentVar)
                                                     : std::nullopt;
            for (const R2BucketBinding &b : we.r2Buckets)
                checkBinding(b, QStringLiteral("env.") + we.name, value, we.name);
        }

        // Profile environments the wrangler file never deploys.
        for (const EnvCtx &c : std::as_const(m_envs)) {
            if (c.names.isLegacy())
                continue;
            bool found = false;
            for (const WranglerEnvironment &we : wr.environments)
                found = found || we.name == c.names.environment ||
                        (we.hasEnvironmentVar && we.environmentVar == c.names.environment);
            if (!found) {
                problems = true;
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1 is in the profile but not in %2").arg(c.display, fname),
                    QStringLiteral("no env in %1 has the key %2 or sets vars.ENVIRONMENT to it; its worker "
                                   "names could not be checked")
                        .arg(fname, c.names.environment),
                    QStringLiteral("add env.%1 with \"vars\": { \"ENVIRONMENT\": \"%1\" } to %2, or remove "
                                   "it from the profile")
                        .arg(c.names.environment, fname),
                    file);
            }
        }
        return problems;
    }

    // Upstream names buckets with vars.R2_BUCKET_NAME: like ENVIRONMENT, one bucket per env, and never
    // the legacy default for a named env (that is the bucket every unnamed deployment shares).
    bool checkBucketNameVars(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString legacyBucket = m_ws.naming().bases().bucketBase;
        QMap<QString, QStringList> byBucket;
        bool problems = false;
        for (const WranglerEnvironment &we : wr.environments) {
            if (we.bucketNameVar.isEmpty())
                continue;
            byBucket[we.bucketNameVar].append(QStringLiteral("env.") + we.name);
            if (we.bucketNameVar != legacyBucket)
                continue;
            problems = true;
            add(check, Severity::Failure, we.name,
                QStringLiteral("env.%1 sets R2_BUCKET_NAME to the legacy bucket %2")
                    .arg(we.name, legacyBucket),
                QStringLiteral(
                    "%1: env.%2.vars.R2_BUCKET_NAME is \"%3\", the default every deployment without "
                    "its own bucket falls back to")
                    .arg(fileLine(wr.path, we.bucketNameLine), we.name, legacyBucket),
                QStringLiteral("give env.%1 a bucket of its own, e.g. \"%2-%1\", and migrate its data")
                    .arg(we.name, legacyBucket),
                wr.path, we.bucketNameLine);
        }
        for (auto it = byBucket.cbegin(); it != byBucket.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            problems = true;
            add(check, Severity::Failure, {},
                QStringLiteral("%1 all set R2_BUCKET_NAME to %2").arg(joinComma(it.value()), it.key()),
                QStringLiteral("%1: they share bucket %2").arg(QFileInfo(wr.path).fileName(), it.key()),
                QStringLiteral("give each env its own vars.R2_BUCKET_NAME"), wr.path);
        }
        return problems;
    }

    // ---- 2. paths ----

    void checkPaths()
    {
        const QString check = QStringLiteral("paths");
        const QString scriptPath = m_ws.profile().startScriptPath;
        std::optional<StartScript> script;
        QString scriptProblem;
        if (!scriptPath.isEmpty()) {
            auto s = StartScript::load(scriptPath);
            if (s)
                script = s.value();
            else
                scriptProblem = s.error().message;
        }
        if (!scriptProblem.isEmpty())
            add(check, Severity::Warning, {}, QStringLiteral("cannot read the container's start script"),
                scriptProblem,
                QStringLiteral("fix \"startScript\" in the profile so it points at start-moltbot.sh"),
                scriptPath);

        std::optional<MountInfo> mounts;
        if (m_mountMode) {
            auto mi = MountInfo::load(m_options.mountInfoPath);
            if (mi)
                mounts = mi.value();
            else
                add(check, Severity::Warning, {}, QStringLiteral("cannot tell what is mounted"),
                    mi.error().message,
                    QStringLiteral("run the audit where %1 is readable (inside the container)")
                        .arg(m_options.mountInfoPath));
        }

        const QString mountBase = m_ws.naming().bases().mountBase;
        for (const EnvCtx &c : std::as_const(m_envs)) {
            PathRow row;
            row.environment = c.display;
            row.workerBucket = workerBucket(c.workerEnvironment);
            row.mountPath = workerMount(c.workerEnvironment);
            row.mountSource = c.mountSource;
            row.writePath = m_mountMode ? m_ws.mountDirectory(c.names) : c.names.bucket;
            Severity sev = Severity::Ok;

            bool writeOk;
            if (m_mountMode) {
                const QString hostMount =
                    QDir::cleanPath(m_ws.profile().storage.root + QLatin1Char('/') + row.mountPath);
                writeOk = hostMount == row.writePath;
                if (!writeOk)
                    add(check, Severity::Failure, c.display,
                        QStringLiteral("sync writes %1, but the worker mounts %2 at %3")
                            .arg(row.writePath, row.workerBucket, row.mountPath),
                        QStringLiteral("moltdesk writes %1's data to %2; the worker (%3) mounts bucket %4 at "
                                       "%5 (%6 here), so the "
                                       "container never sees what sync writes")
                            .arg(c.display, row.writePath, c.mountSource, row.workerBucket, row.mountPath,
                                 hostMount),
                        QStringLiteral("make the worker deploy %1 with vars.ENVIRONMENT = \"%1\"")
                            .arg(c.names.environment),
                        c.mountFile, c.mountLine);
            } else {
                writeOk = row.workerBucket == c.names.bucket;
                if (!writeOk)
                    add(check, Severity::Failure, c.display,
                        QStringLiteral("sync writes bucket %1, but the worker mounts %2")
                            .arg(c.names.bucket, row.workerBucket),
                        QStringLiteral("moltdesk writes %1's data to bucket %2; the worker (%3) mounts "
                                       "bucket %4 at %5, so the "
                                       "container never sees what sync writes")
                            .arg(c.display, c.names.bucket, c.mountSource, row.workerBucket, row.mountPath),
                        QStringLiteral("make the worker deploy %1 with vars.ENVIRONMENT = \"%1\"")
                            .arg(c.names.environment),
                        c.mountFile, c.mountLine);
            }
            if (!writeOk)
                sev = Severity::Failure;

            bool readOk = true;
            if (!scriptPath.isEmpty()) {
                const QString sname = QFileInfo(scriptPath).fileName();
                const QString withEnv = c.workerEnvironment
                                            ? QStringLiteral("ENVIRONMENT=%1").arg(*c.workerEnvironment)
                                            : QStringLiteral("ENVIRONMENT unset");
                if (!script) {
                    row.readPathKnown = false;
                    row.readSource = scriptProblem;
                } else {
                    const BackupDirEvaluation ev = script->evaluateBackupDir(c.workerEnvironment);
                    if (!ev.evaluated) {
                        row.readPathKnown = false;
                        row.readSource = ev.problem;
                        sev = worst(sev, Severity::Warning);
                        add(check, Severity::Warning, c.display,
                            QStringLiteral("cannot tell where the container restores %1 from").arg(c.display),
                            QStringLiteral("%1 with %2: %3")
                                .arg(ev.line > 0 ? fileLine(scriptPath, ev.line) : sname, withEnv,
                                     ev.problem),
                            QStringLiteral("check BACKUP_DIR in %1 by hand: it must be %2 for %3; a plain "
                                           "assignment or the seed's "
                                           "if [ -n \"$ENVIRONMENT\" ] form can be checked automatically")
                                .arg(sname, row.mountPath, c.display),
                            scriptPath, ev.line);
                    } else {
                        row.readPath = ev.value;
                        row.readSource = fileLine(scriptPath, ev.line);
                        readOk = QDir::cleanPath(ev.value) == QDir::cleanPath(row.mountPath);
                        if (!readOk) {
                            sev = Severity::Failure;
                            add(check, Severity::Failure, c.display,
                                QStringLiteral("restore reads %1, but %2 is mounted at %3: data written by "
                                               "sync would be "
                                               "lost at restart")
                                    .arg(ev.value, row.workerBucket, row.mountPath),
                                QStringLiteral(
                                    "%1: %2 gives BACKUP_DIR=%3 with %4; the worker mounts %5 at %6 (%7) and "
                                    "sync "
                                    "writes %8. The container restores from a path nothing writes to, starts "
                                    "fresh, and the next sync replaces the backup")
                                    .arg(fileLine(scriptPath, ev.line), ev.assignment, ev.value, withEnv,
                                         row.workerBucket, row.mountPath, c.mountSource, row.writePath),
                                QStringLiteral(
                                    "derive BACKUP_DIR from ENVIRONMENT in %1, as the seed's Phase 2 fix "
                                    "does: "
                                    "if [ -n \"$ENVIRONMENT\" ]; then BACKUP_DIR=\"%2-$ENVIRONMENT\"; else "
                                    "BACKUP_DIR=\"%2\"; fi; make sure the worker passes ENVIRONMENT to the "
                                    "container, then rebuild the image")
                                    .arg(sname, mountBase),
                                scriptPath, ev.line);
                        }
                    }
                }
            } else {
                // moltdesk's own restore reads exactly where its sync writes.
                row.readPath = row.writePath;
                row.readSource = QStringLiteral("moltdesk restore (no \"startScript\" in the profile)");
            }
            row.agree = writeOk && readOk && row.readPathKnown;

            QString mountNote;
            if (m_mountMode && mounts)
                sev = worst(sev, checkMountState(c, row, *mounts, mountNote));

            if (sev == Severity::Ok)
                add(check, Severity::Ok, c.display, QStringLiteral("mount, write and read paths agree"),
                    QStringLiteral("the worker mounts %1 at %2 (%3); sync writes %4; restore reads %5 (%6)%7")
                        .arg(row.workerBucket, row.mountPath, c.mountSource, row.writePath, row.readPath,
                             row.readSource, mountNote));
            m_report.paths.append(row);
        }
    }

    Severity checkMountState(const EnvCtx &c, PathRow &row, const MountInfo &mounts, QString &okNote)
    {
        const QString check = QStringLiteral("paths");
        const QString dir = row.writePath;
        if (const MountEntry *e = mounts.at(dir)) {
            row.mountedBy = e->fsType;
            const QString bucket = MountInfo::bucketOfSource(*e);
            if (!bucket.isEmpty() && bucket != c.names.bucket) {
                add(check, Severity::Failure, c.display,
                    QStringLiteral("%1 is a mount of bucket %2, not %3").arg(dir, bucket, c.names.bucket),
                    QStringLiteral("mountinfo: %1 on %2 type %3").arg(e->source, dir, e->fsType),
                    QStringLiteral("unmount %1 and mount bucket %2 there").arg(dir, c.names.bucket));
                return Severity::Failure;
            }
            if (!e->fsType.startsWith(QLatin1String("fuse."))) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1 is a %2 mount, not a bucket mount").arg(dir, e->fsType),
                    QStringLiteral(
                        "mountinfo: %1 on %2 type %3; s3fs or rclone mounts show as fuse.s3fs or fuse.rclone")
                        .arg(e->source, dir, e->fsType),
                    QStringLiteral(
                        "mount bucket %1 at %2 with s3fs or rclone, or ignore this for a local copy")
                        .arg(c.names.bucket, dir));
                return Severity::Warning;
            }
            okNote = QStringLiteral("; %1 is mounted by %2 (%3)").arg(dir, e->fsType, e->source);
            return Severity::Ok;
        }
        const QFileInfo fi(dir);
        if (!fi.exists()) {
            row.mountedBy = QStringLiteral("missing");
            add(check, Severity::Warning, c.display, QStringLiteral("%1 does not exist").arg(dir),
                QStringLiteral("no directory and no mount at %1, where %2's bucket %3 should be")
                    .arg(dir, c.display, c.names.bucket),
                QStringLiteral("mount bucket %1 at %2 (s3fs or rclone)").arg(c.names.bucket, dir));
            return Severity::Warning;
        }
        if (const MountEntry *up = mounts.containing(dir);
            up && up->fsType.startsWith(QLatin1String("fuse."))) {
            row.mountedBy = QStringLiteral("inside %1 at %2").arg(up->fsType, up->mountPoint);
            add(check, Severity::Warning, c.display,
                QStringLiteral("%1 is a folder inside the %2 mount at %3")
                    .arg(dir, up->fsType, up->mountPoint),
                QStringLiteral(
                    "mountinfo has no mount at %1 itself; what sync writes there lands in whatever bucket is "
                    "mounted at %2 (%3)")
                    .arg(dir, up->mountPoint, up->source),
                QStringLiteral("mount bucket %1 at %2 itself").arg(c.names.bucket, dir));
            return Severity::Warning;
        }
        row.mountedBy = QStringLiteral("plain directory");
        add(check, Severity::Warning, c.display,
            QStringLiteral("%1 is a plain directory, not a bucket mount").arg(dir),
            QStringLiteral("mountinfo (%1) lists no mount at %2: files written there stay on this disk and "
                           "never reach R2")
                .arg(m_options.mountInfoPath, dir),
            QStringLiteral(
                "mount bucket %1 at %2 (s3fs or rclone), or ignore this for a local demo workspace")
                .arg(c.names.bucket, dir));
        return Severity::Warning;
    }

    // ---- own bucket reachable (everything below reads it) ----

    void checkAccess()
    {
        for (const EnvCtx &c : std::as_const(m_envs)) {
            if (!c.unreachable)
                continue;
            add(QStringLiteral("access"), Severity::Warning, c.display,
                QStringLiteral("cannot read %1's bucket: marker, leak, freshness and leftover checks skip it")
                    .arg(c.display),
                c.unreachable->message,
                m_mountMode ? QStringLiteral("mount bucket %1 at %2")
                                  .arg(c.names.bucket, m_ws.mountDirectory(c.names))
                            : QStringLiteral("give %1 credentials that reach %2 (keychain or .dev.vars.%3)")
                                  .arg(c.display, c.names.bucket, envArg(c.names)));
        }
    }

    // ---- 3. identity markers ----

    void checkMarkers()
    {
        const QString check = QStringLiteral("marker");
        const QString key = QString::fromLatin1(IdentityMarker::kKey);
        for (int i = 0; i < m_envs.size(); ++i) {
            const EnvCtx &c = m_envs.at(i);
            if (!readable(i))
                continue;
            const auto raw = c.backend->getBytes(key, 64 * 1024).result();
            if (!raw) {
                if (raw.error().kind == ErrorKind::NotFound) {
                    add(check, Severity::Warning, c.display,
                        QStringLiteral("%1 has no identity marker").arg(c.names.bucket),
                        QStringLiteral(
                            "%1 holds no %2, so nothing tells which environment the bucket belongs to; sync "
                            "cannot refuse to write into a wrong bucket")
                            .arg(c.backend->location(), key),
                        QStringLiteral("stamp it once you are sure it is %1's bucket").arg(c.display), {}, 0,
                        QStringLiteral("moltctl stamp %1").arg(envArg(c.names)));
                } else {
                    add(check, Severity::Warning, c.display,
                        QStringLiteral("cannot read %1's identity marker").arg(c.display),
                        raw.error().message,
                        QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket));
                }
                continue;
            }
            const auto m = IdentityMarker::parse(raw.value());
            if (!m) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1's identity marker is unreadable").arg(c.names.bucket),
                    QStringLiteral("%1/%2: %3").arg(c.backend->location(), key, m.error().message),
                    QStringLiteral(
                        "look at the file; if the bucket is %1's, delete it and run moltctl stamp %2")
                        .arg(c.display, envArg(c.names)));
                continue;
            }
            const IdentityMarker &mk = m.value();
            const QString markerEnv = mk.environment.isEmpty() ? QStringLiteral("(legacy)") : mk.environment;
            if (mk.environment != c.names.environment) {
                add(check, Severity::Failure, c.display,
                    QStringLiteral("%1 carries the marker of %2: the bucket is cross-wired")
                        .arg(c.names.bucket, markerEnv),
                    QStringLiteral(
                        "%1/%2 says environment %3 (bucket %4, written %5), but this is %6's bucket")
                        .arg(c.backend->location(), key, markerEnv, mk.bucket,
                             mk.written.isValid() ? mk.written.toString(Qt::ISODate)
                                                  : QStringLiteral("at an unknown time"),
                             c.display),
                    QStringLiteral("find out how %1's data got into %2 (a sync run with the wrong "
                                   "environment or a copied "
                                   "bucket); compare the contents, move them where they belong, then delete "
                                   "the marker and "
                                   "run moltctl stamp %3")
                        .arg(markerEnv, c.names.bucket, envArg(c.names)));
            } else if (!mk.bucket.isEmpty() && mk.bucket != c.names.bucket) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1's marker was written for bucket %2").arg(c.names.bucket, mk.bucket),
                    QStringLiteral("%1/%2 names environment %3 but bucket %4: it was probably copied from "
                                   "another bucket")
                        .arg(c.backend->location(), key, markerEnv, mk.bucket),
                    QStringLiteral("delete the marker and run moltctl stamp %1").arg(envArg(c.names)), {}, 0,
                    QStringLiteral("moltctl stamp %1").arg(envArg(c.names)));
            } else {
                add(check, Severity::Ok, c.display,
                    QStringLiteral("%1 carries its own marker").arg(c.names.bucket),
                    QStringLiteral("%1/%2 names environment %3").arg(c.backend->location(), key, markerEnv));
            }
        }
    }

    // ---- 4. credential scoping matrix ----

    void checkCredentials()
    {
        const QString check = QStringLiteral("credentials");
        if (m_mountMode) {
            add(check, Severity::Ok, {}, QStringLiteral("the credential matrix does not apply in mount mode"),
                QStringLiteral("mount mode reads and writes the mounted directories and uses no credentials; "
                               "the container's "
                               "mount credentials are not visible from here"));
            return;
        }
        // Missing credentials, and one key for several environments.
        QMap<QString, QList<int>> byKey;
        for (int i = 0; i < m_envs.size(); ++i) {
            const EnvCtx &c = m_envs.at(i);
            if (!c.creds.complete()) {
                add(check, c.names.isProduction() ? Severity::Failure : Severity::Warning, c.display,
                    QStringLiteral("no credentials for %1: its row of the matrix is not tested")
                        .arg(c.display),
                    QStringLiteral("%1%2").arg(c.creds.describe(),
                                               c.creds.notes.isEmpty()
                                                   ? QString()
                                                   : QStringLiteral(" (") +
                                                         c.creds.notes.join(QStringLiteral("; ")) +
                                                         QLatin1Char(')')),
                    QStringLiteral("store an R2 token scoped to %1 only: moltctl credentials set %2, or "
                                   "R2_ACCESS_KEY_ID and "
                                   "R2_SECRET_ACCESS_KEY in .dev.vars.%2 next to the profile")
                        .arg(c.names.bucket, envArg(c.names)));
                continue;
            }
            byKey[c.creds.credentials.accessKeyId].append(i);
        }
        for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            QStringList who;
            bool prod = false;
            for (int i : it.value()) {
                who << QStringLiteral("%1 (%2)").arg(m_envs.at(i).display, m_envs.at(i).creds.describe());
                prod = prod || m_envs.at(i).names.isProduction();
            }
            add(check, prod ? Severity::Failure : Severity::Warning, {},
                QStringLiteral("access key %1 is configured for %2 environments")
                    .arg(it.key())
                    .arg(it.value().size()),
                QStringLiteral("the same access key id %1 is used by %2; one token for several environments "
                               "can reach all "
                               "of their buckets")
                    .arg(it.key(), joinComma(who)),
                QStringLiteral(
                    "create one R2 API token per environment, each limited to that environment's bucket, and "
                    "store each under its own environment"));
        }

        bool clean = true;
        for (int r = 0; r < m_envs.size(); ++r) {
            for (int col = 0; col < m_envs.size(); ++col) {
                if (m_cancel.isCancelled())
                    return;
                AccessCell cell = probe(r, col);
                clean = assessCell(cell, r, col) && clean;
                m_report.matrix.append(cell);
            }
        }
        if (clean)
            add(check, Severity::Ok, {},
                QStringLiteral("each environment's credentials reach its own bucket only"),
                QStringLiteral(
                    "%1 environments' credentials tried on %1 buckets%2: access on the diagonal only")
                    .arg(m_envs.size())
                    .arg(m_options.probeWrite ? QStringLiteral(" (list and write)")
                                              : QStringLiteral(" (list)")));
    }

    AccessCell probe(int r, int col)
    {
        const EnvCtx &cred = m_envs.at(r);
        const EnvCtx &target = m_envs.at(col);
        AccessCell cell;
        cell.credentialsOf = cred.display;
        cell.bucket = target.names.bucket;
        cell.bucketOf = target.display;
        cell.expected = r == col;
        if (!cred.creds.complete()) {
            cell.detail = QStringLiteral("no credentials");
            return cell;
        }
        cell.accessKeyId = cred.creds.credentials.accessKeyId;
        auto b = m_factory.openBucket(target.names.bucket, target.names.mountPath, cred.creds);
        if (!b) {
            cell.access = AccessCell::Access::Error;
            cell.detail = b.error().message;
            return cell;
        }
        StorageBackend &backend = *b.value();
        QStringList notes;
        bool denied = false;
        bool errored = false;
        const auto classify = [&](const Error &e, const QString &what) {
            if (e.kind == ErrorKind::AccessDenied || e.kind == ErrorKind::Auth)
                denied = true;
            else
                errored = true;
            notes << QStringLiteral("%1: %2").arg(what, e.code.isEmpty() ? errorKindName(e.kind) : e.code);
        };
        const Status head = backend.headBucket().result();
        if (!head)
            classify(head.error(), QStringLiteral("head"));
        if (head || head.error().kind != ErrorKind::NotFound) {
            ListRequest req;
            req.maxKeys = 1;
            const auto l = backend.list(req, m_cancel).result();
            if (l)
                cell.canList = true;
            else
                classify(l.error(), QStringLiteral("list"));
        }
        if (m_options.probeWrite && (head || head.error().kind != ErrorKind::NotFound)) {
            const QString key = QStringLiteral(".isolation-probe/") +
                                QString::number(QRandomGenerator::global()->generate64(), 16);
            const auto put =
                backend.putBytes(key, QByteArrayLiteral("moltdesk isolation probe; safe to delete\n"))
                    .result();
            if (put) {
                cell.canWrite = true;
                const auto del = backend.remove({key}).result();
                if (!del || !del.value().failed.isEmpty())
                    m_leftProbes << QStringLiteral("%1/%2 (written with %3's credentials)")
                                        .arg(target.names.bucket, key, cred.display);
            } else {
                classify(put.error(), QStringLiteral("write"));
            }
        }
        if (cell.canList || cell.canWrite)
            cell.access = AccessCell::Access::Allowed;
        else if (denied && !errored)
            cell.access = AccessCell::Access::Denied;
        else
            cell.access = AccessCell::Access::Error;
        QStringList can;
        if (cell.canList)
            can << QStringLiteral("list");
        if (cell.canWrite)
            can << QStringLiteral("write");
        cell.detail =
            (can.isEmpty() ? QString() : QStringLiteral("can ") + can.join(QStringLiteral(" and "))) +
            (notes.isEmpty() ? QString()
                             : (can.isEmpty() ? QString() : QStringLiteral("; ")) + joinComma(notes));
        if (!head && head.error().kind == ErrorKind::NotFound)
            cell.detail = QStringLiteral("no such bucket (%1)").arg(head.error().message);
        return cell;
    }

    // Adds the cell's finding when it is not what isolation expects; true when it is.
    bool assessCell(const AccessCell &cell, int r, int col)
    {
        const QString check = QStringLiteral("credentials");
        const EnvCtx &cred = m_envs.at(r);
        const EnvCtx &target = m_envs.at(col);
        if (cell.access == AccessCell::Access::NotTested)
            return true; // reported once as missing credentials
        if (r == col) {
            const bool needWrite = m_options.probeWrite;
            if (cell.canList && (!needWrite || cell.canWrite))
                return true;
            add(check, Severity::Failure, cred.display,
                QStringLiteral("%1's credentials cannot %2 its own bucket %3: sync cannot work")
                    .arg(cred.display, cell.canList ? QStringLiteral("write") : QStringLiteral("list"),
                         cell.bucket),
                QStringLiteral("access key %1 (%2) on %3: %4")
                    .arg(cell.accessKeyId, cred.creds.describe(), cell.bucket, cell.detail),
                QStringLiteral("give the R2 token of %1 Object Read & Write on %2 (and create the bucket if "
                               "it does not exist)")
                    .arg(cred.display, cell.bucket));
            return false;
        }
        if (cell.access == AccessCell::Access::Allowed) {
            const bool prod = involvesProduction({r, col});
            add(check, prod ? Severity::Failure : Severity::Warning, cred.display,
                QStringLiteral("%1's credentials REACH %2's bucket %3")
                    .arg(cred.display, target.display, cell.bucket),
                QStringLiteral("access key %1 (%2) %3 %4, which belongs to %5")
                    .arg(cell.accessKeyId, cred.creds.describe(), cell.detail, cell.bucket, target.display),
                QStringLiteral(
                    "limit the R2 API token of %1 to bucket %2 only (Cloudflare dashboard: R2, Manage API "
                    "tokens, "
                    "Object Read & Write, Specific buckets); permission changes take about a minute")
                    .arg(cred.display, cred.names.bucket));
            return false;
        }
        if (cell.access == AccessCell::Access::Error) {
            add(check, Severity::Warning, cred.display,
                QStringLiteral("could not test %1's credentials on %2").arg(cred.display, cell.bucket),
                QStringLiteral("access key %1 on %2: %3").arg(cell.accessKeyId, cell.bucket, cell.detail),
                QStringLiteral("run the audit again; if it persists, check the endpoint and the network"));
            return false;
        }
        return true;
    }

    // ---- migration reports (used by leaks and leftovers) ----

    void loadMigrationReports()
    {
        const EnvironmentNames legacy = m_ws.naming().legacy();
        const QString key = QString::fromLatin1(MigrationJob::kReportKey);
        for (int i = 0; i < m_envs.size(); ++i) {
            EnvCtx &c = m_envs[i];
            if (c.names.isLegacy() || !readable(i))
                continue;
            const auto raw = c.backend->getBytes(key, kMaxReportBytes).result();
            if (!raw) {
                if (raw.error().kind != ErrorKind::NotFound)
                    add(QStringLiteral("leftover"), Severity::Warning, c.display,
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

    // ---- 5. leaks ----

    Result<QList<ObjectInfo>> sensitiveObjects(StorageBackend &b)
    {
        QList<ObjectInfo> out;
        ListRequest root;
        root.delimiter = QStringLiteral("/");
        const auto top = b.list(root, m_cancel).result();
        if (!top)
            return top.error();
        for (const ObjectInfo &o : top.value().objects) {
            if (isSensitiveKey(o.key))
                out.append(o);
        }
        // Only the few places secrets live are listed: the rest of a bucket (workspace, skills) may be
        // large and never needs reading here.
        QStringList prefixes;
        for (const QString &p : top.value().commonPrefixes) {
            if (p == QLatin1String("devices/") || p == QLatin1String("credentials/")) {
                prefixes << p;
                continue;
            }
            prefixes << p + QStringLiteral("devices/paired.json") << p + QStringLiteral("credentials/");
            if (p == QLatin1String("clawdbot/"))
                prefixes << QStringLiteral("clawdbot/clawdbot.json");
            if (p == QLatin1String("openclaw/"))
                prefixes << QStringLiteral("openclaw/openclaw.json");
        }
        for (const QString &p : std::as_const(prefixes)) {
            ListRequest req;
            req.prefix = p;
            const auto l = b.list(req, m_cancel).result();
            if (!l)
                return l.error();
            for (const ObjectInfo &o : l.value().objects) {
                if (isSensitiveKey(o.key))
                    out.append(o);
            }
        }
        return out;
    }

    void checkLeaks()
    {
        const QString check = QStringLiteral("leak");
        QList<Sensitive> all;
        QStringList looked;
        for (int i = 0; i < m_envs.size(); ++i) {
            if (!readable(i))
                continue;
            const auto objs = sensitiveObjects(*m_envs.at(i).backend);
            if (!objs) {
                add(check, Severity::Warning, m_envs.at(i).display,
                    QStringLiteral("cannot look for leaked files in %1").arg(m_envs.at(i).names.bucket),
                    objs.error().message,
                    QStringLiteral("check access to %1 and run the audit again")
                        .arg(m_envs.at(i).names.bucket));
                continue;
            }
            looked << m_envs.at(i).display;
            for (const ObjectInfo &o : objs.value()) {
                if (o.size > kTrivialSize)
                    all.append({i, o, {}});
            }
        }
        // Sizes first: only files whose size occurs in two environments can be identical.
        QMap<qint64, QSet<int>> envsBySize;
        for (const Sensitive &s : std::as_const(all))
            envsBySize[s.info.size].insert(s.env);
        QList<Sensitive> candidates;
        for (Sensitive &s : all) {
            if (envsBySize.value(s.info.size).size() < 2)
                continue;
            if (!identify(s))
                continue;
            candidates.append(s);
        }
        // Pairs of environments holding the same content.
        struct Pair
        {
            QStringList files;
            bool allMigrated = true;
        };
        QMap<QPair<int, int>, Pair> pairs;
        for (int a = 0; a < candidates.size(); ++a) {
            for (int b = a + 1; b < candidates.size(); ++b) {
                const Sensitive &x = candidates.at(a);
                const Sensitive &y = candidates.at(b);
                if (x.env == y.env || x.identity != y.identity || x.info.size != y.info.size)
                    continue;
                const Sensitive &lo = x.env < y.env ? x : y;
                const Sensitive &hi = x.env < y.env ? y : x;
                // Migration copies the legacy bucket on purpose; its report says so.
                if (expectedByMigration(lo, hi))
                    continue;
                Pair &p = pairs[qMakePair(lo.env, hi.env)];
                p.files << QStringLiteral("%1 in %2 = %3 in %4 (%5 bytes, %6)")
                               .arg(lo.info.key, m_envs.at(lo.env).display, hi.info.key,
                                    m_envs.at(hi.env).display)
                               .arg(lo.info.size)
                               .arg(QString::fromLatin1(lo.identity.left(17)));
                p.allMigrated = p.allMigrated && m_envs.at(lo.env).migrated.contains(lo.info.key) &&
                                m_envs.at(hi.env).migrated.contains(hi.info.key);
            }
        }
        for (auto it = pairs.cbegin(); it != pairs.cend(); ++it) {
            const int a = it.key().first;
            const int b = it.key().second;
            const bool prod = involvesProduction({a, b});
            const EnvCtx &ea = m_envs.at(a);
            const EnvCtx &eb = m_envs.at(b);
            // The copy that does not belong is the one outside production, when there is one.
            const EnvCtx &victim = eb.names.isProduction() ? ea : eb;
            add(check, prod ? Severity::Failure : Severity::Warning, {},
                QStringLiteral("%1 and %2 hold identical sensitive files").arg(ea.display, eb.display),
                it.value().files.join(QStringLiteral("; ")) +
                    (it.value().allMigrated
                         ? QStringLiteral("; both were migrated from the legacy bucket, which copied "
                                          "the same secrets into both")
                         : QString()),
                QStringLiteral("treat the copies in %1 (%2) as leaked: delete them there, pair the devices "
                               "again and rotate "
                               "the tokens in its config, then find out how they were copied (a sync or "
                               "restore with the "
                               "wrong environment, or a manual copy)")
                    .arg(victim.display, victim.names.bucket));
        }
        if (pairs.isEmpty() && !looked.isEmpty())
            add(check, Severity::Ok, {}, QStringLiteral("no sensitive file is shared between environments"),
                QStringLiteral(
                    "config, paired devices and credentials compared by size and MD5 across %1 (%2 files)")
                    .arg(joinComma(looked))
                    .arg(all.size()));
    }

    bool expectedByMigration(const Sensitive &a, const Sensitive &b) const
    {
        const Sensitive *legacy = m_envs.at(a.env).names.isLegacy()   ? &a
                                  : m_envs.at(b.env).names.isLegacy() ? &b
                                                                      : nullptr;
        if (!legacy)
            return false;
        const Sensitive &other = legacy == &a ? b : a;
        const auto it = m_envs.at(other.env).migrated.constFind(other.info.key);
        return other.info.key == legacy->info.key && it != m_envs.at(other.env).migrated.constEnd() &&
               it->size == other.info.size &&
               (it->md5.isEmpty() || QByteArray("md5:") + it->md5 == other.identity);
    }

    // Gives s an identity: the MD5 from the listing, else the multipart ETag, else the MD5 of its bytes.
    bool identify(Sensitive &s)
    {
        QByteArray md5 = s.info.md5;
        if (md5.isEmpty() && !s.info.isMultipart())
            md5 = ObjectInfo::md5FromEtag(s.info.etag);
        if (!md5.isEmpty()) {
            s.identity = QByteArray("md5:") + md5.toLower();
            return true;
        }
        if (s.info.isMultipart()) {
            s.identity = QByteArray("etag:") + s.info.etag;
            return true;
        }
        if (s.info.size > kMaxHashedObject) {
            qCDebug(lcAudit) << "not hashing" << s.info.key << s.info.size;
            return false;
        }
        const auto bytes = m_envs.at(s.env).backend->getBytes(s.info.key, s.info.size + 1).result();
        if (!bytes) {
            add(QStringLiteral("leak"), Severity::Warning, m_envs.at(s.env).display,
                QStringLiteral("cannot read %1 to compare it").arg(s.info.key), bytes.error().message,
                QStringLiteral("run the audit again"));
            return false;
        }
        s.identity =
            QByteArray("md5:") + QCryptographicHash::hash(bytes.value(), QCryptographicHash::Md5).toHex();
        return true;
    }

    // ---- 6a. freshness ----

    void checkFreshness()
    {
        const QString check = QStringLiteral("freshness");
        const int hours =
            m_options.staleAfterHours > 0 ? m_options.staleAfterHours : m_ws.profile().staleAfterHours;
        const QDateTime now =
            m_options.now.isValid() ? m_options.now.toUTC() : QDateTime::currentDateTimeUtc();
        for (int i = 0; i < m_envs.size(); ++i) {
            const EnvCtx &c = m_envs.at(i);
            if (!readable(i))
                continue;
            const auto raw = c.backend->getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
            if (!raw) {
                if (raw.error().kind == ErrorKind::NotFound)
                    add(check, Severity::Ok, c.display,
                        QStringLiteral("no .last-sync in %1").arg(c.names.bucket),
                        QStringLiteral("%1 holds no .last-sync, so its age is unknown; newer containers "
                                       "write none, which is "
                                       "normal")
                            .arg(c.names.bucket));
                else
                    add(check, Severity::Warning, c.display,
                        QStringLiteral("cannot read %1's .last-sync").arg(c.display), raw.error().message,
                        QStringLiteral("run the audit again"));
                continue;
            }
            const auto when = LastSync::parse(raw.value());
            if (!when) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1's .last-sync is unreadable").arg(c.display),
                    QStringLiteral("%1: %2").arg(when.error().message,
                                                 QString::fromUtf8(raw.value().left(64)).trimmed()),
                    QStringLiteral(
                        "the container's restore compares this timestamp; run a sync so it is rewritten"));
                continue;
            }
            const QDateTime t = when.value().toUTC();
            const qint64 age = t.secsTo(now);
            const QString rel = LastSync::relativeAge(t, now);
            if (age < -kFutureToleranceSecs) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1's last sync is in the future").arg(c.display),
                    QStringLiteral(".last-sync says %1, %2 seconds after this machine's clock")
                        .arg(t.toString(Qt::ISODate))
                        .arg(-age),
                    QStringLiteral(
                        "fix the clock of the machine that synced; a future timestamp makes every restore "
                        "think the bucket is newer"));
            } else if (age > qint64(hours) * 3600 && c.names.isLegacy()) {
                // Nothing should sync the legacy bucket once environments have their own: old is expected.
                add(check, Severity::Ok, c.display, QStringLiteral("%1 last synced %2").arg(c.display, rel),
                    QStringLiteral(
                        ".last-sync in %1 says %2; the legacy bucket is not synced any more, which is "
                        "expected once every environment has its own bucket")
                        .arg(c.names.bucket, t.toString(Qt::ISODate)));
            } else if (age > qint64(hours) * 3600) {
                add(check, Severity::Warning, c.display,
                    QStringLiteral("%1 last synced %2").arg(c.display, rel),
                    QStringLiteral(".last-sync in %1 says %2, older than %3 hours")
                        .arg(c.names.bucket, t.toString(Qt::ISODate))
                        .arg(hours),
                    QStringLiteral("check that the container's cron sync runs, or sync now"), {}, 0,
                    QStringLiteral("moltctl sync %1").arg(envArg(c.names)));
            } else {
                add(check, Severity::Ok, c.display, QStringLiteral("%1 last synced %2").arg(c.display, rel),
                    QStringLiteral(".last-sync in %1 says %2 (limit %3 hours)")
                        .arg(c.names.bucket, t.toString(Qt::ISODate))
                        .arg(hours));
            }
        }
    }

    // ---- 6b. leftovers in the legacy bucket ----

    void checkLeftovers()
    {
        const QString check = QStringLiteral("leftover");
        int li = -1;
        for (int i = 0; i < m_envs.size(); ++i) {
            if (m_envs.at(i).names.isLegacy())
                li = i;
        }
        if (li < 0) {
            add(check, Severity::Ok, {}, QStringLiteral("the legacy bucket is not part of this profile"),
                QStringLiteral("\"includeLegacy\" is false, so %1 was not checked for unmigrated data")
                    .arg(m_ws.naming().legacy().bucket));
            return;
        }
        if (!readable(li))
            return; // said in "access"
        const EnvCtx &legacy = m_envs.at(li);
        const auto listing = legacy.backend->list(ListRequest{}, m_cancel).result();
        if (!listing) {
            add(check, Severity::Warning, legacy.display, QStringLiteral("cannot list the legacy bucket"),
                listing.error().message,
                QStringLiteral("check access to %1 and run the audit again").arg(legacy.names.bucket));
            return;
        }
        QList<ObjectInfo> data;
        qint64 bytes = 0;
        for (const ObjectInfo &o : listing.value().objects) {
            if (!isControlKey(o.key)) {
                data.append(o);
                bytes += o.size;
            }
        }
        if (data.isEmpty()) {
            add(check, Severity::Ok, legacy.display, QStringLiteral("the legacy bucket holds no data"),
                QStringLiteral("%1 is empty (control files aside)").arg(legacy.names.bucket));
            return;
        }
        const auto *mount = dynamic_cast<const MountBackend *>(legacy.backend.get());
        QStringList never, changed;
        qint64 neverBytes = 0;
        QMap<int, int> coveredBy; // env index -> objects its report covers
        for (const ObjectInfo &o : std::as_const(data)) {
            bool listed = false;
            bool same = false;
            for (int i = 0; i < m_envs.size() && !same; ++i) {
                const auto it = m_envs.at(i).migrated.constFind(o.key);
                if (it == m_envs.at(i).migrated.constEnd())
                    continue;
                listed = true;
                if (it->size != o.size)
                    continue;
                if (!it->md5.isEmpty()) {
                    QByteArray md5 =
                        o.md5.isEmpty() && !o.isMultipart() ? ObjectInfo::md5FromEtag(o.etag) : o.md5;
                    if (md5.isEmpty() && mount) {
                        // Mount mode lists no checksums: hash only what has the size the report recorded.
                        md5 = md5OfFile(mount->directory() + QLatin1Char('/') + o.key);
                    }
                    if (!md5.isEmpty() && md5.toLower() != it->md5)
                        continue;
                }
                same = true;
                ++coveredBy[i];
            }
            if (!listed) {
                never << o.key;
                neverBytes += o.size;
            } else if (!same) {
                changed << o.key;
            }
        }
        int withReport = 0;
        QStringList reportEnvs;
        for (const EnvCtx &c : std::as_const(m_envs)) {
            if (c.hasReport) {
                ++withReport;
                reportEnvs << c.display;
            }
        }
        if (never.isEmpty() && changed.isEmpty()) {
            add(check, Severity::Ok, legacy.display, QStringLiteral("all legacy data was migrated"),
                QStringLiteral("all %1 objects in %2 are listed, unchanged, in the migration report of %3")
                    .arg(data.size())
                    .arg(legacy.names.bucket, joinComma(reportEnvs)));
            return;
        }
        // Which environment to migrate into: the one that already started, else production, else the only
        // one.
        QString target;
        int best = 0;
        for (auto it = coveredBy.cbegin(); it != coveredBy.cend(); ++it) {
            if (it.value() > best) {
                best = it.value();
                target = envArg(m_envs.at(it.key()).names);
            }
        }
        QStringList named;
        for (const EnvCtx &c : std::as_const(m_envs)) {
            if (c.names.isLegacy())
                continue;
            named << c.names.environment;
            if (target.isEmpty() && c.names.isProduction())
                target = c.names.environment;
        }
        if (target.isEmpty() && named.size() == 1)
            target = named.first();
        const QString cmd = target.isEmpty() ? QString() : QStringLiteral("moltctl migrate %1").arg(target);
        const auto examples = [](const QStringList &keys) -> QString {
            QStringList shown = keys.mid(0, 5);
            return shown.join(QStringLiteral(", ")) + (keys.size() > 5 ? QStringLiteral(", …") : QString());
        };
        if (!never.isEmpty())
            add(check, Severity::Warning, legacy.display,
                QStringLiteral("the legacy bucket still holds %1 objects never migrated").arg(never.size()),
                QStringLiteral("%1 holds %2 objects (%3 bytes) that no environment's %4 lists%5: %6")
                    .arg(legacy.names.bucket)
                    .arg(never.size())
                    .arg(neverBytes)
                    .arg(QString::fromLatin1(MigrationJob::kReportKey),
                         withReport == 0 ? QStringLiteral(" (no environment has a migration report)")
                                         : QString(),
                         examples(never)),
                QStringLiteral("migrate the legacy data into the environment it belongs to: moltctl migrate "
                               "<%1>; the legacy "
                               "bucket is never modified")
                    .arg(named.join(QLatin1Char('|'))),
                {}, 0, cmd);
        if (!changed.isEmpty())
            add(check, Severity::Warning, legacy.display,
                QStringLiteral("%1 legacy objects changed since they were migrated").arg(changed.size()),
                QStringLiteral("%1 differs in size or MD5 from the migration report: %2")
                    .arg(legacy.names.bucket, examples(changed)),
                QStringLiteral(
                    "something still writes the legacy bucket (an old worker without ENVIRONMENT?); stop it, "
                    "decide which copy is current, then migrate again"),
                {}, 0, cmd);
    }

    static QByteArray md5OfFile(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QCryptographicHash h(QCryptographicHash::Md5);
        if (!h.addData(&f))
            return {};
        return h.result().toHex();
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

public:
    const QStringList &leftProbes() const { return m_leftProbes; }
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

AuditReport IsolationAudit::run(const CancelToken &cancel) const
{
    AuditReport report;
    report.generated = QDateTime::currentDateTimeUtc();
    report.profilePath = m_workspace.profile().path;
    report.storageMode = m_workspace.profile().storage.type == StorageType::Mount ? QStringLiteral("mount")
                                                                                  : QStringLiteral("s3");
    report.probeWrite = m_options.probeWrite;
    AuditRun r(m_workspace, m_resolver, *m_factory, m_options, cancel, report);
    r.run();
    if (!r.leftProbes().isEmpty()) {
        Finding f;
        f.check = QStringLiteral("credentials");
        f.severity = Severity::Warning;
        f.title = QStringLiteral("%1 write probes could not be deleted").arg(r.leftProbes().size());
        f.evidence = r.leftProbes().join(QStringLiteral("; "));
        f.remedy = QStringLiteral("delete these objects by hand; they hold no data");
        report.findings.append(f);
    }
    qCDebug(lcAudit) << "audit done:" << report.count(Severity::Ok) << "ok" << report.count(Severity::Warning)
                     << "warnings" << report.count(Severity::Failure) << "failures";
    return report;
}

Status stampMarker(StorageBackend &backend, const EnvironmentNames &env)
{
    if (backend.bucket() != env.bucket)
        return makeError(ErrorKind::Refused,
                         QStringLiteral("refusing to stamp %1 as %2: that environment's bucket is %3")
                             .arg(backend.bucket(), env.displayName(), env.bucket),
                         backend.bucket());
    const QString key = QString::fromLatin1(IdentityMarker::kKey);
    const auto existing = backend.getBytes(key, 64 * 1024).result();
    if (existing) {
        const auto m = IdentityMarker::parse(existing.value());
        if (!m)
            return makeError(
                ErrorKind::Refused,
                QStringLiteral("%1 already holds a marker that cannot be read (%2); look at it and delete it "
                               "before stamping")
                    .arg(backend.location(), m.error().message),
                key);
        if (m.value().environment != env.environment)
            return makeError(
                ErrorKind::Refused,
                QStringLiteral("%1 carries the marker of %2, not %3: the bucket is cross-wired; find out how "
                               "before deleting the marker")
                    .arg(backend.location(),
                         m.value().environment.isEmpty() ? QStringLiteral("(legacy)") : m.value().environment,
                         env.displayName()),
                key);
        if (m.value().bucket == env.bucket)
            return success(); // already stamped
    } else if (existing.error().kind != ErrorKind::NotFound) {
        return existing.error();
    }
    IdentityMarker marker;
    marker.environment = env.environment;
    marker.bucket = env.bucket;
    marker.written = QDateTime::currentDateTimeUtc();
    const auto put = backend.putBytes(key, marker.toJson()).result();
    if (!put)
        return put.error();
    qCDebug(lcAudit) << "stamped" << backend.location() << "as" << env.displayName();
    return success();
}

} // namespace moltdesk
