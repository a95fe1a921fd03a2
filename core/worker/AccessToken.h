#pragma once

#include "Credentials.h"

namespace moltdesk {

// A Cloudflare Access service token: the two headers a program sends instead of logging in.
// The secret is never printed, logged, written to a plain file, or sent anywhere but the worker.
struct AccessToken
{
    QString clientId;
    QString clientSecret;
    CredentialSource source = CredentialSource::None;
    QString sourceDetail; // file path or keychain entry; never the secret
    QStringList missing;  // CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET
    QStringList notes;

    bool complete() const { return !clientId.isEmpty() && !clientSecret.isEmpty(); }
    QString describe() const;
};

// Looks an environment's service token up in the same order as CredentialResolver does for R2 keys:
// the keychain (entry "<profile>#<env>#access"), `.dev.vars.<env>`, `.dev.vars`, the process
// environment; variables CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET. Blocking: call it from a
// worker thread.
class AccessTokenResolver
{
public:
    AccessTokenResolver(QString profilePath, KeychainStore *keychain, bool useKeychain = true);

    AccessToken resolve(const EnvironmentNames &env) const;
    static QString keychainEntry(const QString &profilePath, const EnvironmentNames &env);
    static const QStringList &variableNames();

private:
    QString m_profilePath;
    KeychainStore *m_keychain;
    bool m_useKeychain;
};

} // namespace moltdesk
