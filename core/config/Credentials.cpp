#include "Credentials.h"

#include "DotEnv.h"
#include "KeychainModule.h"
#include "Logging.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QTimer>
#include <thread>

namespace moltdesk {

namespace {
const QString kKeyId = QStringLiteral("R2_ACCESS_KEY_ID");
const QString kSecret = QStringLiteral("R2_SECRET_ACCESS_KEY");
const QString kAccount = QStringLiteral("CF_ACCOUNT_ID");

Credentials fromMap(const QMap<QString, QString> &m)
{
    return Credentials{m.value(kKeyId).trimmed(), m.value(kSecret).trimmed(), m.value(kAccount).trimmed()};
}

QStringList missingIn(const Credentials &c)
{
    QStringList out;
    if (c.accessKeyId.isEmpty())
        out << kKeyId;
    if (c.secretAccessKey.isEmpty())
        out << kSecret;
    return out;
}
} // namespace

QString credentialSourceName(CredentialSource source)
{
    switch (source) {
    case CredentialSource::None:
        return QStringLiteral("none");
    case CredentialSource::NotNeeded:
        return QStringLiteral("not needed");
    case CredentialSource::Keychain:
        return QStringLiteral("keychain");
    case CredentialSource::DevVarsEnvironment:
        return QStringLiteral("dev-vars-env");
    case CredentialSource::DevVars:
        return QStringLiteral("dev-vars");
    case CredentialSource::ProcessEnvironment:
        return QStringLiteral("environment");
    }
    return {};
}

QString describeCredentialSource(CredentialSource source, const QString &sourceDetail,
                                 const QStringList &missing)
{
    switch (source) {
    case CredentialSource::NotNeeded:
        return QStringLiteral("not needed (mount)");
    case CredentialSource::Keychain:
        return QStringLiteral("keychain");
    case CredentialSource::DevVarsEnvironment:
    case CredentialSource::DevVars:
        return QFileInfo(sourceDetail).fileName();
    case CredentialSource::ProcessEnvironment:
        return QStringLiteral("environment");
    case CredentialSource::None:
        break;
    }
    return QStringLiteral("missing ") + missing.join(QStringLiteral(", "));
}

QString CredentialLookup::describe() const
{
    return describeCredentialSource(source, sourceDetail, missing);
}

KeychainStore::KeychainStore(QString service, QObject *parent, int timeoutMs, QStringList moduleDirs,
                             ModuleLoader loadModule)
    : QObject(parent), m_service(std::move(service)), m_timeoutMs(timeoutMs),
      m_moduleDirs(moduleDirs.isEmpty() ? KeychainModule::defaultDirs() : std::move(moduleDirs)),
      m_loadModule(loadModule ? loadModule : &KeychainModule::load)
{}

// Jobs still waiting for the keychain are not ours: each deletes itself on its answer (KeychainBackend).
// Their callers are answered here: the calls queued to this object die with it, unanswered.
KeychainStore::~KeychainStore()
{
    close();
}

QString KeychainStore::entryName(const QString &profilePath, const EnvironmentNames &env)
{
    return QFileInfo(profilePath).absoluteFilePath() + QStringLiteral("#") +
           (env.isLegacy() ? QStringLiteral("(legacy)") : env.environment);
}

namespace {
// Loads the module on a thread of its own. Not on a pool: workers block on the store's answers, and
// with every thread of a pool so blocked the loading would wait behind them for ever (moltctl hung in
// tst_badinput when it ran on Qt's global pool). The module's root object has no events of its own
// (each job lives in the thread that starts it), so where it was made does not matter.
QFuture<Result<KeychainBackend *>> loadAside(KeychainStore::ModuleLoader load, const QStringList &dirs)
{
    auto promise = std::make_shared<QPromise<Result<KeychainBackend *>>>();
    promise->start();
    // Detached: nothing is left to delete when it ends, even in a program that quits right after the
    // answer (a QThread's deleteLater would then never run: a leak, and a failure under LeakSanitizer).
    std::thread([promise, load, dirs]() {
        promise->addResult(load(dirs));
        promise->finish();
    }).detach();
    return promise->future();
}
} // namespace

QFuture<Result<KeychainBackend *>> KeychainStore::backend()
{
    if (!m_backend.isValid())
        m_backend = loadAside(m_loadModule, m_moduleDirs);
    return m_backend;
}

namespace {
// Runs a keychain job in the store's thread and gives the answer: the keychain's or the timeout's,
// whichever comes first (or close()'s, before either). The timer belongs to the job, which outlives the
// store until its answer.
template <typename Settle, typename Answer>
void runJob(KeychainBackend &backend, const KeychainRequest &request, std::shared_ptr<Answer> answer,
            Settle settle, int timeoutMs)
{
    QObject *job = backend.start(request, [=](const KeychainAnswer &reply) { answer->give(settle(reply)); });
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, job, [=]() { answer->give(settle.timeout()); });
    timer->start(timeoutMs);
}

// Calls `ready` with the future's result in context's thread once it is there. Any number of calls may
// wait on one future, unlike QFuture::then: a future has one continuation, and a second then() replaced
// the first, whose caller was never answered (calls made while the module loads).
template <typename T, typename Ready> void whenReady(const QFuture<T> &future, QObject *context, Ready ready)
{
    if (future.isFinished()) {
        ready(future.result());
        return;
    }
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, ready]() {
        ready(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(future);
}

Error keychainTimeout()
{
    return makeError(ErrorKind::Local, QStringLiteral("the keychain did not answer in time"));
}

Error keychainClosed()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("closing: the keychain's answer was not awaited"));
}

Error keychainFailure(const KeychainAnswer &answer)
{
    return makeError(ErrorKind::Local, QStringLiteral("keychain unavailable: ") + answer.error);
}

struct ReadSettle
{
    using Value = Result<Credentials>;
    Value timeout() const { return keychainTimeout(); }
    Value operator()(const KeychainAnswer &answer) const
    {
        if (answer.outcome == KeychainAnswer::Outcome::NotFound)
            return makeError(ErrorKind::NotFound, QStringLiteral("no keychain entry"));
        if (answer.outcome == KeychainAnswer::Outcome::Failed)
            return keychainFailure(answer);
        const QJsonObject o = QJsonDocument::fromJson(answer.text.toUtf8()).object();
        return Credentials{o.value(QLatin1String("accessKeyId")).toString(),
                           o.value(QLatin1String("secretAccessKey")).toString(),
                           o.value(QLatin1String("accountId")).toString()};
    }
};

// Writing and removing: an entry already gone is what a removal wanted.
struct WriteSettle
{
    using Value = Status;
    Value timeout() const { return keychainTimeout(); }
    Value operator()(const KeychainAnswer &answer) const
    {
        if (answer.outcome == KeychainAnswer::Outcome::Failed)
            return keychainFailure(answer);
        return success();
    }
};

} // namespace

class KeychainStore::Pending
{
public:
    virtual ~Pending() = default;
    virtual void close() = 0;
};

// Given from the store's thread (the keychain, the timeout) or from close()'s, whichever is first.
template <typename Value> class KeychainStore::Answer final : public KeychainStore::Pending
{
public:
    Answer() { m_promise.start(); }
    QFuture<Value> future() { return m_promise.future(); }
    bool given() const
    {
        const QMutexLocker lock(&m_lock);
        return m_given;
    }
    void give(Value value)
    {
        const QMutexLocker lock(&m_lock);
        if (m_given)
            return;
        m_given = true;
        m_promise.addResult(std::move(value));
        m_promise.finish();
    }
    void close() override { give(keychainClosed()); }

private:
    mutable QMutex m_lock;
    bool m_given = false;
    QPromise<Value> m_promise;
};

bool KeychainStore::enlist(const std::shared_ptr<Pending> &pending)
{
    const QMutexLocker lock(&m_waitingLock);
    if (m_closed)
        return false;
    std::erase_if(m_waiting, [](const std::weak_ptr<Pending> &p) { return p.expired(); });
    m_waiting.push_back(pending);
    return true;
}

void KeychainStore::close()
{
    std::vector<std::weak_ptr<Pending>> waiting;
    {
        const QMutexLocker lock(&m_waitingLock);
        m_closed = true;
        waiting.swap(m_waiting);
    }
    for (const std::weak_ptr<Pending> &p : waiting)
        if (const std::shared_ptr<Pending> pending = p.lock())
            pending->close();
}

template <typename Settle>
QFuture<typename Settle::Value> KeychainStore::start(const KeychainRequest &request, Settle settle)
{
    auto answer = std::make_shared<Answer<typename Settle::Value>>();
    if (!enlist(answer)) {
        answer->close();
        return answer->future();
    }
    QMetaObject::invokeMethod(this, [this, answer, request, settle]() {
        whenReady(backend(), this, [this, answer, request, settle](const Result<KeychainBackend *> &b) {
            if (answer->given()) // closed meanwhile: nobody waits for the keychain any more
                return;
            if (!b) {
                answer->give(b.error());
                return;
            }
            runJob(*b.value(), request, answer, settle, m_timeoutMs);
        });
    });
    return answer->future();
}

QFuture<Result<Credentials>> KeychainStore::read(const QString &entry)
{
    return start(KeychainRequest{KeychainRequest::Operation::Read, m_service, entry, {}}, ReadSettle{});
}

QFuture<Status> KeychainStore::write(const QString &entry, const Credentials &c)
{
    const QByteArray blob = QJsonDocument(QJsonObject{{QStringLiteral("accessKeyId"), c.accessKeyId},
                                                      {QStringLiteral("secretAccessKey"), c.secretAccessKey},
                                                      {QStringLiteral("accountId"), c.accountId}})
                                .toJson(QJsonDocument::Compact);
    return start(
        KeychainRequest{KeychainRequest::Operation::Write, m_service, entry, QString::fromUtf8(blob)},
        WriteSettle{});
}

QFuture<Status> KeychainStore::remove(const QString &entry)
{
    return start(KeychainRequest{KeychainRequest::Operation::Remove, m_service, entry, {}}, WriteSettle{});
}

CredentialResolver::CredentialResolver(QString profilePath, KeychainStore *keychain, bool useKeychain)
    : m_profilePath(std::move(profilePath)), m_keychain(keychain), m_useKeychain(useKeychain)
{}

QStringList CredentialResolver::devVarsFiles(const QString &profilePath, const EnvironmentNames &env)
{
    const QString dir = QFileInfo(profilePath).absolutePath();
    QStringList files;
    if (!env.isLegacy())
        files << dir + QStringLiteral("/.dev.vars.") + env.environment;
    files << dir + QStringLiteral("/.dev.vars");
    return files;
}

const QStringList &CredentialResolver::variableNames()
{
    static const QStringList names{kKeyId, kSecret, kAccount};
    return names;
}

CredentialLookup CredentialResolver::resolve(const EnvironmentNames &env) const
{
    CredentialLookup out;
    Credentials partial;
    if (m_useKeychain && m_keychain) {
        auto r = m_keychain->read(KeychainStore::entryName(m_profilePath, env)).result();
        if (r.ok() && r.value().hasKeys()) {
            out.credentials = r.value();
            out.source = CredentialSource::Keychain;
            out.sourceDetail = KeychainStore::entryName(m_profilePath, env);
            return out;
        }
        if (!r.ok() && r.error().kind != ErrorKind::NotFound)
            out.notes << r.error().message +
                             QStringLiteral("; using .dev.vars files or the environment instead");
    }
    const QStringList files = devVarsFiles(m_profilePath, env);
    for (const QString &file : files) {
        if (!QFileInfo::exists(file))
            continue;
        auto vars = DotEnv::load(file);
        if (!vars) {
            out.notes << vars.error().message;
            continue;
        }
        const Credentials c = fromMap(vars.value());
        if (partial.accountId.isEmpty())
            partial.accountId = c.accountId;
        if (c.hasKeys()) {
            out.credentials = c;
            if (out.credentials.accountId.isEmpty())
                out.credentials.accountId = partial.accountId;
            out.source = file.endsWith(QLatin1String("/.dev.vars")) ? CredentialSource::DevVars
                                                                    : CredentialSource::DevVarsEnvironment;
            out.sourceDetail = file;
            return out;
        }
        if (!c.accessKeyId.isEmpty() || !c.secretAccessKey.isEmpty())
            out.notes << QStringLiteral("%1 sets only part of the keys (missing %2)")
                             .arg(QFileInfo(file).fileName(), missingIn(c).join(QStringLiteral(", ")));
    }
    const Credentials fromEnv{qEnvironmentVariable("R2_ACCESS_KEY_ID").trimmed(),
                              qEnvironmentVariable("R2_SECRET_ACCESS_KEY").trimmed(),
                              qEnvironmentVariable("CF_ACCOUNT_ID").trimmed()};
    if (fromEnv.hasKeys()) {
        out.credentials = fromEnv;
        if (out.credentials.accountId.isEmpty())
            out.credentials.accountId = partial.accountId;
        out.source = CredentialSource::ProcessEnvironment;
        return out;
    }
    out.credentials.accountId = partial.accountId.isEmpty() ? fromEnv.accountId : partial.accountId;
    out.missing = missingIn(fromEnv.accessKeyId.isEmpty() && fromEnv.secretAccessKey.isEmpty() ? Credentials{}
                                                                                               : fromEnv);
    qCDebug(lcCredentials) << "no complete credentials for" << env.displayName() << "missing" << out.missing;
    return out;
}

} // namespace moltdesk
