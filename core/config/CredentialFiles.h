#pragma once

#include "Credentials.h"

namespace moltdesk {

// What an operator should do when the keychain refused, in words: QtKeychain passes on the secret
// service's raw D-Bus errors ("org.freedesktop.DBus.Error.ServiceUnknown: The name
// org.freedesktop.secrets was not provided by any .service files"), which say nothing to most people.
// `fallbackFile` is the .dev.vars file offered instead.
QString keychainAdvice(const QString &rawError, const QString &fallbackFile);

// Writes the R2 keys (and the account id, when given) into a wrangler dotenv file for
// CredentialResolver to find: created with mode 0600 before any byte is written, through a temporary
// file renamed into place; other variables already in the file are kept as they are. Refuses the
// profile itself and values that dotenv cannot hold literally. Never logs what it writes.
// Blocking file I/O: call it from a worker thread.
Status writeDevVars(const QString &path, const QString &profilePath, const Credentials &credentials);

} // namespace moltdesk
