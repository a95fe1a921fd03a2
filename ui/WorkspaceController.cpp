#include "WorkspaceController.h"

#include "DemoWorkspace.h"
#include "DeploymentDialog.h"
#include "IdentityMarker.h"
#include "IsolationAudit.h"
#include "QueuedDelivery.h"
#include "StatusCollector.h"
#include "UiLogging.h"

#include <QFileInfo>
#include <QtConcurrent>

namespace moltdesk {

namespace {

// The audit's report when the profile cannot be read any more: nothing was checked, and it says so.
AuditReport unreadableProfileReport(const QString &profilePath, const Error &error)
{
    AuditReport r;
    r.generated = QDateTime::currentDateTimeUtc();
    r.profilePath = profilePath;
    r.complete = false;
    r.findings.append(Finding{.check = QStringLiteral("audit"),
                              .severity = Severity::NotChecked,
                              .title = QStringLiteral("cannot read the profile: nothing was checked"),
                              .evidence = error.toString(),
                              .remedy = QStringLiteral("fix the profile, then verify again"),
                              .file = profilePath});
    return r;
}

} // namespace

WorkspaceController::WorkspaceController(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    m_workPool.setMaxThreadCount(qMax(6, QThread::idealThreadCount()));
}

WorkspaceController::~WorkspaceController()
{
    m_closing.cancel();
    // Before the pool joins: the event loop that brings the keychain's answers has stopped, and a
    // worker waiting on one would hold the join (and the program's exit) for ever.
    m_keychain.close();
}

void WorkspaceController::openDemo()
{
    deliverQueued(QtConcurrent::run(&m_workPool,
                                    []() -> Result<QString> {
                                        const QString dir = DemoWorkspace::defaultDirectory();
                                        const QString profile = dir + QStringLiteral("/profile.json");
                                        if (QFileInfo::exists(profile))
                                            return profile;
                                        return DemoWorkspace::create(dir);
                                    }),
                  this, [this](const Result<QString> &r) {
                      if (!r) {
                          Q_EMIT demoFailed(r.error().message);
                          return;
                      }
                      openProfile(r.value());
                  });
}

void WorkspaceController::openProfile(const QString &pathIn)
{
    const QString path = QFileInfo(pathIn).absoluteFilePath();
    deliverQueued(QtConcurrent::run(&m_workPool, [path]() { return Workspace::open(path); }), this,
                  [this, path](const Result<Workspace> &ws) {
                      if (!ws) {
                          qCWarning(lcUi) << "cannot open" << path << ws.error().toString();
                          Q_EMIT openFailed(path, ws.error().toString());
                          return;
                      }
                      m_session = std::make_shared<const Session>(ws.value(), path, &m_keychain,
                                                                  m_options.useKeychain);
                      m_liveFindings.clear(); // another profile's deployment
                      ++m_refreshGeneration;
                      ++m_auditGeneration;
                      ++m_browseGeneration;
                      Q_EMIT sessionChanged(m_session);
                      Q_EMIT opened(path);
                  });
}

void WorkspaceController::refresh()
{
    if (!m_session)
        return;
    ++m_refreshGeneration;
    m_pendingRows = 0;
    for (int row = 0; row < m_session->workspace.environments().size(); ++row)
        refreshEnvironment(row);
}

void WorkspaceController::refreshEnvironment(int row)
{
    if (!m_session || row < 0 || row >= m_session->workspace.environments().size())
        return;
    const EnvironmentNames env = m_session->workspace.environments().at(row);
    Q_EMIT refreshStarted(row);
    collectStatus(row, env);
    collectDeployment(row, env);
}

void WorkspaceController::collectStatus(int row, const EnvironmentNames &env)
{
    const quint64 gen = m_refreshGeneration;
    const SessionPtr s = m_session;
    ++m_pendingRows;
    deliverQueued(QtConcurrent::run(&m_workPool,
                                    [s, env]() {
                                        const StatusCollector collector(s->workspace, s->resolver,
                                                                        s->factory);
                                        return collector.collect(env);
                                    }),
                  this, [this, gen, row, s](const EnvironmentStatus &st) {
                      if (gen != m_refreshGeneration || s != m_session)
                          return; // a newer refresh or another profile
                      if (st.error)
                          qCInfo(lcUi) << st.names.displayName() << "status:" << st.error->toString();
                      Q_EMIT statusReady(row, st);
                      rowDone();
                  });
}

void WorkspaceController::collectDeployment(int row, const EnvironmentNames &env)
{
    // The container's view, alongside the bucket's: a slow worker never holds up the bucket's columns.
    const quint64 gen = m_refreshGeneration;
    const SessionPtr s = m_session;
    KeychainStore *keychain = &m_keychain;
    const bool useKeychain = m_options.useKeychain;
    const CancelToken closing = m_closing;
    ++m_pendingRows;
    deliverQueued(QtConcurrent::run(&m_workPool,
                                    [s, env, keychain, useKeychain, closing]() {
                                        return deploymentOf(*s, keychain, useKeychain, env, closing);
                                    }),
                  this, [this, gen, row, s](const std::optional<ContainerView> &view) {
                      if (gen != m_refreshGeneration || s != m_session)
                          return;
                      Q_EMIT deploymentReady(row, view);
                      rowDone();
                  });
}

void WorkspaceController::rowDone()
{
    if (--m_pendingRows == 0)
        Q_EMIT refreshed();
}

void WorkspaceController::verify()
{
    if (!m_session)
        return;
    const quint64 gen = ++m_auditGeneration;
    const SessionPtr s = m_session;
    AuditOptions options;
    options.activityLogPath = m_options.activityLogPath;
    const QList<Finding> live = m_liveFindings;
    KeychainStore *keychain = &m_keychain;
    const bool useKeychain = m_options.useKeychain;
    deliverQueued(QtConcurrent::run(
                      &m_workPool,
                      [s, options, live, keychain, useKeychain]() {
                          // Every audit reads the profile, wrangler.jsonc, the start script and .dev.vars as
                          // they are now, not as they were when the profile was opened.
                          auto ws = Workspace::open(s->profilePath);
                          if (!ws)
                              return unreadableProfileReport(s->profilePath, ws.error());
                          const Session fresh(ws.value(), s->profilePath, keychain, useKeychain);
                          const IsolationAudit audit(fresh.workspace, fresh.resolver, fresh.factory, options);
                          AuditReport r = audit.run();
                          r.findings +=
                              live; // the last live check's (View > Verify live…), marked with its time
                          return r;
                      }),
                  this, [this, gen, s](const AuditReport &report) {
                      if (gen != m_auditGeneration || s != m_session)
                          return;
                      Q_EMIT auditReady(report);
                  });
}

void WorkspaceController::stamp(const EnvironmentNames &env, bool overwriteUnreadable,
                                const QString &confirmation)
{
    if (!m_session)
        return;
    const SessionPtr s = m_session;
    deliverQueued(QtConcurrent::run(&m_workPool,
                                    [s, env, overwriteUnreadable, confirmation]() -> Status {
                                        auto backend = s->factory.open(env, s->credentialsFor(env));
                                        if (!backend)
                                            return backend.error();
                                        return moltdesk::stampMarker(
                                            *backend.value(), env,
                                            StampOptions{.overwriteUnreadable = overwriteUnreadable,
                                                         .confirmation = confirmation});
                                    }),
                  this, [this, env, s](const Status &st) { Q_EMIT stamped(env, st, s); });
}

void WorkspaceController::browse(const EnvironmentNames &env)
{
    const quint64 gen = ++m_browseGeneration;
    if (!m_session)
        return;
    const SessionPtr s = m_session;
    deliverQueued(
        QtConcurrent::run(&m_workPool, [s, env]() { return s->factory.open(env, s->credentialsFor(env)); }),
        this, [this, gen, env, s](const Result<std::shared_ptr<StorageBackend>> &r) {
            if (gen != m_browseGeneration || s != m_session)
                return;
            Q_EMIT bucketOpened(env, r);
        });
}

} // namespace moltdesk
