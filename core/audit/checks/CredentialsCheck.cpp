// The "credentials" check of the isolation audit: The credential matrix: each environment's keys reach its
// own bucket only.
#include "BuiltInChecks.h"
#include "CheckBase.h"
#include "ControlKeys.h"

#include <QRandomGenerator>

namespace moltdesk::checks {

namespace {

class CredentialsCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("credentials"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkCredentials();
    }

private:
    // ---- 4. credential scoping matrix ----

    void checkCredentials()
    {
        if (mountMode()) {
            add(Finding{.check = name(),
                        .severity = Severity::Ok,
                        .title = QStringLiteral("the credential matrix does not apply in mount mode"),
                        .evidence =
                            QStringLiteral("mount mode reads and writes the mounted directories and uses "
                                           "no credentials; the container's mount credentials are not "
                                           "visible from here")});
            return;
        }
        // Missing credentials, and one key for several environments.
        QMap<QString, QList<int>> byKey;
        for (int i = 0; i < envs().size(); ++i) {
            const AuditEnvironment &c = envs().at(i);
            if (!c.creds.complete())
                missingCredentials(c);
            else
                byKey[c.creds.credentials.accessKeyId].append(i);
        }
        for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
            if (it.value().size() >= 2)
                sharedKey(it.key(), it.value());
        }
        bool clean = true;
        for (int r = 0; r < envs().size(); ++r) {
            for (int col = 0; col < envs().size(); ++col) {
                if (cancel().isCancelled())
                    return;
                AccessCell cell = probe(r, col);
                clean = assessCell(cell, r, col) && clean;
                m_sink->addAccessCell(cell);
            }
        }
        if (clean)
            add(Finding{.check = name(),
                        .severity = Severity::Ok,
                        .title = QStringLiteral("each environment's credentials reach its own bucket only"),
                        .evidence =
                            QStringLiteral("%1 environments' credentials tried on %1 buckets%2: access on "
                                           "the diagonal only")
                                .arg(envs().size())
                                .arg(options().probeWrite ? QStringLiteral(" (list and write)")
                                                          : QStringLiteral(" (list)"))});
    }

    void missingCredentials(const AuditEnvironment &c)
    {
        add(Finding{
            .check = name(),
            .severity = Severity::NotChecked,
            .environment = c.display,
            .title =
                QStringLiteral("no credentials for %1: its row of the matrix is not tested").arg(c.display),
            .evidence = QStringLiteral("%1%2").arg(
                c.creds.describe(),
                c.creds.notes.isEmpty()
                    ? QString()
                    : QStringLiteral(" (") + c.creds.notes.join(QStringLiteral("; ")) + QLatin1Char(')')),
            .remedy = QStringLiteral("store an R2 token scoped to %1 only: moltctl credentials set %2, or "
                                     "R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY in .dev.vars.%2 next to the "
                                     "profile")
                          .arg(c.names.bucket, envArg(c.names))});
    }

    // One access key id configured for several environments (a failure when production is one).
    void sharedKey(const QString &keyId, const QList<int> &indices)
    {
        QStringList who;
        bool prod = false;
        for (int i : indices) {
            who << QStringLiteral("%1 (%2)").arg(envs().at(i).display, envs().at(i).creds.describe());
            prod = prod || envs().at(i).names.isProduction();
        }
        add(Finding{
            .check = name(),
            .severity = prod ? Severity::Failure : Severity::Warning,
            .title = QStringLiteral("access key %1 is configured for %2 environments")
                         .arg(keyId)
                         .arg(indices.size()),
            .evidence = QStringLiteral("the same access key id %1 is used by %2; one token for several "
                                       "environments can reach all of their buckets")
                            .arg(keyId, joinComma(who)),
            .remedy = QStringLiteral("create one R2 API token per environment, each limited to that "
                                     "environment's bucket, and store each under its own environment")});
    }

    AccessCell probe(int r, int col)
    {
        const AuditEnvironment &cred = envs().at(r);
        const AuditEnvironment &target = envs().at(col);
        AccessCell cell;
        cell.credentialsOf = cred.display;
        cell.bucket = target.names.bucket;
        cell.bucketOf = target.display;
        cell.expected = r == col;
        if (!cred.creds.complete()) {
            cell.detail = QStringLiteral("no credentials");
            return cell;
        }
        cell.accessKeyId = cred.creds.credentials.accessKeyId;
        auto b = factory().openBucket(target.names.bucket, target.names.mountPath, cred.creds);
        if (!b) {
            cell.access = AccessCell::Access::Error;
            cell.detail = b.error().message;
            return cell;
        }
        StorageBackend &backend = *b.value();
        QStringList notes;
        bool denied = false;
        bool errored = false;
        const auto classify = [&](const Error &e, const QString &what) {
            if (e.kind == ErrorKind::AccessDenied || e.kind == ErrorKind::Auth)
                denied = true;
            else
                errored = true;
            notes << QStringLiteral("%1: %2").arg(what, e.code.isEmpty() ? errorKindName(e.kind) : e.code);
        };
        const Status head = backend.headBucket().result();
        if (!head)
            classify(head.error(), QStringLiteral("head"));
        if (head || head.error().kind != ErrorKind::NotFound) {
            ListRequest req;
            req.maxKeys = 1;
            const auto l = backend.list(req, cancel()).result();
            if (l)
                cell.canList = true;
            else
                classify(l.error(), QStringLiteral("list"));
        }
        if (options().probeWrite && (head || head.error().kind != ErrorKind::NotFound)) {
            const QString key = QString::fromLatin1(kIsolationProbePrefix) +
                                QString::number(QRandomGenerator::global()->generate64(), 16);
            const auto put =
                backend.putBytes(key, QByteArrayLiteral("moltdesk isolation probe; safe to delete\n"))
                    .result();
            if (put) {
                cell.canWrite = true;
                const auto del = backend.remove({key}).result();
                if (!del || !del.value().failed.isEmpty())
                    m_sink->leftProbe(QStringLiteral("%1/%2 (written with %3's credentials)")
                                          .arg(target.names.bucket, key, cred.display));
            } else {
                classify(put.error(), QStringLiteral("write"));
            }
        }
        if (cell.canList || cell.canWrite)
            cell.access = AccessCell::Access::Allowed;
        else if (denied && !errored)
            cell.access = AccessCell::Access::Denied;
        else
            cell.access = AccessCell::Access::Error;
        QStringList can;
        if (cell.canList)
            can << QStringLiteral("list");
        if (cell.canWrite)
            can << QStringLiteral("write");
        cell.detail =
            (can.isEmpty() ? QString() : QStringLiteral("can ") + can.join(QStringLiteral(" and "))) +
            (notes.isEmpty() ? QString()
                             : (can.isEmpty() ? QString() : QStringLiteral("; ")) + joinComma(notes));
        if (!head && head.error().kind == ErrorKind::NotFound)
            cell.detail = QStringLiteral("no such bucket (%1)").arg(head.error().message);
        return cell;
    }

    // Adds the cell's finding when it is not what isolation expects; true when it is.
    bool assessCell(const AccessCell &cell, int r, int col)
    {
        const QString check = QStringLiteral("credentials");
        const AuditEnvironment &cred = envs().at(r);
        const AuditEnvironment &target = envs().at(col);
        if (cell.access == AccessCell::Access::NotTested)
            return false; // reported once as missing credentials: an untested cell is no pass
        if (r == col) {
            const bool needWrite = options().probeWrite;
            if (cell.canList && (!needWrite || cell.canWrite))
                return true;
            add(Finding{
                .check = check,
                .severity = Severity::Failure,
                .environment = cred.display,
                .title =
                    QStringLiteral("%1's credentials cannot %2 its own bucket %3: sync cannot work")
                        .arg(cred.display, cell.canList ? QStringLiteral("write") : QStringLiteral("list"),
                             cell.bucket),
                .evidence = QStringLiteral("access key %1 (%2) on %3: %4")
                                .arg(cell.accessKeyId, cred.creds.describe(), cell.bucket, cell.detail),
                .remedy = QStringLiteral(
                              "give the R2 token of %1 Object Read & Write on %2 (and create the bucket if "
                              "it does not exist)")
                              .arg(cred.display, cell.bucket)});
            return false;
        }
        if (cell.access == AccessCell::Access::Allowed) {
            const bool prod = involvesProduction({r, col});
            add(Finding{
                .check = check,
                .severity = prod ? Severity::Failure : Severity::Warning,
                .environment = cred.display,
                .title = QStringLiteral("%1's credentials REACH %2's bucket %3")
                             .arg(cred.display, target.display, cell.bucket),
                .evidence = QStringLiteral("access key %1 (%2) %3 %4, which belongs to %5")
                                .arg(cell.accessKeyId, cred.creds.describe(), cell.detail, cell.bucket,
                                     target.display),
                .remedy =
                    QStringLiteral(
                        "limit the R2 API token of %1 to bucket %2 only (Cloudflare dashboard: R2, Manage "
                        "API "
                        "tokens, "
                        "Object Read & Write, Specific buckets); permission changes take about a minute")
                        .arg(cred.display, cred.names.bucket)});
            return false;
        }
        if (cell.access == AccessCell::Access::Error) {
            add(Finding{
                .check = check,
                .severity = Severity::NotChecked,
                .environment = cred.display,
                .title =
                    QStringLiteral("could not test %1's credentials on %2").arg(cred.display, cell.bucket),
                .evidence =
                    QStringLiteral("access key %1 on %2: %3").arg(cell.accessKeyId, cell.bucket, cell.detail),
                .remedy = QStringLiteral(
                    "run the audit again; if it persists, check the endpoint and the network")});
            return false;
        }
        return true;
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeCredentialsCheck()
{
    return std::make_unique<CredentialsCheck>();
}

} // namespace moltdesk::checks
