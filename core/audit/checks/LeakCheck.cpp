// The "leak" check of the isolation audit: No sensitive file is shared between environments.
#include "BuiltInChecks.h"
#include "CheckBase.h"

#include <QCryptographicHash>
#include <QSet>

namespace moltdesk::checks {

namespace {

struct Sensitive
{
    int env = 0;
    ObjectInfo info;
    QByteArray identity; // md5 hex, or "etag:<multipart etag>"
};

class LeakCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("leak"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkLeaks();
    }

private:
    // ---- 5. leaks ----

    Result<QList<ObjectInfo>> sensitiveObjects(StorageBackend &b)
    {
        QList<ObjectInfo> out;
        ListRequest root;
        root.delimiter = QStringLiteral("/");
        const auto top = b.list(root, cancel()).result();
        if (!top)
            return top.error();
        for (const ObjectInfo &o : top.value().objects) {
            if (isSensitiveKey(o.key))
                out.append(o);
        }
        // Only the few places secrets live are listed: the rest of a bucket (workspace, skills) may be
        // large and never needs reading here.
        QStringList prefixes;
        for (const QString &p : top.value().commonPrefixes) {
            if (p == QLatin1String("devices/") || p == QLatin1String("credentials/")) {
                prefixes << p;
                continue;
            }
            prefixes << p + QStringLiteral("devices/paired.json") << p + QStringLiteral("credentials/");
            if (p == QLatin1String("clawdbot/"))
                prefixes << QStringLiteral("clawdbot/clawdbot.json");
            if (p == QLatin1String("openclaw/"))
                prefixes << QStringLiteral("openclaw/openclaw.json");
        }
        for (const QString &p : std::as_const(prefixes)) {
            ListRequest req;
            req.prefix = p;
            const auto l = b.list(req, cancel()).result();
            if (!l)
                return l.error();
            for (const ObjectInfo &o : l.value().objects) {
                if (isSensitiveKey(o.key))
                    out.append(o);
            }
        }
        return out;
    }

    // Pairs of environments holding the same content, keyed by (lower, higher) environment index.
    struct Pair
    {
        QStringList files;
        bool allMigrated = true;
    };
    using Pairs = QMap<QPair<int, int>, Pair>;

    void checkLeaks()
    {
        QList<Sensitive> all;
        QStringList looked;
        for (int i = 0; i < envs().size(); ++i)
            collectSensitive(i, all, looked);
        const Pairs pairs = sharedPairs(candidates(all));
        for (auto it = pairs.cbegin(); it != pairs.cend(); ++it)
            reportPair(it.key().first, it.key().second, it.value());
        if (pairs.isEmpty() && !looked.isEmpty())
            add(Finding{.check = name(),
                        .severity = Severity::Ok,
                        .title = QStringLiteral("no sensitive file is shared between environments"),
                        .evidence = QStringLiteral("config, paired devices and credentials compared by size "
                                                   "and MD5 across %1 (%2 files)")
                                        .arg(joinComma(looked))
                                        .arg(all.size())});
    }

    // Environment i's sensitive files larger than trivial into `all`; its name into `looked` once listed.
    void collectSensitive(int i, QList<Sensitive> &all, QStringList &looked)
    {
        const AuditEnvironment &c = envs().at(i);
        if (!readable(i)) {
            bucketNotChecked(name(), c);
            return;
        }
        const auto objs = sensitiveObjects(*c.backend);
        if (!objs) {
            add(Finding{
                .check = name(),
                .severity = Severity::NotChecked,
                .environment = c.display,
                .title = QStringLiteral("cannot look for leaked files in %1").arg(c.names.bucket),
                .evidence = objs.error().message,
                .remedy = QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket)});
            return;
        }
        looked << c.display;
        for (const ObjectInfo &o : objs.value()) {
            if (o.size > kTrivialSize)
                all.append({i, o, {}});
        }
    }

    // Sizes first: only files whose size occurs in two environments can be identical; those are identified.
    QList<Sensitive> candidates(QList<Sensitive> &all)
    {
        QMap<qint64, QSet<int>> envsBySize;
        for (const Sensitive &s : std::as_const(all))
            envsBySize[s.info.size].insert(s.env);
        QList<Sensitive> out;
        for (Sensitive &s : all) {
            if (envsBySize.value(s.info.size).size() < 2)
                continue;
            if (!identify(s))
                continue;
            out.append(s);
        }
        return out;
    }

    Pairs sharedPairs(const QList<Sensitive> &candidates) const
    {
        Pairs pairs;
        for (int a = 0; a < candidates.size(); ++a) {
            for (int b = a + 1; b < candidates.size(); ++b) {
                const Sensitive &x = candidates.at(a);
                const Sensitive &y = candidates.at(b);
                if (x.env == y.env || x.identity != y.identity || x.info.size != y.info.size)
                    continue;
                const Sensitive &lo = x.env < y.env ? x : y;
                const Sensitive &hi = x.env < y.env ? y : x;
                // Migration copies the legacy bucket on purpose; its report says so.
                if (expectedByMigration(lo, hi))
                    continue;
                Pair &p = pairs[qMakePair(lo.env, hi.env)];
                p.files << QStringLiteral("%1 in %2 = %3 in %4 (%5 bytes, %6)")
                               .arg(lo.info.key, envs().at(lo.env).display, hi.info.key,
                                    envs().at(hi.env).display)
                               .arg(lo.info.size)
                               .arg(QString::fromLatin1(lo.identity.left(17)));
                p.allMigrated = p.allMigrated && envs().at(lo.env).migrated.contains(lo.info.key) &&
                                envs().at(hi.env).migrated.contains(hi.info.key);
            }
        }
        return pairs;
    }

    void reportPair(int a, int b, const Pair &pair)
    {
        const bool prod = involvesProduction({a, b});
        const AuditEnvironment &ea = envs().at(a);
        const AuditEnvironment &eb = envs().at(b);
        // The copy that does not belong is the one outside production, when there is one.
        const AuditEnvironment &victim = eb.names.isProduction() ? ea : eb;
        add(Finding{
            .check = name(),
            .severity = prod ? Severity::Failure : Severity::Warning,
            .title = QStringLiteral("%1 and %2 hold identical sensitive files").arg(ea.display, eb.display),
            .evidence =
                pair.files.join(QStringLiteral("; ")) +
                (pair.allMigrated ? QStringLiteral("; both were migrated from the legacy bucket, which "
                                                   "copied the same secrets into both")
                                  : QString()),
            .remedy =
                QStringLiteral("treat the copies in %1 (%2) as leaked: delete them there, pair the devices "
                               "again and rotate the tokens in its config, then find out how they were "
                               "copied (a sync or restore with the wrong environment, or a manual copy)")
                    .arg(victim.display, victim.names.bucket)});
    }

    bool expectedByMigration(const Sensitive &a, const Sensitive &b) const
    {
        const Sensitive *legacy = envs().at(a.env).names.isLegacy()   ? &a
                                  : envs().at(b.env).names.isLegacy() ? &b
                                                                      : nullptr;
        if (!legacy)
            return false;
        const Sensitive &other = legacy == &a ? b : a;
        const auto it = envs().at(other.env).migrated.constFind(other.info.key);
        return other.info.key == legacy->info.key && it != envs().at(other.env).migrated.constEnd() &&
               it->size == other.info.size &&
               (it->md5.isEmpty() || QByteArray("md5:") + it->md5 == other.identity);
    }

    // Gives s an identity: the MD5 from the listing, else the multipart ETag, else the MD5 of its bytes.
    bool identify(Sensitive &s)
    {
        QByteArray md5 = s.info.md5;
        if (md5.isEmpty() && !s.info.isMultipart())
            md5 = ObjectInfo::md5FromEtag(s.info.etag);
        if (!md5.isEmpty()) {
            s.identity = QByteArray("md5:") + md5.toLower();
            return true;
        }
        if (s.info.isMultipart()) {
            s.identity = QByteArray("etag:") + s.info.etag;
            return true;
        }
        if (s.info.size > kMaxHashedObject) {
            notChecked(QStringLiteral("leak"), envs().at(s.env).display,
                       QStringLiteral("%1 was not compared").arg(s.info.key),
                       QStringLiteral("it has no checksum in the listing and is larger than %1 bytes")
                           .arg(kMaxHashedObject),
                       QStringLiteral("compare it by hand with the other environments' copies"));
            return false;
        }
        const auto bytes = envs().at(s.env).backend->getBytes(s.info.key, s.info.size + 1).result();
        if (!bytes) {
            add(Finding{.check = QStringLiteral("leak"),
                        .severity = Severity::NotChecked,
                        .environment = envs().at(s.env).display,
                        .title = QStringLiteral("cannot read %1 to compare it").arg(s.info.key),
                        .evidence = bytes.error().message,
                        .remedy = QStringLiteral("run the audit again")});
            return false;
        }
        s.identity =
            QByteArray("md5:") + QCryptographicHash::hash(bytes.value(), QCryptographicHash::Md5).toHex();
        return true;
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeLeakCheck()
{
    return std::make_unique<LeakCheck>();
}

} // namespace moltdesk::checks
