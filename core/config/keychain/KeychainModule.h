#pragma once

#include "KeychainBackend.h"
#include "Result.h"

#include <QStringList>

namespace moltdesk {

// Finds and loads the `moltdesk-keychain` module (KeychainBackend over QtKeychain). Loading it costs a
// no-op command most of its start-up (dozens of shared libraries mapped and relocated), so only the
// keychain's first use does; a command with --no-keychain, or one that needs no secret, never loads it.
class KeychainModule
{
public:
    static constexpr const char *kFileName = "moltdesk-keychain";

    // Where to look, in order: $MOLTDESK_KEYCHAIN_MODULE_DIR when set, then the installed library
    // folder relative to the program (<bindir>/../lib/moltdesk/keychain; in the build tree,
    // build/<preset>/app/lib/moltdesk/keychain mirrors it for app/moltctl and app/moltdesk).
    static QStringList defaultDirs();

    // The module's backend, loaded once per process and never unloaded (jobs may answer at any time).
    // A missing or broken module is an error in words, "keychain support not installed: ...".
    static Result<KeychainBackend *> load(const QStringList &dirs);
};

} // namespace moltdesk
