#include "Credentials.h"

#include "DotEnv.h"
#include "Logging.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QTimer>

#ifdef MOLTDESK_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

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

KeychainStore::KeychainStore(QString service, QObject *parent, int timeoutMs)
    : QObject(parent), m_service(std::move(service)), m_timeoutMs(timeoutMs)
{}

KeychainStore::~KeychainStore()
{
#ifdef MOLTDESK_HAVE_KEYCHAIN
    // Jobs still waiting for the keychain outlive the store, unowned, until their answer deletes them.
    const auto jobs = findChildren<QKeychain::Job *>(Qt::FindDirectChildrenOnly);
    for (QKeychain::Job *job : jobs)
        job->setParent(nullptr);
#endif
}

bool KeychainStore::isCompiledIn() const
{
#ifdef MOLTDESK_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

QString KeychainStore::entryName(const QString &profilePath, const EnvironmentNames &env)
{
    return QFileInfo(profilePath).absoluteFilePath() + QStringLiteral("#") +
           (env.isLegacy() ? QStringLiteral("(legacy)") : env.environment);
}

#ifdef MOLTDESK_HAVE_KEYCHAIN
namespace {
// Runs a QtKeychain job in the store's thread and settles the promise once: on the job's answer
// or on the timeout, whichever comes first.
template <typename Job, typename Settle>
void runJob(Job *job, std::shared_ptr<QPromise<typename Settle::Value>> promise, Settle settle, int timeoutMs)
{
    // The job is never deleted before QtKeychain says it finished: its backend (libsecret, D-Bus) calls
    // back into the job's private data when the keychain answers, however late, and a job deleted at the
    // timeout (or with its store) made that answer a use-after-free (SIGSEGV, tst_keychain_late). So the
    // timeout only settles the future; the job deletes itself on its answer. Both connections use the
    // job as context, never the store or a dialog, so nothing they touch can be gone.
    auto settled = std::make_shared<bool>(false);
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, job, [=]() {
        if (*settled)
            return;
        *settled = true;
        promise->addResult(settle.timeout());
        promise->finish();
    });
    QObject::connect(job, &QKeychain::Job::finished, job, [=](QKeychain::Job *) {
        if (!*settled) {
            *settled = true;
            promise->addResult(settle(job));
            promise->finish();
        }
        job->deleteLater();
    });
    timer->start(timeoutMs);
    job->start();
}

struct ReadSettle
{
    using Value = Result<Credentials>;
    Value timeout() const
    {
        return makeError(ErrorKind::Local, QStringLiteral("the keychain did not answer in time"));
    }
    Value operator()(QKeychain::ReadPasswordJob *job) const
    {
        if (job->error() == QKeychain::EntryNotFound)
            return makeError(ErrorKind::NotFound, QStringLiteral("no keychain entry"));
        if (job->error() != QKeychain::NoError)
            return makeError(ErrorKind::Local, QStringLiteral("keychain unavailable: ") + job->errorString());
        const QJsonObject o = QJsonDocument::fromJson(job->textData().toUtf8()).object();
        return Credentials{o.value(QLatin1String("accessKeyId")).toString(),
                           o.value(QLatin1String("secretAccessKey")).toString(),
                           o.value(QLatin1String("accountId")).toString()};
    }
};

struct WriteSettle
{
    using Value = Status;
    Value timeout() const
    {
        return makeError(ErrorKind::Local, QStringLiteral("the keychain did not answer in time"));
    }
    Value operator()(QKeychain::Job *job) const
    {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            return makeError(ErrorKind::Local, QStringLiteral("keychain unavailable: ") + job->errorString());
        return success();
    }
};
} // namespace
#endif

QFuture<Result<Credentials>> KeychainStore::read(const QString &entry)
{
    auto promise = std::make_shared<QPromise<Result<Credentials>>>();
    promise->start();
    QFuture<Result<Credentials>> future = promise->future();
#ifdef MOLTDESK_HAVE_KEYCHAIN
    QMetaObject::invokeMethod(this, [this, promise, entry]() {
        auto *job = new QKeychain::ReadPasswordJob(m_service, this);
        job->setAutoDelete(false);
        job->setKey(entry);
        runJob(job, promise, ReadSettle{}, m_timeoutMs);
    });
#else
    promise->addResult(makeError(ErrorKind::Local, QStringLiteral("keychain support is not compiled in")));
    promise->finish();
#endif
    return future;
}

QFuture<Status> KeychainStore::write(const QString &entry, const Credentials &c)
{
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    QFuture<Status> future = promise->future();
#ifdef MOLTDESK_HAVE_KEYCHAIN
    const QByteArray blob = QJsonDocument(QJsonObject{{QStringLiteral("accessKeyId"), c.accessKeyId},
                                                      {QStringLiteral("secretAccessKey"), c.secretAccessKey},
                                                      {QStringLiteral("accountId"), c.accountId}})
                                .toJson(QJsonDocument::Compact);
    QMetaObject::invokeMethod(this, [this, promise, entry, blob]() {
        auto *job = new QKeychain::WritePasswordJob(m_service, this);
        job->setAutoDelete(false);
        job->setKey(entry);
        job->setTextData(QString::fromUtf8(blob));
        runJob(job, promise, WriteSettle{}, m_timeoutMs);
    });
#else
    Q_UNUSED(entry);
    Q_UNUSED(c);
    promise->addResult(makeError(ErrorKind::Local, QStringLiteral("keychain support is not compiled in")));
    promise->finish();
#endif
    return future;
}

QFuture<Status> KeychainStore::remove(const QString &entry)
{
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    QFuture<Status> future = promise->future();
#ifdef MOLTDESK_HAVE_KEYCHAIN
    QMetaObject::invokeMethod(this, [this, promise, entry]() {
        auto *job = new QKeychain::DeletePasswordJob(m_service, this);
        job->setAutoDelete(false);
        job->setKey(entry);
        runJob(job, promise, WriteSettle{}, m_timeoutMs);
    });
#else
    Q_UNUSED(entry);
    promise->addResult(makeError(ErrorKind::Local, QStringLiteral("keychain support is not compiled in")));
    promise->finish();
#endif
    return future;
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
