// The "naming" check of the isolation audit: Distinct names per environment, and what wrangler.jsonc deploys.
#include "BuiltInChecks.h"
#include "CheckBase.h"

namespace moltdesk::checks {

namespace {

class NamingCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("naming"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkNaming();
    }

private:
    // ---- 1. naming ----

    void checkNaming()
    {
        const QString check = QStringLiteral("naming");
        const EnvironmentNames legacy = ws().naming().legacy();
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
        for (const AuditEnvironment &c : envs()) {
            legacyListed = legacyListed || c.names.isLegacy();
            note(QStringLiteral("bucket"), c.names.bucket, c.display);
            note(QStringLiteral("mount path"), c.names.mountPath, c.display);
            note(QStringLiteral("sandbox instance"), c.names.instanceId, c.display);
            if (mountMode())
                note(QStringLiteral("mount directory"), ws().mountDirectory(c.names), c.display);
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
            add(Finding{.check = check,
                        .severity = Severity::Failure,
                        .title = QStringLiteral("%1 is shared by %2").arg(u.what, joinComma(u.owners)),
                        .evidence =
                            QStringLiteral("%1 resolve to the same %2").arg(joinComma(u.owners), u.what),
                        .remedy = QStringLiteral(
                            "give every environment its own name; check naming bases in the profile")});
        }

        const auto &wr = ws().wrangler();
        if (!wr) {
            add(Finding{
                .check = check,
                .severity = Severity::NotChecked,
                .title = QStringLiteral("no wrangler.jsonc configured: the worker's names were not checked"),
                .evidence = QStringLiteral(
                    "the profile has no \"wrangler\" key, so vars.ENVIRONMENT, worker names and r2_buckets "
                    "bindings could not be compared with the naming rule"),
                .remedy = QStringLiteral("add \"wrangler\": \"path/to/wrangler.jsonc\" to the profile"),
                .file = ws().profile().path});
        } else {
            problems = checkWrangler(*wr) || problems;
        }
        if (!problems)
            add(Finding{
                .check = check,
                .severity = Severity::Ok,
                .title =
                    QStringLiteral("every environment has its own bucket, mount path and sandbox instance"),
                .evidence =
                    summary.join(QStringLiteral("; ")) +
                    (wr ? QStringLiteral("; every env in %1 sets vars.ENVIRONMENT to its own name, worker "
                                         "names are distinct "
                                         "and r2_buckets bindings follow the naming rule")
                              .arg(QFileInfo(wr->path).fileName())
                        : QString())});
    }

    bool checkWrangler(const WranglerConfig &wr)
    {
        bool problems = checkEnvironmentVars(wr);
        problems = checkWorkerNames(wr) || problems;
        problems = checkBindings(wr) || problems;
        problems = checkUndeployed(wr) || problems;
        problems = checkBucketNameVars(wr) || problems;
        return problems;
    }

    // Upstream names buckets with vars.R2_BUCKET_NAME: like ENVIRONMENT, one bucket per env, and never
    // the legacy default for a named env (that is the bucket every unnamed deployment shares).
    bool checkBucketNameVars(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString legacyBucket = ws().naming().bases().bucketBase;
        QMap<QString, QStringList> byBucket;
        bool problems = false;
        for (const WranglerEnvironment &we : wr.environments) {
            if (we.bucketNameVar.isEmpty())
                continue;
            byBucket[we.bucketNameVar].append(QStringLiteral("env.") + we.name);
            if (we.bucketNameVar != legacyBucket)
                continue;
            problems = true;
            add(Finding{
                .check = check,
                .severity = Severity::Failure,
                .environment = we.name,
                .title = QStringLiteral("env.%1 sets R2_BUCKET_NAME to the legacy bucket %2")
                             .arg(we.name, legacyBucket),
                .evidence = QStringLiteral("%1: env.%2.vars.R2_BUCKET_NAME is \"%3\", the default every "
                                           "deployment without its own bucket falls back to")
                                .arg(fileLine(wr.path, we.bucketNameLine), we.name, legacyBucket),
                .remedy = QStringLiteral("give env.%1 a bucket of its own, e.g. \"%2-%1\", and migrate "
                                         "its data")
                              .arg(we.name, legacyBucket),
                .file = wr.path,
                .line = we.bucketNameLine});
        }
        for (auto it = byBucket.cbegin(); it != byBucket.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            problems = true;
            add(Finding{
                .check = check,
                .severity = Severity::Failure,
                .title =
                    QStringLiteral("%1 all set R2_BUCKET_NAME to %2").arg(joinComma(it.value()), it.key()),
                .evidence =
                    QStringLiteral("%1: they share bucket %2").arg(QFileInfo(wr.path).fileName(), it.key()),
                .remedy = QStringLiteral("give each env its own vars.R2_BUCKET_NAME"),
                .file = wr.path});
        }
        return problems;
    }

    // Every env sets vars.ENVIRONMENT, to its own name, and no two share one.
    bool checkEnvironmentVars(const WranglerConfig &wr)
    {
        bool problems = false;
        QMap<QString, QStringList> byValue; // ENVIRONMENT value -> env keys
        QSet<QString> keys;
        for (const WranglerEnvironment &we : wr.environments)
            keys.insert(we.name);
        for (const WranglerEnvironment &we : wr.environments) {
            std::optional<QString> value;
            if (we.hasEnvironmentVar && !we.environmentVar.isEmpty())
                value = we.environmentVar;
            if (!value && !we.bucketNameVar.isEmpty())
                continue; // upstream's way: isolated by vars.R2_BUCKET_NAME, judged in checkBucketNameVars
            if (!value) {
                problems = true;
                noEnvironmentVar(wr, we);
                continue;
            }
            byValue[*value].append(we.name);
            if (const QString e = ws().naming().validationError(*value); !e.isEmpty()) {
                problems = true;
                unusableEnvironmentVar(wr, we, *value, e);
            } else if (*value != we.name) {
                problems = true;
                otherEnvironmentVar(wr, we, *value, keys.contains(*value));
            }
        }
        for (auto it = byValue.cbegin(); it != byValue.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            problems = true;
            sharedEnvironmentVar(wr, it.key(), it.value());
        }
        return problems;
    }

    // No (or an empty) vars.ENVIRONMENT: the worker falls back to the legacy names.
    void noEnvironmentVar(const WranglerConfig &wr, const WranglerEnvironment &we)
    {
        const EnvironmentNames legacy = ws().naming().legacy();
        const bool prodKey = EnvironmentNames{we.name, {}, {}, {}}.isProduction();
        const QString why = we.hasEnvironmentVar ? QStringLiteral("sets vars.ENVIRONMENT to an empty string")
                                                 : QStringLiteral("does not set vars.ENVIRONMENT");
        add(Finding{
            .check = name(),
            .severity = Severity::Failure,
            .environment = we.name,
            .title = QStringLiteral("env.%1 %2: it falls back to the legacy bucket %3")
                         .arg(we.name, why, legacy.bucket),
            .evidence =
                QStringLiteral("%1: env.%2 %3, so the worker deployed with --env %2 uses bucket %4, mount "
                               "path %5 and sandbox %6, the legacy names shared with every deployment "
                               "that has no ENVIRONMENT%7")
                    .arg(fileLine(wr.path, we.varsLine), we.name, why, legacy.bucket, legacy.mountPath,
                         legacy.instanceId,
                         prodKey ? QStringLiteral(" (production data would be written to the legacy bucket)")
                                 : QString()),
            .remedy = QStringLiteral("add \"vars\": { \"ENVIRONMENT\": \"%1\" } to env.%1 in %2 and redeploy "
                                     "(npx wrangler deploy --env %1)")
                          .arg(we.name, QFileInfo(wr.path).fileName()),
            .file = wr.path,
            .line = we.varsLine});
    }

    void unusableEnvironmentVar(const WranglerConfig &wr, const WranglerEnvironment &we, const QString &value,
                                const QString &why)
    {
        add(Finding{
            .check = name(),
            .severity = Severity::Failure,
            .environment = we.name,
            .title = QStringLiteral("env.%1 sets vars.ENVIRONMENT to an unusable name").arg(we.name),
            .evidence =
                QStringLiteral("%1: %2; the worker would still build bucket %3 and mount path %4 "
                               "from it")
                    .arg(fileLine(wr.path, we.varsLine), why, workerBucket(value), workerMount(value)),
            .remedy = QStringLiteral("set vars.ENVIRONMENT of env.%1 to \"%1\" in %2")
                          .arg(we.name, QFileInfo(wr.path).fileName()),
            .file = wr.path,
            .line = we.varsLine});
    }

    // vars.ENVIRONMENT names another environment than the env's key (cross-wired when it is another key).
    void otherEnvironmentVar(const WranglerConfig &wr, const WranglerEnvironment &we, const QString &value,
                             bool crossWired)
    {
        const bool prodKey = EnvironmentNames{we.name, {}, {}, {}}.isProduction();
        add(Finding{
            .check = name(),
            .severity = crossWired || prodKey ? Severity::Failure : Severity::Warning,
            .environment = we.name,
            .title = QStringLiteral("env.%1 deploys with ENVIRONMENT=%2").arg(we.name, value),
            .evidence =
                QStringLiteral("%1: env.%2 sets vars.ENVIRONMENT to \"%3\", so --env %2 uses bucket %4 "
                               "and mount path %5%6")
                    .arg(fileLine(wr.path, we.varsLine), we.name, value, workerBucket(value),
                         workerMount(value),
                         crossWired ? QStringLiteral(", which belong to env.%1").arg(value) : QString()),
            .remedy =
                QStringLiteral("set vars.ENVIRONMENT of env.%1 to \"%1\" in %2 (one name per environment, "
                               "everywhere)")
                    .arg(we.name, QFileInfo(wr.path).fileName()),
            .file = wr.path,
            .line = we.varsLine});
    }

    void sharedEnvironmentVar(const WranglerConfig &wr, const QString &value, const QStringList &keys)
    {
        QStringList envList;
        for (const QString &k : keys)
            envList << QStringLiteral("env.") + k;
        const QString fname = QFileInfo(wr.path).fileName();
        add(Finding{.check = name(),
                    .severity = Severity::Failure,
                    .title =
                        QStringLiteral("%1 all deploy with ENVIRONMENT=%2").arg(joinComma(envList), value),
                    .evidence = QStringLiteral("%1: they share bucket %2 and mount path %3")
                                    .arg(fname, workerBucket(value), workerMount(value)),
                    .remedy = QStringLiteral("give each env its own vars.ENVIRONMENT, equal to its key"),
                    .file = wr.path});
    }

    // Worker names are distinct.
    bool checkWorkerNames(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString file = wr.path;
        const QString fname = QFileInfo(file).fileName();
        bool problems = false;
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
            add(Finding{
                .check = check,
                .severity = prod ? Severity::Failure : Severity::Warning,
                .title = QStringLiteral("worker name %1 is used by %2").arg(it.key(), joinComma(it.value())),
                .evidence = QStringLiteral(
                                "%1: deploying one replaces the other's worker (and its sandbox and secrets)")
                                .arg(fileLine(file, workerLines.value(it.key()))),
                .remedy =
                    QStringLiteral("give each env its own \"name\" in %1, e.g. \"%2-<env>\"")
                        .arg(fname, wr.topLevelName.isEmpty() ? QStringLiteral("moltbot") : wr.topLevelName),
                .file = file,
                .line = workerLines.value(it.key())});
        }

        return problems;
    }

    // r2_buckets bindings follow the naming rule.
    bool checkBindings(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString file = wr.path;
        const QString fname = QFileInfo(file).fileName();
        bool problems = false;
        const EnvironmentNames legacy = ws().naming().legacy();
        QSet<QString> knownBuckets;
        knownBuckets.insert(legacy.bucket);
        for (const AuditEnvironment &c : envs())
            knownBuckets.insert(c.names.bucket);
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
            add(Finding{
                .check = check,
                .severity = other || prod ? Severity::Failure : Severity::Warning,
                .environment = envName,
                .title = QStringLiteral("%1 binds bucket %2, but its bucket is %3")
                             .arg(where, b.bucketName, expected),
                .evidence =
                    QStringLiteral("%1: r2_buckets binding %2 names %3%4; the naming rule gives %5")
                        .arg(fileLine(file, b.line),
                             b.binding.isEmpty() ? QStringLiteral("(unnamed)") : b.binding, b.bucketName,
                             other ? QStringLiteral(", another environment's bucket") : QString(), expected),
                .remedy = QStringLiteral("set bucket_name to \"%1\" in %2").arg(expected, fname),
                .file = file,
                .line = b.line});
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

        return problems;
    }

    // Every profile environment is deployed by some env.
    bool checkUndeployed(const WranglerConfig &wr)
    {
        const QString check = QStringLiteral("naming");
        const QString file = wr.path;
        const QString fname = QFileInfo(file).fileName();
        bool problems = false;
        // Profile environments the wrangler file never deploys.
        for (const AuditEnvironment &c : envs()) {
            if (c.names.isLegacy())
                continue;
            bool found = false;
            for (const WranglerEnvironment &we : wr.environments)
                found = found || we.name == c.names.environment ||
                        (we.hasEnvironmentVar && we.environmentVar == c.names.environment);
            if (!found) {
                problems = true;
                add(Finding{
                    .check = check,
                    .severity = Severity::Warning,
                    .environment = c.display,
                    .title = QStringLiteral("%1 is in the profile but not in %2").arg(c.display, fname),
                    .evidence = QStringLiteral(
                                    "no env in %1 has the key %2 or sets vars.ENVIRONMENT to it; its worker "
                                    "names could not be checked")
                                    .arg(fname, c.names.environment),
                    .remedy = QStringLiteral(
                                  "add env.%1 with \"vars\": { \"ENVIRONMENT\": \"%1\" } to %2, or remove "
                                  "it from the profile")
                                  .arg(c.names.environment, fname),
                    .file = file});
            }
        }
        return problems;
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeNamingCheck()
{
    return std::make_unique<NamingCheck>();
}

} // namespace moltdesk::checks
