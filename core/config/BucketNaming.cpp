#include "BucketNaming.h"

#include "Logging.h"

namespace moltdesk {

namespace {
constexpr int kMinBucket = 3;
constexpr int kMaxBucket = 63;
const QString kAllowed =
    QStringLiteral("lowercase letters a-z, digits 0-9 and hyphens, not starting or ending "
                   "with a hyphen");

bool isBucketChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-');
}

QString quoted(const QString &s)
{
    QString shown;
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    return QLatin1Char('"') + shown + QLatin1Char('"');
}
} // namespace

QString EnvironmentNames::displayName() const
{
    return isLegacy() ? QStringLiteral("(legacy)") : environment;
}

bool EnvironmentNames::isProduction() const
{
    return environment == QLatin1String("production") || environment == QLatin1String("prod");
}

BucketNaming::BucketNaming(NamingBases bases) : m_bases(std::move(bases)) {}

QString BucketNaming::bucketNameError(const QString &bucket)
{
    if (bucket.size() < kMinBucket || bucket.size() > kMaxBucket)
        return QStringLiteral("bucket name %1 is %2 characters long; R2 allows %3 to %4")
            .arg(quoted(bucket))
            .arg(bucket.size())
            .arg(kMinBucket)
            .arg(kMaxBucket);
    for (QChar c : bucket) {
        if (!isBucketChar(c))
            return QStringLiteral("bucket name %1 contains %2; R2 allows only %3")
                .arg(quoted(bucket), quoted(QString(c)), kAllowed);
    }
    if (bucket.startsWith(QLatin1Char('-')) || bucket.endsWith(QLatin1Char('-')))
        return QStringLiteral("bucket name %1 starts or ends with a hyphen; R2 allows only %2")
            .arg(quoted(bucket), kAllowed);
    return {};
}

QString BucketNaming::validationError(const QString &environment) const
{
    if (environment.isEmpty())
        return {}; // legacy
    for (QChar c : environment) {
        if (!isBucketChar(c)) {
            QString why = c.isUpper()   ? QStringLiteral("an uppercase letter")
                          : c.isSpace() ? QStringLiteral("white space")
                          : (c == QLatin1Char('/') || c == QLatin1Char('.'))
                              ? QStringLiteral("a path character")
                              : QStringLiteral("the character %1").arg(quoted(QString(c)));
            return QStringLiteral("environment name %1 contains %2; allowed are %3")
                .arg(quoted(environment), why, kAllowed);
        }
    }
    if (environment.startsWith(QLatin1Char('-')) || environment.endsWith(QLatin1Char('-')))
        return QStringLiteral("environment name %1 starts or ends with a hyphen; allowed are %2")
            .arg(quoted(environment), kAllowed);
    const QString bucket = m_bases.bucketBase + QLatin1Char('-') + environment;
    if (bucket.size() > kMaxBucket)
        return QStringLiteral(
                   "environment name %1 is too long: bucket %2 would have %3 characters, R2 allows at "
                   "most %4, so an environment name may have at most %5 characters, using %6")
            .arg(quoted(environment.left(20) + QStringLiteral("…")),
                 quoted(bucket.left(24) + QStringLiteral("…")))
            .arg(bucket.size())
            .arg(kMaxBucket)
            .arg(kMaxBucket - m_bases.bucketBase.size() - 1)
            .arg(kAllowed);
    return bucketNameError(bucket);
}

Status BucketNaming::validateBases() const
{
    if (const QString e = bucketNameError(m_bases.bucketBase); !e.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("naming.bucketBase: ") + e);
    if (!m_bases.mountBase.startsWith(QLatin1Char('/')) ||
        m_bases.mountBase.contains(QLatin1String("/../")) ||
        m_bases.mountBase.endsWith(QLatin1String("/..")) || m_bases.mountBase.size() < 2 ||
        m_bases.mountBase.endsWith(QLatin1Char('/')))
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("naming.mountBase %1 must be an absolute path without \"..\" and without "
                           "a trailing slash, like \"/data/moltbot\"")
                .arg(quoted(m_bases.mountBase)));
    if (m_bases.instanceBase.isEmpty() ||
        !bucketNameError(m_bases.instanceBase + QStringLiteral("-x")).isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("naming.instanceBase %1 must use only %2")
                                                      .arg(quoted(m_bases.instanceBase), kAllowed));
    return success();
}

EnvironmentNames BucketNaming::legacy() const
{
    return EnvironmentNames{QString(), m_bases.bucketBase, m_bases.mountBase, m_bases.instanceBase};
}

Result<EnvironmentNames> BucketNaming::resolve(const QString &environment) const
{
    if (environment.isEmpty())
        return legacy();
    if (const QString e = validationError(environment); !e.isEmpty()) {
        qCDebug(lcNaming) << "refused environment name:" << e;
        return makeError(ErrorKind::InvalidInput, e);
    }
    const QString suffix = QLatin1Char('-') + environment;
    return EnvironmentNames{environment, m_bases.bucketBase + suffix, m_bases.mountBase + suffix,
                            m_bases.instanceBase + suffix};
}

} // namespace moltdesk
