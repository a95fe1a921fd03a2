#include "WorkerActions.h"

#include "LastSync.h"
#include "WorkerLogging.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QThread>

namespace moltdesk {

namespace {
// The worker reports the .last-sync it wrote; a second either way for a clock read twice.
constexpr qint64 kClaimToleranceSeconds = 1;
// How far the container's last sync may run ahead of the bucket's before it is a failure.
constexpr qint64 kJoinToleranceSeconds = 300;
constexpr int kPollMs = 500;

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonObject errorJson(const Error &e)
{
    return {{QStringLiteral("kind"), errorKindName(e.kind)},
            {QStringLiteral("code"), orNull(e.code)},
            {QStringLiteral("message"), e.message}};
}

QString when(const QDateTime &t, const QDateTime &now)
{
    return QString::fromLatin1(LastSync::format(t)).trimmed() + QStringLiteral(" (") +
           LastSync::relativeAge(t, now) + QLatin1Char(')');
}
} // namespace

QJsonObject WorkerStatus::toJson(const QDateTime &now) const
{
    QJsonObject o{
        {QStringLiteral("environment"),
         env.isLegacy() ? QJsonValue(QJsonValue::Null) : QJsonValue(env.environment)},
        {QStringLiteral("bucket"), env.bucket},
        {QStringLiteral("worker"), orNull(endpoint.url.toString())},
        {QStringLiteral("workerSource"), orNull(endpoint.source)},
        {QStringLiteral("token"), orNull(tokenSource)},
        {QStringLiteral("error"), error ? QJsonValue(errorJson(*error)) : QJsonValue(QJsonValue::Null)}};
    if (gateway)
        o.insert(QStringLiteral("gateway"),
                 QJsonObject{{QStringLiteral("ok"), gateway->ok},
                             {QStringLiteral("status"), gateway->status},
                             {QStringLiteral("processId"), orNull(gateway->processId)},
                             {QStringLiteral("error"), orNull(gateway->error)}});
    if (storage) {
        const auto t = LastSync::parse(storage->lastSync.toUtf8());
        o.insert(QStringLiteral("storage"),
                 QJsonObject{{QStringLiteral("configured"), storage->configured},
                             {QStringLiteral("missing"), QJsonArray::fromStringList(storage->missing)},
                             {QStringLiteral("lastSync"), orNull(storage->lastSync)},
                             {QStringLiteral("lastSyncAgeSeconds"),
                              t ? QJsonValue(t.value().secsTo(now)) : QJsonValue(QJsonValue::Null)},
                             {QStringLiteral("message"), storage->message}});
    }
    if (devices)
        o.insert(QStringLiteral("devices"),
                 QJsonObject{{QStringLiteral("paired"), int(devices->paired.size())},
                             {QStringLiteral("pending"), int(devices->pending.size())}});
    if (debugEnv)
        o.insert(QStringLiteral("debugEnv"), *debugEnv);
    o.insert(QStringLiteral("bucketLastSync"),
             QJsonObject{{QStringLiteral("read"), bucketRead},
                         {QStringLiteral("raw"), orNull(QString::fromUtf8(bucketLastSyncRaw))},
                         {QStringLiteral("ageSeconds"), bucketLastSync.isValid()
                                                            ? QJsonValue(bucketLastSync.secsTo(now))
                                                            : QJsonValue(QJsonValue::Null)},
                         {QStringLiteral("era"), orNull(bucketEra)},
                         {QStringLiteral("error"), orNull(bucketError)}});
    o.insert(QStringLiteral("routeErrors"), QJsonArray::fromStringList(routeErrors));
    o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
    o.insert(QStringLiteral("health"), failed() ? QStringLiteral("failure") : QStringLiteral("ok"));
    return o;
}

QJsonObject VerifiedSync::toJson() const
{
    return {{QStringLiteral("claimedLastSync"), orNull(claim.lastSync)},
            {QStringLiteral("message"), claim.message},
            {QStringLiteral("bucket"), bucket},
            {QStringLiteral("era"), orNull(era)},
            {QStringLiteral("added"), int(diff.added.size())},
            {QStringLiteral("changed"), int(diff.changed.size())},
            {QStringLiteral("removed"), int(diff.removed.size())},
            {QStringLiteral("evidence"), evidence}};
}

QJsonObject PersistenceCheck::toJson() const
{
    return {{QStringLiteral("checked"), checked},
            {QStringLiteral("notCheckedWhy"), orNull(notCheckedWhy)},
            {QStringLiteral("pairedBefore"), QJsonArray::fromStringList(before)},
            {QStringLiteral("pairedAfter"), QJsonArray::fromStringList(after)},
            {QStringLiteral("missing"), QJsonArray::fromStringList(missing)},
            {QStringLiteral("sync"), sync.toJson()},
            {QStringLiteral("previousProcessId"), orNull(restart.claim.previousProcessId)},
            {QStringLiteral("processId"), orNull(restart.processId)}};
}

WorkerActions::WorkerActions(const Workspace &workspace, const CredentialResolver &r2,
                             const AccessTokenResolver &access, WorkerClientOptions options)
    : m_workspace(workspace), m_r2(r2), m_access(access), m_options(options)
{}

Result<std::unique_ptr<WorkerClient>> WorkerActions::client(const EnvironmentNames &env) const
{
    auto endpoint = WorkerLocator(m_workspace).locate(env);
    if (!endpoint) {
        // Asked for a worker the profile does not name: a configuration problem (exit 2), not a failure.
        Error e = endpoint.error();
        if (e.kind == ErrorKind::NotFound)
            e.kind = ErrorKind::InvalidInput;
        return e;
    }
    AccessToken token = m_access.resolve(env);
    if (!token.complete())
        return makeError(
            ErrorKind::Auth,
            QStringLiteral("no Cloudflare Access service token for %1 (missing %2): store it with `moltctl "
                           "worker token set %3`, or set it in .dev.vars.%3 or the environment")
                .arg(env.displayName(), token.missing.join(QStringLiteral(", ")),
                     WorkerLocator::profileKey(env)));
    WorkerClientOptions options = m_options;
    options.network = m_workspace.network();
    return std::make_unique<WorkerClient>(endpoint.value().url, std::move(token), options);
}

Result<BucketSnapshot> WorkerActions::snapshot(const EnvironmentNames &env, const CancelToken &cancel) const
{
    return snapshotBucket(env, cancel);
}

Result<BucketSnapshot> WorkerActions::snapshotBucket(const EnvironmentNames &owner,
                                                     const CancelToken &cancel) const
{
    const CredentialLookup creds = m_r2.resolve(owner);
    if (!creds.complete())
        return makeError(ErrorKind::Auth,
                         QStringLiteral("no R2 credentials for %1 (%2): the bucket cannot be checked")
                             .arg(owner.displayName(), creds.describe()));
    StorageFactory factory(m_workspace);
    auto backend = factory.open(owner, creds);
    if (!backend)
        return backend.error();
    return BucketSnapshot::take(*backend.value(), cancel);
}

BucketView BucketView::of(const BucketSnapshot &s)
{
    return {s.bucket, s.era(), s.hasLastSync, s.lastSync, s.lastSyncRaw};
}

BucketView BucketView::of(const EnvironmentStatus &row)
{
    BucketView v;
    v.bucket = row.names.bucket;
    v.hasLastSync = row.lastSyncState == EnvironmentStatus::LastSyncState::Valid ||
                    row.lastSyncState == EnvironmentStatus::LastSyncState::Unreadable;
    v.lastSync = row.lastSync;
    v.lastSyncRaw = row.lastSyncRaw;
    const auto has = [&](const char *prefix) {
        return std::any_of(row.prefixes.begin(), row.prefixes.end(),
                           [&](const PrefixUsage &p) { return p.prefix == QLatin1String(prefix); });
    };
    v.era = has("openclaw/") ? QStringLiteral("rclone")
                             : (has("clawdbot/") || v.hasLastSync ? QStringLiteral("rsync") : QString());
    return v;
}

QJsonObject ContainerView::toJson(const QDateTime &now) const
{
    QJsonObject o{
        {QStringLiteral("worker"), orNull(endpoint.url.toString())},
        {QStringLiteral("error"), error ? QJsonValue(errorJson(*error)) : QJsonValue(QJsonValue::Null)}};
    if (gateway)
        o.insert(QStringLiteral("gateway"), gateway->status);
    if (storage) {
        const auto t = LastSync::parse(storage->lastSync.toUtf8());
        o.insert(QStringLiteral("r2Configured"), storage->configured);
        o.insert(QStringLiteral("containerLastSync"), orNull(storage->lastSync));
        o.insert(QStringLiteral("containerLastSyncAgeSeconds"),
                 t ? QJsonValue(t.value().secsTo(now)) : QJsonValue(QJsonValue::Null));
    }
    o.insert(QStringLiteral("problem"), orNull(problem));
    o.insert(QStringLiteral("note"), orNull(note));
    return o;
}

ContainerView WorkerActions::containerView(const EnvironmentNames &env, const CancelToken &cancel) const
{
    ContainerView v;
    if (auto ep = WorkerLocator(m_workspace).locate(env))
        v.endpoint = ep.value();
    auto c = client(env);
    if (!c) {
        v.error = c.error();
        return v;
    }
    auto g = c.value()->status(cancel).result();
    if (!g) {
        v.error = g.error();
        return v;
    }
    v.gateway = g.value();
    auto st = c.value()->storage(cancel).result();
    if (!st)
        v.error = st.error();
    else
        v.storage = st.value();
    return v;
}

std::optional<ContainerView> WorkerActions::deploymentOf(const EnvironmentNames &env,
                                                         const CancelToken &cancel) const
{
    auto ep = WorkerLocator(m_workspace).locate(env);
    if (!ep && ep.error().kind == ErrorKind::NotFound)
        return std::nullopt; // no worker for this environment: nothing to join
    return containerView(env, cancel);
}

void WorkerActions::joinInto(EnvironmentStatus &row, ContainerView &view)
{
    view.problem.clear(); // a view joined again (the window's table) starts over
    view.note.clear();
    if (view.error) {
        row.notes << QStringLiteral("deployment not checked: ") + view.error->message;
        return;
    }
    if (view.gateway && view.storage) {
        const auto t = LastSync::parse(view.storage->lastSync.toUtf8());
        row.notes << QStringLiteral("deployment: gateway %1, R2 %2, container's last sync %3")
                         .arg(view.gateway->status,
                              view.storage->configured ? QStringLiteral("configured")
                                                       : QStringLiteral("not configured"),
                              t ? when(t.value(), QDateTime::currentDateTimeUtc()) : QStringLiteral("none"));
    }
    if (!view.storage || !row.reachable) {
        if (view.storage)
            view.note = QStringLiteral("the bucket could not be read: not compared with the container");
        return;
    }
    view.problem = joinProblem(*view.storage, BucketView::of(row), &view.note);
    if (!view.note.isEmpty())
        row.notes << QStringLiteral("deployment: ") + view.note;
    if (!view.problem.isEmpty()) {
        row.problems << view.problem;
        row.health = Health::Failure;
    }
}

QString WorkerActions::joinProblem(const StorageState &container, const BucketView &bucket, QString *note)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto claimed = LastSync::parse(container.lastSync.toUtf8());
    if (container.lastSync.isEmpty() || !claimed) {
        *note = container.lastSync.isEmpty()
                    ? QStringLiteral("the container reports no backup yet")
                    : QStringLiteral("the container's last sync \"%1\" is unreadable")
                          .arg(container.lastSync.left(80));
        return {};
    }
    if (bucket.era == QLatin1String("rclone")) {
        *note = QStringLiteral(
                    "rclone era: the container keeps its last sync in /tmp/.last-sync, %1 holds none to "
                    "compare it with")
                    .arg(bucket.bucket);
        return {};
    }
    if (!bucket.hasLastSync)
        return QStringLiteral(
                   "the container says it backed up at %1, but %2 holds no .last-sync: the container "
                   "writes somewhere else")
            .arg(when(claimed.value(), now), bucket.bucket);
    if (!bucket.lastSync.isValid())
        return QStringLiteral("%1's .last-sync is unreadable (\"%2\")")
            .arg(bucket.bucket, QString::fromUtf8(bucket.lastSyncRaw.left(80)));
    if (bucket.lastSync.secsTo(claimed.value()) > kJoinToleranceSeconds)
        return QStringLiteral(
                   "the container says it backed up at %1, but %2's .last-sync is %3: the container "
                   "writes somewhere else (the seed's Phase 1/2 bug)")
            .arg(when(claimed.value(), now), bucket.bucket, when(bucket.lastSync, now));
    return {};
}

Result<VerifiedSync> WorkerActions::verifyClaim(const SyncClaim &claim, const BucketSnapshot &before,
                                                const BucketSnapshot &after)
{
    VerifiedSync v;
    v.claim = claim;
    v.bucket = after.bucket;
    v.era = after.era();
    v.diff = diff(before, after);
    const auto refuse = [&](const QString &why) {
        Error e = makeError(ErrorKind::Server, why + QStringLiteral(" [bucket: %1]").arg(v.diff.summary()),
                            after.bucket);
        e.code = QStringLiteral("not-in-bucket");
        return e;
    };
    if (v.era == QLatin1String("rclone")) {
        v.evidence = QStringLiteral("rclone era: %1 holds the backup under openclaw/; %2")
                         .arg(after.bucket, v.diff.summary());
        return v;
    }
    const auto claimed = LastSync::parse(claim.lastSync.toUtf8());
    if (!claimed)
        return refuse(QStringLiteral("the worker says it synced but gives no readable time (\"%1\")")
                          .arg(claim.lastSync.left(80)));
    if (!after.hasLastSync)
        return refuse(
            QStringLiteral("the worker says it synced at %1, but %2 holds no .last-sync and no openclaw/ "
                           "backup afterwards: the container writes somewhere else")
                .arg(claim.lastSync, after.bucket));
    // The container writes .last-sync last and reports what it wrote: the bucket's must be that very
    // object, new since the listing before the backup (a stale one from an earlier sync proves nothing).
    const bool rewritten = v.diff.added.contains(QLatin1String(LastSync::kKey)) ||
                           v.diff.changed.contains(QLatin1String(LastSync::kKey));
    if (!rewritten)
        return refuse(
            QStringLiteral("the worker says it synced at %1, but %2's .last-sync was not rewritten (still "
                           "\"%3\"): the container writes somewhere else")
                .arg(claim.lastSync, after.bucket, QString::fromUtf8(after.lastSyncRaw.left(80))));
    if (!after.lastSync.isValid() || qAbs(after.lastSync.secsTo(claimed.value())) > kClaimToleranceSeconds)
        return refuse(QStringLiteral("the worker says it synced at %1, but %2's .last-sync says \"%3\": the "
                                     "container writes somewhere else")
                          .arg(claim.lastSync, after.bucket, QString::fromUtf8(after.lastSyncRaw.left(80))));
    v.evidence = QStringLiteral("%1's .last-sync is %2, as claimed; %3")
                     .arg(after.bucket, QString::fromUtf8(after.lastSyncRaw), v.diff.summary());
    return v;
}

WorkerStatus WorkerActions::status(const EnvironmentNames &env, const CancelToken &cancel) const
{
    WorkerStatus s;
    s.env = env;
    if (auto ep = WorkerLocator(m_workspace).locate(env))
        s.endpoint = ep.value();
    auto c = client(env);
    s.tokenSource = m_access.resolve(env).describe();
    if (!c && (c.error().kind != ErrorKind::Auth || s.endpoint.url.isEmpty())) {
        s.error = c.error();
        return s;
    }
    if (!c) {
        // No service token: /api/status needs none, so the gateway is still shown; the admin routes are not.
        WorkerClient anonymous(s.endpoint.url, AccessToken{}, m_options);
        if (auto g = anonymous.status(cancel).result())
            s.gateway = g.value();
        s.error = c.error();
        return s;
    }
    WorkerClient &w = *c.value();
    auto gateway = w.status(cancel).result();
    if (!gateway) {
        s.error = gateway.error();
        return s;
    }
    s.gateway = gateway.value();
    if (auto st = w.storage(cancel).result())
        s.storage = st.value();
    else
        s.routeErrors << st.error().message;
    if (s.gateway->running()) {
        if (auto d = w.devices(cancel).result())
            s.devices = d.value();
        else
            s.routeErrors << d.error().message;
    }
    if (auto dbg = w.debugEnv(cancel).result())
        s.debugEnv = dbg.value();
    auto bucket = snapshot(env, cancel);
    if (!bucket) {
        s.bucketError = bucket.error().message;
        s.notes << QStringLiteral("not checked against the bucket: ") + bucket.error().message;
        return s;
    }
    s.bucketRead = true;
    s.bucketEra = bucket.value().era();
    s.bucketLastSyncRaw = bucket.value().lastSyncRaw;
    s.bucketLastSync = bucket.value().lastSync;
    if (s.storage) {
        QString note;
        if (const QString p = joinProblem(*s.storage, BucketView::of(bucket.value()), &note); !p.isEmpty())
            s.problems << p;
        if (!note.isEmpty())
            s.notes << note;
        if (!s.storage->configured)
            s.problems << QStringLiteral(
                              "the worker has no R2 storage configured (missing %1): nothing persists")
                              .arg(s.storage->missing.join(QStringLiteral(", ")));
    }
    return s;
}

Result<VerifiedSync> WorkerActions::syncVerified(const EnvironmentNames &env, const CancelToken &cancel,
                                                 const Progress &progress) const
{
    auto c = client(env);
    if (!c)
        return c.error();
    const auto say = [&](const QString &s) {
        if (progress)
            progress(s);
    };
    say(QStringLiteral("reading %1 before the backup").arg(env.bucket));
    auto before = snapshot(env, cancel);
    if (!before)
        return before.error();
    say(QStringLiteral("asking %1's container to back up").arg(env.displayName()));
    auto claim = c.value()->sync(cancel).result();
    if (!claim)
        return claim.error();
    say(QStringLiteral("the worker says: %1; reading %2 again").arg(claim.value().message, env.bucket));
    auto after = snapshot(env, cancel);
    if (!after)
        return after.error();
    return verifyClaim(claim.value(), before.value(), after.value());
}

Result<RestartOutcome> WorkerActions::restart(const EnvironmentNames &env, bool wait, int waitMs,
                                              const CancelToken &cancel, const Progress &progress) const
{
    auto c = client(env);
    if (!c)
        return c.error();
    auto claim = c.value()->restart(cancel).result();
    if (!claim)
        return claim.error();
    RestartOutcome out;
    out.claim = claim.value();
    if (!wait)
        return out;
    return waitRunning(*c.value(), out, waitMs, cancel, progress);
}

Result<RestartOutcome> WorkerActions::waitRunning(WorkerClient &client, RestartOutcome out, int waitMs,
                                                  const CancelToken &cancel, const Progress &progress) const
{
    QElapsedTimer t;
    t.start();
    QString last = QStringLiteral("no answer");
    while (t.elapsed() < waitMs) {
        if (cancel.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled while waiting for the gateway"));
        auto s = client.status(cancel).result();
        if (s && s.value().running() && s.value().processId != out.claim.previousProcessId) {
            out.waited = true;
            out.processId = s.value().processId;
            out.waitedMs = t.elapsed();
            return out;
        }
        const QString now = s ? s.value().status : s.error().message;
        if (now != last && progress)
            progress(QStringLiteral("gateway: %1").arg(now));
        last = now;
        QThread::msleep(kPollMs);
    }
    Error e = makeError(ErrorKind::Network,
                        QStringLiteral("the gateway was not running again within %1 s (last: %2)")
                            .arg(waitMs / 1000)
                            .arg(last));
    e.code = QStringLiteral("timeout");
    return e;
}

Result<PersistenceCheck> WorkerActions::checkPersistence(const EnvironmentNames &env, int waitMs,
                                                         const CancelToken &cancel,
                                                         const Progress &progress) const
{
    PersistenceCheck pc;
    auto c = client(env);
    if (!c)
        return c.error();
    auto before = c.value()->devices(cancel).result();
    if (!before)
        return before.error();
    pc.before = before.value().pairedIds();
    if (pc.before.isEmpty()) {
        pc.notCheckedWhy =
            QStringLiteral("no paired device to compare: pair one first (the seed's procedure)");
        return pc;
    }
    if (progress)
        progress(QStringLiteral("paired before: %1").arg(pc.before.join(QStringLiteral(", "))));
    auto sync = syncVerified(env, cancel, progress);
    if (!sync)
        return sync.error();
    pc.sync = sync.value();
    auto restarted = restart(env, true, waitMs, cancel, progress);
    if (!restarted)
        return restarted.error();
    pc.restart = restarted.value();
    auto after = c.value()->devices(cancel).result();
    if (!after)
        return after.error();
    pc.after = after.value().pairedIds();
    for (const QString &id : std::as_const(pc.before)) {
        if (!pc.after.contains(id))
            pc.missing << id;
    }
    pc.checked = true;
    qCInfo(lcWorker) << "persistence of" << env.displayName() << "missing" << pc.missing.size();
    return pc;
}

} // namespace moltdesk
