#include "Cli.h"

#include "ActivityLog.h"
#include "CommandLine.h"
#include "DemoWorkspace.h"
#include "EnvironmentComparer.h"
#include "ExitCode.h"
#include "HelpFormat.h"
#include "IdentityMarker.h"
#include "LastSync.h"
#include "MigrationJob.h"
#include "ProductionGuard.h"
#include "RestoreJob.h"
#include "StatusCollector.h"
#include "SyncJob.h"
#include "Version.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMap>
#include <QSet>
#include <QtConcurrent>

#if __has_include("IsolationAudit.h") && __has_include("AuditText.h")
#include "AuditText.h"
#include "IsolationAudit.h"
#define MOLTDESK_HAVE_AUDIT 1
#endif

namespace moltdesk {

namespace {

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString pad(const QString &s, int w)
{
    return s.size() >= w ? s : s + QString(w - s.size(), QLatin1Char(' '));
}

} // namespace

Cli::Cli(KeychainStore *keychain, Terminal &terminal) : m_keychain(keychain), m_term(terminal) {}

void Cli::cancel()
{
    if (Job *j = m_current.load())
        j->cancel();
}

int Cli::usage(const QString &message)
{
    if (!message.isEmpty())
        m_term.err(QStringLiteral("moltctl: ") + message);
    m_term.err(usageText(moltctlHelp()));
    return ExitUsage;
}

int Cli::fail(const Error &e)
{
    m_term.endProgress();
    m_term.err(QStringLiteral("moltctl: ") + e.toString());
    if (e.code == QLatin1String(kUsageErrorCode)) {
        m_term.err(m_command.isEmpty() ? usageText(moltctlHelp()) : commandUsage(moltctlHelp(), m_command));
        return ExitUsage;
    }
    return exitCodeFor(e);
}

Result<Invocation> Cli::prepare(const QString &word, const QStringList &args, bool needsWorkspace)
{
    const HelpCommand *command = findCommand(moltctlHelp(), word, args);
    if (!command)
        return usageError(args.isEmpty() || args.first().startsWith(QLatin1String("--"))
                              ? QStringLiteral("%1 needs a subcommand").arg(word)
                              : QStringLiteral("unknown %1 subcommand \"%2\"").arg(word, args.first()));
    auto parsed = CommandArgs::parse(*command, args);
    if (!parsed)
        return parsed.error();
    Invocation inv{std::move(parsed).value(), std::nullopt, {}, {}};
    if (needsWorkspace) {
        auto ws = openWorkspace();
        if (!ws)
            return ws.error();
        inv.workspace = std::move(ws).value();
        const QStringList names = positionalNames(*command);
        for (qsizetype i = 0; i < inv.args.positional.size(); ++i) {
            if (!namesEnvironment(names.value(i)))
                continue;
            auto env = inv.ws().find(inv.args.positional.at(i));
            if (!env)
                return env.error();
            inv.environments << env.value();
        }
    }
    auto options = CommonOptions::check(inv.args);
    if (!options)
        return options.error();
    inv.options = options.value();
    return inv;
}

int Cli::run(const QStringList &arguments)
{
    QStringList args = arguments;
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--"))) {
        const QString a = args.takeFirst();
        if (a == QLatin1String("--profile")) {
            if (args.isEmpty())
                return usage(QStringLiteral("--profile needs a file"));
            m_global.profilePath = args.takeFirst();
        } else if (a.startsWith(QLatin1String("--profile="))) {
            m_global.profilePath = a.mid(10);
        } else if (a == QLatin1String("--no-keychain")) {
            m_global.noKeychain = true;
        } else if (a == QLatin1String("--help")) {
            m_term.out(usageText(moltctlHelp()));
            return ExitOk;
        } else if (a == QLatin1String("--version")) {
            m_term.out(versionLine(QStringLiteral("moltctl")));
            return ExitOk;
        } else {
            return usage(QStringLiteral("unknown option %1").arg(a));
        }
    }
    if (args.isEmpty())
        return usage(QStringLiteral("no command given"));
    const QString cmd = args.takeFirst();
    m_command = cmd;
    if (cmd == QLatin1String("help"))
        return cmdHelp(args.value(0) == QLatin1String("--help") ? cmd : args.value(0));
    if (args.contains(QLatin1String("--help")))
        return cmdHelp(cmd);
    if (cmd == QLatin1String("__complete"))
        return cmdComplete(args);
    if (cmd == QLatin1String("status"))
        return cmdStatus(args);
    if (cmd == QLatin1String("ls"))
        return cmdLs(args);
    if (cmd == QLatin1String("init-demo"))
        return cmdInitDemo(args);
    if (cmd == QLatin1String("sync"))
        return cmdSync(args);
    if (cmd == QLatin1String("restore"))
        return cmdRestore(args);
    if (cmd == QLatin1String("migrate"))
        return cmdMigrate(args);
    if (cmd == QLatin1String("verify"))
        return cmdVerify(args);
    if (cmd == QLatin1String("stamp"))
        return cmdStamp(args);
    if (cmd == QLatin1String("compare"))
        return cmdCompare(args);
    if (cmd == QLatin1String("credentials"))
        return cmdCredentials(args);
    if (cmd == QLatin1String("worker"))
        return cmdWorker(args);
    return usage(QStringLiteral("unknown command \"%1\"").arg(cmd));
}

int Cli::cmdHelp(const QString &command)
{
    if (command.isEmpty()) {
        m_term.out(usageText(moltctlHelp()));
        return ExitOk;
    }
    const QString text = commandUsage(moltctlHelp(), command);
    if (text.isEmpty())
        return usage(QStringLiteral("unknown command \"%1\"").arg(command));
    m_term.out(text);
    return ExitOk;
}

// For shell completion (`__complete envs`): the profile's environment names, nothing else, and quietly
// (a broken profile completes nothing rather than printing into the user's command line).
int Cli::cmdComplete(const QStringList &args)
{
    if (args != QStringList{QStringLiteral("envs")})
        return ExitUsage;
    QString path = m_global.profilePath;
    if (path.isEmpty())
        path = qEnvironmentVariable("MOLTDESK_PROFILE", QStringLiteral("moltdesk.json"));
    const auto ws = Workspace::open(QFileInfo(path).absoluteFilePath());
    if (!ws)
        return exitCodeFor(ws.error());
    QString out;
    for (const EnvironmentNames &env : ws.value().environments())
        out += (env.isLegacy() ? QStringLiteral("legacy") : env.environment) + QLatin1Char('\n');
    m_term.out(out.trimmed());
    return ExitOk;
}

Result<Workspace> Cli::openWorkspace()
{
    QString path = m_global.profilePath;
    if (path.isEmpty())
        path = qEnvironmentVariable("MOLTDESK_PROFILE");
    if (path.isEmpty())
        path = QStringLiteral("moltdesk.json");
    if (!QFileInfo::exists(path))
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("no profile at %1: pass --profile FILE, set MOLTDESK_PROFILE, or create one with "
                           "`moltctl init-demo DIR`")
                .arg(path));
    m_global.profilePath = QFileInfo(path).absoluteFilePath();
    auto ws = Workspace::open(m_global.profilePath);
    if (ws) {
        for (const QString &w : ws.value().warnings())
            m_term.err(QStringLiteral("warning: ") + w);
    }
    return ws;
}

CredentialResolver Cli::resolver() const
{
    return CredentialResolver(m_global.profilePath, m_keychain, !m_global.noKeychain);
}

JobContext Cli::jobContext(const Invocation &inv) const
{
    JobContext c{inv.ws(), inv.env(), resolver()};
    c.concurrency = inv.options.concurrency;
    return c;
}

Result<std::shared_ptr<StorageBackend>> Cli::openBucket(const Workspace &ws,
                                                        const EnvironmentNames &env) const
{
    return StorageFactory(ws).open(env, credentialsFor(ws, resolver(), env));
}

namespace {

QString statusJson(const Workspace &w, const QList<EnvironmentStatus> &rows,
                   const QMap<QString, QJsonObject> &deployments, const QDateTime &now)
{
    const int stale = w.profile().staleAfterHours;
    QJsonArray arr;
    for (const EnvironmentStatus &s : rows) {
        QJsonObject o = s.toJson(now, stale);
        if (deployments.contains(s.names.bucket))
            o.insert(QStringLiteral("deployment"), deployments.value(s.names.bucket));
        arr.append(o);
    }
    QJsonObject storage{{QStringLiteral("type"), w.profile().storage.type == StorageType::S3
                                                     ? QStringLiteral("s3")
                                                     : QStringLiteral("mount")}};
    if (w.profile().storage.type == StorageType::S3) {
        storage.insert(QStringLiteral("endpoint"), w.profile().storage.endpoint.toString());
        storage.insert(QStringLiteral("region"), w.profile().storage.region);
    } else {
        storage.insert(QStringLiteral("root"), w.profile().storage.root);
    }
    return json(QJsonObject{{QStringLiteral("profile"), w.profile().path},
                            {QStringLiteral("generatedAt"), now.toString(Qt::ISODate)},
                            {QStringLiteral("storage"), storage},
                            {QStringLiteral("staleAfterHours"), stale},
                            {QStringLiteral("environments"), arr}});
}

// One row's lines under the table: usage per prefix, problems, notes, what is mounted.
QString statusDetails(const EnvironmentStatus &s)
{
    QString out;
    for (const PrefixUsage &p : s.prefixes)
        out += QStringLiteral("    %1 %2 objects, %3\n")
                   .arg(pad(p.prefix.isEmpty() ? QStringLiteral("(root)") : p.prefix, 14), number(p.objects),
                        formatBytes(p.bytes));
    for (const QString &pr : s.problems)
        out += QStringLiteral("    ! ") + pr + QLatin1Char('\n');
    for (const QString &n : s.notes)
        out += QStringLiteral("    note: ") + n + QLatin1Char('\n');
    if (!s.mountKind.isEmpty())
        out += QStringLiteral("    mount: %1%2\n")
                   .arg(s.mountKind, s.mountSource.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (") + s.mountSource + QLatin1Char(')'));
    return out;
}

QString statusTable(const Workspace &w, const QList<EnvironmentStatus> &rows, const QDateTime &now)
{
    const int stale = w.profile().staleAfterHours;
    QString out;
    out += pad(QStringLiteral("ENVIRONMENT"), 14) + pad(QStringLiteral("BUCKET"), 28) +
           pad(QStringLiteral("MOUNT PATH"), 28) + pad(QStringLiteral("INSTANCE"), 22) +
           pad(QStringLiteral("CREDENTIALS"), 26) + pad(QStringLiteral("LAST SYNC"), 30) +
           pad(QStringLiteral("OBJECTS"), 10) + QStringLiteral("HEALTH\n");
    for (const EnvironmentStatus &s : rows) {
        const QString last = s.lastSyncText(now, stale);
        out += pad(s.names.isProduction() ? s.names.environment.toUpper() : s.names.displayName(), 14) +
               pad(s.names.bucket, 28) + pad(s.names.mountPath, 28) + pad(s.names.instanceId, 22) +
               pad(s.credentialText, 26) + pad(last, 30) +
               pad(s.listed ? number(s.objects) : QStringLiteral("-"), 10) + healthName(s.health) +
               QLatin1Char('\n');
        out += statusDetails(s);
    }
    return out;
}

} // namespace

int Cli::cmdStatus(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("status"), argsIn);
    if (!inv)
        return fail(inv.error());
    const Workspace &w = inv.value().ws();
    const CredentialResolver res = resolver();
    StorageFactory factory(w);
    const StatusCollector collector(w, res, factory);
    // Every environment at once: a slow or unreachable one does not hold up the others.
    QList<QFuture<EnvironmentStatus>> futures;
    for (const EnvironmentNames &env : w.environments())
        futures << QtConcurrent::run([&collector, env]() { return collector.collect(env); });
    QList<EnvironmentStatus> rows;
    for (auto &f : futures)
        rows << f.result();
    const QMap<QString, QJsonObject> deployments = joinDeployments(w, rows); // in WorkerCommands.cpp
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_term.out(inv.value().args.has("json") ? statusJson(w, rows, deployments, now)
                                            : statusTable(w, rows, now));
    return ExitOk;
}

int Cli::cmdLs(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("ls"), argsIn);
    if (!inv)
        return fail(inv.error());
    auto backend = openBucket(inv.value().ws(), inv.value().env());
    if (!backend)
        return fail(backend.error());
    const QString prefix = inv.value().args.positionalNamed(QStringLiteral("PREFIX"));
    const Result<Listing> l = backend.value()->list(ListRequest{prefix, {}, 0}).result();
    if (!l)
        return fail(l.error());
    if (inv.value().args.has("json")) {
        QJsonArray arr;
        for (const ObjectInfo &o : l.value().objects)
            arr.append(QJsonObject{
                {QStringLiteral("key"), o.key},
                {QStringLiteral("size"), double(o.size)},
                {QStringLiteral("modified"), o.modified.toUTC().toString(Qt::ISODateWithMs)},
                {QStringLiteral("etag"),
                 o.etag.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromLatin1(o.etag))}});
        m_term.out(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    QString out;
    qint64 total = 0;
    for (const ObjectInfo &o : l.value().objects) {
        out += QStringLiteral("%1  %2  %3  %4\n")
                   .arg(o.modified.toUTC().toString(Qt::ISODate), QString::number(o.size).rightJustified(12),
                        QString::fromLatin1(o.etag).leftJustified(34), o.key);
        total += o.size;
    }
    out += QStringLiteral("%1 objects, %2\n").arg(number(l.value().objects.size()), formatBytes(total));
    m_term.out(out);
    return ExitOk;
}

int Cli::cmdInitDemo(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("init-demo"), argsIn, false);
    if (!inv)
        return fail(inv.error());
    auto r = DemoWorkspace::create(inv.value().args.positional.first());
    if (!r)
        return fail(r.error());
    m_term.out(QStringLiteral("demo workspace created; profile: %1\ntry: moltctl --profile %1 status")
                   .arg(r.value()));
    return ExitOk;
}

int Cli::runJob(Job &job, const CommandArgs &args)
{
    const bool dryRun = args.has("dry-run");
    const bool jsonOut = args.has("json");
    m_current = &job;
    struct Reset
    {
        std::atomic<Job *> &p;
        ~Reset() { p = nullptr; }
    } reset{m_current};
    QObject::connect(
        &job, &Job::progress, &job, [this](const JobProgress &p) { m_term.progress(p); },
        Qt::DirectConnection);
    const Result<Plan> plan = job.planNow();
    if (!plan)
        return fail(plan.error());
    const Plan &p = plan.value();
    if (!jsonOut) {
        m_term.err(QStringLiteral("%1 %2 → %3").arg(planKindName(p.kind), p.source, p.target));
        m_term.err(QStringLiteral("plan: ") + p.summaryLine());
        for (const QString &w : p.warnings)
            m_term.err(QStringLiteral("warning: ") + w);
    }
    if (dryRun) {
        if (jsonOut) {
            m_term.out(json(
                QJsonObject{{QStringLiteral("plan"), p.toJson(true)}, {QStringLiteral("dryRun"), true}}));
        } else {
            QString out;
            for (const PlanItem &i : p.items) {
                if (i.action == PlanAction::Keep || i.action == PlanAction::Skip)
                    continue;
                out +=
                    QStringLiteral("%1  %2  %3%4\n")
                        .arg(pad(planActionName(i.action), 9), formatBytes(i.size).rightJustified(9), i.key,
                             i.note.isEmpty() ? QString()
                                              : QStringLiteral("  (") + i.note + QLatin1Char(')'));
            }
            if (!out.isEmpty())
                m_term.out(out);
            if (p.refusal)
                m_term.err(QStringLiteral("would be refused: ") + p.refusal->message);
            m_term.err(QStringLiteral("dry run: nothing was changed"));
        }
        return p.refusal ? ExitRefused : ExitOk;
    }
    const JobResult r = job.applyNow(args.value("confirm"));
    m_term.endProgress();
    if (jsonOut) {
        m_term.out(json(
            QJsonObject{{QStringLiteral("plan"), p.toJson(false)}, {QStringLiteral("result"), r.toJson()}}));
    } else {
        for (const Error &e : r.errors.mid(0, 20))
            m_term.err(QStringLiteral("error: ") + e.toString());
        if (r.errors.size() > 20)
            m_term.err(QStringLiteral("... and %1 more errors").arg(r.errors.size() - 20));
        for (const QString &n : r.notes)
            m_term.err(QStringLiteral("note: ") + n);
        m_term.err(r.summaryLine());
    }
    switch (r.outcome) {
    case JobResult::Outcome::Succeeded:
    case JobResult::Outcome::NothingToDo:
        return ExitOk;
    case JobResult::Outcome::Refused:
        return ExitRefused;
    case JobResult::Outcome::Failed:
    case JobResult::Outcome::Cancelled:
        return ExitFailed;
    }
    return ExitFailed;
}

int Cli::cmdSync(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("sync"), argsIn);
    if (!inv)
        return fail(inv.error());
    const CommandArgs &a = inv.value().args;
    SyncOptions opts;
    opts.maxDelete = inv.value().options.maxDelete;
    opts.allowUnlimitedDelete = inv.value().options.unlimitedDelete;
    opts.hashCachePath = a.value("hash-cache");
    opts.noDelete = a.has("no-delete");
    SyncJob job(jobContext(inv.value()), opts);
    return runJob(job, a);
}

int Cli::cmdRestore(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("restore"), argsIn);
    if (!inv)
        return fail(inv.error());
    const CommandArgs &a = inv.value().args;
    RestoreOptions opts;
    opts.targetDir = a.value("to");
    opts.force = a.has("force");
    opts.backupDir = a.value("backup-dir");
    RestoreJob job(jobContext(inv.value()), opts);
    return runJob(job, a);
}

int Cli::cmdMigrate(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("migrate"), argsIn);
    if (!inv)
        return fail(inv.error());
    const CommandArgs &a = inv.value().args;
    MigrationOptions opts;
    opts.overwrite = a.has("overwrite");
    opts.reportPath = a.value("report");
    MigrationJob job(jobContext(inv.value()), opts);
    return runJob(job, a);
}

int Cli::cmdVerify(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("verify"), argsIn);
    if (!inv)
        return fail(inv.error());
    const CommandArgs &a = inv.value().args;
    const Workspace &ws = inv.value().ws();
#ifdef MOLTDESK_HAVE_AUDIT
    AuditOptions opts;
    opts.probeWrite = a.has("probe-write");
    // Read only: names the sync that deleted migrated objects, when the desktop app logged it.
    opts.activityLogPath = ActivityLog::defaultPath();
    IsolationAudit audit(ws, resolver(), opts);
    AuditReport report = audit.run(CancelToken{});
    if (a.has("live"))
        report.findings += liveFindings(ws, a.value("confirm"));
    if (a.has("json"))
        m_term.out(json(report.toJson()));
    else
        m_term.out(renderAuditText(report));
    switch (report.verdict()) {
    case Verdict::Holds:
        return ExitOk;
    case Verdict::Broken:
        return ExitFailed;
    case Verdict::Unverified:
        break;
    }
    return ExitUnverified;
#else
    return fail(makeError(ErrorKind::InvalidInput, QStringLiteral("this build has no isolation audit")));
#endif
}

int Cli::cmdStamp(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("stamp"), argsIn);
    if (!inv)
        return fail(inv.error());
    const EnvironmentNames &env = inv.value().env();
    if (auto confirmed =
            confirmProduction(env, inv.value().args.value("confirm"), QStringLiteral("stamping its bucket"));
        !confirmed)
        return fail(confirmed.error()); // before the bucket is opened: nothing is read either
    auto backend = openBucket(inv.value().ws(), env);
    if (!backend)
        return fail(backend.error());
    const Status st = stampMarker(*backend.value(), env,
                                  StampOptions{.overwriteUnreadable = inv.value().args.has("force"),
                                               .confirmation = inv.value().args.value("confirm")});
    if (!st)
        return fail(st.error());
    m_term.out(QStringLiteral("stamped %1 as %2").arg(env.bucket, env.displayName()));
    return ExitOk;
}

int Cli::cmdCredentials(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("credentials"), argsIn);
    if (!inv)
        return fail(inv.error());
    const EnvironmentNames &env = inv.value().env();
    const auto vars = readSecretVars();
    if (!vars)
        return fail(vars.error());
    const Credentials c{vars.value().value(QStringLiteral("R2_ACCESS_KEY_ID")),
                        vars.value().value(QStringLiteral("R2_SECRET_ACCESS_KEY")),
                        vars.value().value(QStringLiteral("CF_ACCOUNT_ID"))};
    if (!c.hasKeys())
        return fail(makeError(ErrorKind::InvalidInput,
                              QStringLiteral("stdin must set R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY")));
    const Status s = m_keychain->write(KeychainStore::entryName(m_global.profilePath, env), c).result();
    if (!s)
        return fail(makeError(ErrorKind::Local,
                              s.error().message +
                                  QStringLiteral("; put the keys in .dev.vars.%1 next to the profile instead")
                                      .arg(env.environment)));
    m_term.out(QStringLiteral("stored credentials for %1 in the keychain").arg(env.displayName()));
    return ExitOk;
}

namespace {

// rclone check's marks: "=" identical, "*" differ, "-" missing in B, "+" missing in A; "?" ours for
// "same size, no comparable checksum".
QString compareMark(CompareState s)
{
    static const char *const marks[kCompareStateCount] = {"-", "+", "*", "=", "?"};
    return QString::fromLatin1(marks[int(s)]);
}

QString compareCountsLine(const CompareCounts &c)
{
    return QStringLiteral("only in A %1 · only in B %2 · differ %3 · identical %4 · unknown %5")
        .arg(number(c.of(CompareState::OnlyInA)), number(c.of(CompareState::OnlyInB)),
             number(c.of(CompareState::Differ)), number(c.of(CompareState::Identical)),
             number(c.of(CompareState::Unknown)));
}

QString compareText(const BucketComparison &c, bool all)
{
    QString out = QStringLiteral("A: %1\nB: %2\n").arg(c.nameA, c.nameB);
    for (auto it = c.byPrefix.cbegin(); it != c.byPrefix.cend(); ++it)
        out += QStringLiteral("  %1 %2\n")
                   .arg(pad(it.key().isEmpty() ? QStringLiteral("(root)") : it.key(), 14),
                        compareCountsLine(it.value()));
    for (const CompareEntry &e : c.entries) {
        if (!all && e.state == CompareState::Identical && !e.sensitive)
            continue;
        QString line = compareMark(e.state) + QLatin1Char(' ') + e.key;
        if (e.sensitive && e.state == CompareState::Identical)
            line += QStringLiteral("   (sensitive file identical in both: treat as leaked)");
        out += line + QLatin1Char('\n');
    }
    out += QStringLiteral("total: %1\n").arg(compareCountsLine(c.totals));
    return out;
}

} // namespace

int Cli::cmdCompare(const QStringList &argsIn)
{
    const auto inv = prepare(QStringLiteral("compare"), argsIn);
    if (!inv)
        return fail(inv.error());
    const CommandArgs &a = inv.value().args;
    const CredentialResolver res = resolver();
    const EnvironmentComparer comparer(inv.value().ws(), res);
    const Result<BucketComparison> c = comparer.compare(inv.value().env(0), inv.value().env(1));
    if (!c)
        return fail(c.error());
    m_term.out(a.has("json") ? json(c.value().toJson()) : compareText(c.value(), a.has("all")));
    return ExitOk;
}

} // namespace moltdesk
