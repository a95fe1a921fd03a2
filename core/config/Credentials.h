#pragma once

#include "BucketNaming.h"
#include "Result.h"

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QStringList>
#include <memory>
#include <vector>

namespace moltdesk {

class KeychainBackend;
struct KeychainRequest;

struct Credentials
{
    QString accessKeyId;
    QString secretAccessKey; // never printed, logged or written to a plain file by us
    QString accountId;

    bool hasKeys() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
};

enum class CredentialSource { None, NotNeeded, Keychain, DevVarsEnvironment, DevVars, ProcessEnvironment };
QString credentialSourceName(CredentialSource source);
// Where a secret came from, in the words of the status table and `moltctl status`: "keychain",
// ".dev.vars.production", "environment", or "missing <the variables not found>". Shared by the R2 keys
// and the Access service token, so both columns speak alike.
QString describeCredentialSource(CredentialSource source, const QString &sourceDetail,
                                 const QStringList &missing);

// Where an environment's credentials came from, what is missing (by name) and what the operator
// should know (e.g. "keychain unavailable: no D-Bus session"). Holds the secret, so never log it whole.
struct CredentialLookup
{
    Credentials credentials;
    CredentialSource source = CredentialSource::None;
    QString sourceDetail; // a file path, or the keychain entry name
    QStringList missing;  // variable names: R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY
    QStringList notes;

    bool complete() const { return source == CredentialSource::NotNeeded || credentials.hasKeys(); }
    QString describe() const; // "keychain", ".dev.vars.production", "missing R2_SECRET_ACCESS_KEY"
};

// The OS keychain through QtKeychain, which lives in the `moltdesk-keychain` module (KeychainModule),
// loaded on the first read, write or remove, never before: a command that needs no keychain does not
// pay for QtKeychain's libraries. The loading (a folder listing, dozens of libraries mapped) runs on a
// thread of its own, never this object's, which in the window is the UI thread; calls made meanwhile
// wait for it. A missing module answers every call with "keychain support not installed: ...". Jobs run in
// this object's thread, whose event loop delivers their answers, so callers on any thread get a future. It
// stays in the UI thread: QtKeychain queues every job of the process through one executor living in the first
// thread that used it. Unavailable keychains (no secret service, as in CI) answer quickly with an error; a
// slow one is given up after a timeout. Workers may block on read().result(), so the UI thread must never
// block on them, and they must not occupy Qt's global thread pool, which the raster paint engine waits on
// (MainWindow and Job have pools of their own: sharing the global one deadlocked the window in
// tst_gui_secrets).
class KeychainStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 5000;
    using ModuleLoader = Result<KeychainBackend *> (*)(const QStringList &dirs);
    // timeoutMs: how long a job may take before its future says the keychain did not answer.
    // moduleDirs: where to look for the module (KeychainModule::defaultDirs() when empty).
    // loadModule: KeychainModule::load when null (a test may watch where and how often it runs).
    explicit KeychainStore(QString service = QStringLiteral("moltdesk"), QObject *parent = nullptr,
                           int timeoutMs = kDefaultTimeoutMs, QStringList moduleDirs = {},
                           ModuleLoader loadModule = nullptr);
    ~KeychainStore() override;

    static QString entryName(const QString &profilePath, const EnvironmentNames &env);

    QFuture<Result<Credentials>> read(const QString &entry);
    QFuture<Status> write(const QString &entry, const Credentials &credentials);
    QFuture<Status> remove(const QString &entry);

    // Answers every call still waiting, and every later one, with "closing" (ErrorKind::Cancelled).
    // Answers come through this object's event loop; once it has stopped (a window joining its work
    // pool on the way out), a worker blocked on an answer would otherwise wait for ever, since even
    // the timeout is a timer of that loop. Any thread; the destructor closes too.
    void close();

private:
    class Pending;                          // what close() can answer
    template <typename Value> class Answer; // one call's answer, given once
    // The module's backend, loaded once on a thread of its own at the first call; the error stays for
    // later calls.
    QFuture<Result<KeychainBackend *>> backend();
    // Runs request in this object's thread once the backend is there; Settle turns the answer into Value.
    template <typename Settle>
    QFuture<typename Settle::Value> start(const KeychainRequest &request, Settle settle);
    // Keeps `pending` for close(); false once closed (the caller then answers it at once).
    bool enlist(const std::shared_ptr<Pending> &pending);

    QString m_service;
    int m_timeoutMs;
    QStringList m_moduleDirs;
    ModuleLoader m_loadModule;
    QFuture<Result<KeychainBackend *>> m_backend; // touched only in this object's thread
    QMutex m_waitingLock;                         // calls come from worker threads
    bool m_closed = false;
    std::vector<std::weak_ptr<Pending>> m_waiting;
};

// Looks an environment's credentials up in order: keychain, `.dev.vars.<env>`, `.dev.vars`
// (next to the profile), then the process environment.
class CredentialResolver
{
public:
    CredentialResolver(QString profilePath, KeychainStore *keychain, bool useKeychain = true);

    // Blocking; call from a worker thread (the keychain part runs in the store's thread).
    CredentialLookup resolve(const EnvironmentNames &env) const;

    static const QStringList &variableNames();
    // The wrangler dotenv files an environment's secrets are read from, in the order of the chain:
    // .dev.vars.<env> (not for legacy), then .dev.vars, next to the profile. R2 keys and the worker's
    // Access token (AccessTokenResolver) both follow it.
    static QStringList devVarsFiles(const QString &profilePath, const EnvironmentNames &env);

private:
    QString m_profilePath;
    KeychainStore *m_keychain;
    bool m_useKeychain;
};

} // namespace moltdesk
