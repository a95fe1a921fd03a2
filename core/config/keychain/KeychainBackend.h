#pragma once

#include <QObject>
#include <QString>
#include <QtPlugin>
#include <functional>

namespace moltdesk {

// One secret to read, write or delete under a service and a key.
struct KeychainRequest
{
    enum class Operation { Read, Write, Remove };
    Operation operation = Operation::Read;
    QString service;
    QString key;
    QString text; // what Write stores
};

// What the keychain answered, before the core gives it meaning.
struct KeychainAnswer
{
    enum class Outcome { Ok, NotFound, Failed };
    Outcome outcome = Outcome::Failed;
    QString error; // the keychain's own words when Failed
    QString text;  // what Read found
};

// The seam between the core and the `moltdesk-keychain` module, the only binary that links QtKeychain:
// its libraries (QtDBus, libdbus, libsystemd, gcrypt, ...) then cost nothing to a command that never
// touches the keychain. Only Qt types cross it, so the module needs nothing of the core.
class KeychainBackend
{
public:
    virtual ~KeychainBackend() = default;
    // Starts one job in the calling thread, whose event loop must run for the answer; `done` is called
    // once, in that thread, when the keychain answers, however late. Returns the job, alive at least
    // until then, so a caller can tie its own timeout to the job's lifetime.
    virtual QObject *start(const KeychainRequest &request,
                           std::function<void(const KeychainAnswer &)> done) = 0;
};

} // namespace moltdesk

#define MOLTDESK_KEYCHAIN_BACKEND_IID "org.moltdesk.KeychainBackend/1"
Q_DECLARE_INTERFACE(moltdesk::KeychainBackend, MOLTDESK_KEYCHAIN_BACKEND_IID)
