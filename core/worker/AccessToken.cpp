#include "AccessToken.h"

#include "DotEnv.h"
#include "WorkerLogging.h"

#include <QFileInfo>

namespace moltdesk {

namespace {
const QString kId = QStringLiteral("CF_ACCESS_CLIENT_ID");
const QString kSecret = QStringLiteral("CF_ACCESS_CLIENT_SECRET");

QStringList missingOf(const QString &id, const QString &secret)
{
    QStringList out;
    if (id.isEmpty())
        out << kId;
    if (secret.isEmpty())
        out << kSecret;
    return out;
}
} // namespace

QString AccessToken::describe() const
{
    return describeCredentialSource(source, sourceDetail, missing);
}

AccessTokenResolver::AccessTokenResolver(QString profilePath, KeychainStore *keychain, bool useKeychain)
    : m_profilePath(std::move(profilePath)), m_keychain(keychain), m_useKeychain(useKeychain)
{}

const QStringList &AccessTokenResolver::variableNames()
{
    static const QStringList names{kId, kSecret};
    return names;
}

QString AccessTokenResolver::keychainEntry(const QString &profilePath, const EnvironmentNames &env)
{
    return KeychainStore::entryName(profilePath, env) + QStringLiteral("#access");
}

AccessToken AccessTokenResolver::resolve(const EnvironmentNames &env) const
{
    AccessToken out;
    if (m_useKeychain && m_keychain) {
        // Stored like R2 keys: the client id as "accessKeyId", the client secret as "secretAccessKey".
        auto r = m_keychain->read(keychainEntry(m_profilePath, env)).result();
        if (r.ok() && r.value().hasKeys()) {
            out.clientId = r.value().accessKeyId;
            out.clientSecret = r.value().secretAccessKey;
            out.source = CredentialSource::Keychain;
            out.sourceDetail = keychainEntry(m_profilePath, env);
            return out;
        }
        if (!r.ok() && r.error().kind != ErrorKind::NotFound)
            out.notes << r.error().message +
                             QStringLiteral("; using .dev.vars files or the environment instead");
    }
    const QStringList files = CredentialResolver::devVarsFiles(m_profilePath, env);
    for (const QString &file : files) {
        if (!QFileInfo::exists(file))
            continue;
        auto vars = DotEnv::load(file);
        if (!vars) {
            out.notes << vars.error().message;
            continue;
        }
        const QString id = vars.value().value(kId).trimmed();
        const QString secret = vars.value().value(kSecret).trimmed();
        if (!id.isEmpty() && !secret.isEmpty()) {
            out.clientId = id;
            out.clientSecret = secret;
            out.source = file.endsWith(QLatin1String("/.dev.vars")) ? CredentialSource::DevVars
                                                                    : CredentialSource::DevVarsEnvironment;
            out.sourceDetail = file;
            return out;
        }
        if (!id.isEmpty() || !secret.isEmpty())
            out.notes << QStringLiteral("%1 sets only part of the service token (missing %2)")
                             .arg(QFileInfo(file).fileName(),
                                  missingOf(id, secret).join(QStringLiteral(", ")));
    }
    const QString id = qEnvironmentVariable("CF_ACCESS_CLIENT_ID").trimmed();
    const QString secret = qEnvironmentVariable("CF_ACCESS_CLIENT_SECRET").trimmed();
    if (!id.isEmpty() && !secret.isEmpty()) {
        out.clientId = id;
        out.clientSecret = secret;
        out.source = CredentialSource::ProcessEnvironment;
        return out;
    }
    out.missing = missingOf(id, secret);
    qCDebug(lcWorker) << "no Access service token for" << env.displayName() << "missing" << out.missing;
    return out;
}

} // namespace moltdesk
