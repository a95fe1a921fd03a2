// The `moltdesk-keychain` module: KeychainBackend over QtKeychain, loaded by KeychainModule on the
// keychain's first use.
#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

namespace moltdesk {

namespace {
QKeychain::Job *makeJob(const KeychainRequest &request)
{
    switch (request.operation) {
    case KeychainRequest::Operation::Read:
        return new QKeychain::ReadPasswordJob(request.service);
    case KeychainRequest::Operation::Write: {
        auto *job = new QKeychain::WritePasswordJob(request.service);
        job->setTextData(request.text);
        return job;
    }
    case KeychainRequest::Operation::Remove:
        return new QKeychain::DeletePasswordJob(request.service);
    }
    return nullptr;
}

KeychainAnswer answerOf(QKeychain::Job *job)
{
    if (job->error() == QKeychain::EntryNotFound)
        return {KeychainAnswer::Outcome::NotFound, {}, {}};
    if (job->error() != QKeychain::NoError)
        return {KeychainAnswer::Outcome::Failed, job->errorString(), {}};
    auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job);
    return {KeychainAnswer::Outcome::Ok, {}, read ? read->textData() : QString()};
}
} // namespace

class QtKeychainBackend : public QObject, public KeychainBackend
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID MOLTDESK_KEYCHAIN_BACKEND_IID)
    Q_INTERFACES(moltdesk::KeychainBackend)
public:
    QObject *start(const KeychainRequest &request, std::function<void(const KeychainAnswer &)> done) override
    {
        // The job is never deleted before QtKeychain says it finished: its backend (libsecret, D-Bus)
        // calls back into the job's private data when the keychain answers, however late, and a job
        // deleted earlier (at a timeout, or with its store) made that answer a use-after-free (SIGSEGV,
        // tst_keychain_late). So it has no parent and deletes itself on its answer, and the connection
        // uses the job as context, so nothing it touches can be gone.
        QKeychain::Job *job = makeJob(request);
        job->setAutoDelete(false);
        job->setKey(request.key);
        connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)](QKeychain::Job *) {
            done(answerOf(job));
            job->deleteLater();
        });
        job->start();
        return job;
    }
};

} // namespace moltdesk

#include "QtKeychainBackend.moc"
