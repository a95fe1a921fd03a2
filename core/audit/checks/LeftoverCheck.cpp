// The "leftover" check of the isolation audit: Legacy data: migrated, and still held by the targets.
#include "ActivityLog.h"
#include "BuiltInChecks.h"
#include "CheckBase.h"
#include "ControlKeys.h"
#include "MigrationReport.h"

#include <QCryptographicHash>
#include <QSet>

namespace moltdesk::checks {

namespace {

class LeftoverCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("leftover"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        m_gone.clear();
        m_missing.clear();
        m_unlistedTargets.clear();
        findGoneMigrations();
        checkLeftovers();
    }

private:
    // ---- 6b. leftovers in the legacy bucket ----

    // The legacy environment's index, or -1 when the profile leaves it out.
    int legacyIndex() const
    {
        int li = -1;
        for (int i = 0; i < envs().size(); ++i) {
            if (envs().at(i).names.isLegacy())
                li = i;
        }
        return li;
    }

    void checkLeftovers()
    {
        const int li = legacyIndex();
        if (li < 0) {
            add(Finding{.check = name(),
                        .severity = Severity::Ok,
                        .title = QStringLiteral("the legacy bucket is not part of this profile"),
                        .evidence = QStringLiteral("\"includeLegacy\" is false, so %1 was not checked for "
                                                   "unmigrated data")
                                        .arg(ws().naming().legacy().bucket)});
            return;
        }
        if (!readable(li)) {
            bucketNotChecked(name(), envs().at(li));
            return;
        }
        const AuditEnvironment &legacy = envs().at(li);
        const auto listing = legacy.backend->list(ListRequest{}, cancel()).result();
        if (!listing) {
            add(Finding{
                .check = name(),
                .severity = Severity::NotChecked,
                .environment = legacy.display,
                .title = QStringLiteral("cannot list the legacy bucket"),
                .evidence = listing.error().message,
                .remedy =
                    QStringLiteral("check access to %1 and run the audit again").arg(legacy.names.bucket)});
            return;
        }
        QList<ObjectInfo> data;
        for (const ObjectInfo &o : listing.value().objects) {
            if (!isControlKey(o.key))
                data.append(o);
        }
        if (data.isEmpty()) {
            add(Finding{.check = name(),
                        .severity = Severity::Ok,
                        .environment = legacy.display,
                        .title = QStringLiteral("the legacy bucket holds no data"),
                        .evidence =
                            QStringLiteral("%1 is empty (control files aside)").arg(legacy.names.bucket)});
            return;
        }
        judgeLegacyData(legacy, data);
    }

    // The legacy bucket's data against the migration reports: all migrated, or what is left.
    void judgeLegacyData(const AuditEnvironment &legacy, const QList<ObjectInfo> &data)
    {
        const Coverage cov = classify(legacy, data);
        const bool targetsIntact = reportGoneObjects();
        int withReport = 0;
        QStringList reportEnvs;
        for (const AuditEnvironment &c : envs()) {
            if (c.hasReport) {
                ++withReport;
                reportEnvs << c.display;
            }
        }
        if (cov.never.isEmpty() && cov.changed.isEmpty()) {
            if (targetsIntact)
                add(Finding{.check = name(),
                            .severity = Severity::Ok,
                            .environment = legacy.display,
                            .title = QStringLiteral("all legacy data was migrated"),
                            .evidence =
                                QStringLiteral("all %1 objects in %2 are listed, unchanged, in the "
                                               "migration report of %3, and %3 still holds each with the "
                                               "recorded checksum")
                                    .arg(data.size())
                                    .arg(legacy.names.bucket, joinComma(reportEnvs))});
            return;
        }
        QStringList named;
        const QString target = migrateTarget(cov.coveredBy, named);
        const QString cmd = target.isEmpty() ? QString() : QStringLiteral("moltctl migrate %1").arg(target);
        reportLeftovers(legacy, cov, named, cmd, withReport);
    }

    // How the legacy bucket's objects stand against the migration reports.
    struct Coverage
    {
        QStringList never, changed;
        qint64 neverBytes = 0;
        QMap<int, int> coveredBy; // env index -> objects its report covers (and its bucket still holds)
    };

    Coverage classify(const AuditEnvironment &legacy, const QList<ObjectInfo> &data) const
    {
        Coverage cov;
        for (const ObjectInfo &o : std::as_const(data)) {
            bool listed = false;
            bool same = false;
            for (int i = 0; i < envs().size() && !same; ++i) {
                const auto it = envs().at(i).migrated.constFind(o.key);
                if (it == envs().at(i).migrated.constEnd())
                    continue;
                listed = true;
                if (it->size != o.size)
                    continue;
                if (!it->md5.isEmpty()) {
                    // Mount mode lists no checksums: hash only what has the size the report recorded.
                    const QByteArray md5 = md5Of(*legacy.backend, o);
                    if (!md5.isEmpty() && md5 != it->md5)
                        continue;
                }
                if (m_gone.value(i).contains(o.key))
                    continue; // migrated, but the target no longer holds it
                same = true;
                ++cov.coveredBy[i];
            }
            if (!listed) {
                cov.never << o.key;
                cov.neverBytes += o.size;
            } else if (!same && !goneFromAll(o.key)) {
                cov.changed << o.key;
            }
        }
        return cov;
    }

    // Which environment to migrate into: the one that already started, else production, else the only
    // one; `named` gets every named environment.
    QString migrateTarget(const QMap<int, int> &coveredBy, QStringList &named) const
    {
        QString target;
        int best = 0;
        for (auto it = coveredBy.cbegin(); it != coveredBy.cend(); ++it) {
            if (it.value() > best) {
                best = it.value();
                target = envArg(envs().at(it.key()).names);
            }
        }
        for (const AuditEnvironment &c : envs()) {
            if (c.names.isLegacy())
                continue;
            named << c.names.environment;
            if (target.isEmpty() && c.names.isProduction())
                target = c.names.environment;
        }
        if (target.isEmpty() && named.size() == 1)
            target = named.first();
        return target;
    }

    void reportLeftovers(const AuditEnvironment &legacy, const Coverage &cov, const QStringList &named,
                         const QString &cmd, int withReport)
    {
        const QString check = QStringLiteral("leftover");
        const auto examples = [](const QStringList &keys) -> QString {
            QStringList shown = keys.mid(0, 5);
            return shown.join(QStringLiteral(", ")) + (keys.size() > 5 ? QStringLiteral(", …") : QString());
        };
        if (!cov.never.isEmpty())
            add(Finding{
                .check = check,
                .severity = Severity::Warning,
                .environment = legacy.display,
                .title = QStringLiteral("the legacy bucket still holds %1 objects never migrated")
                             .arg(cov.never.size()),
                .evidence =
                    QStringLiteral("%1 holds %2 objects (%3 bytes) that no environment's %4 lists%5: %6")
                        .arg(legacy.names.bucket)
                        .arg(cov.never.size())
                        .arg(cov.neverBytes)
                        .arg(QString::fromLatin1(MigrationReport::kKey),
                             withReport == 0 ? QStringLiteral(" (no environment has a migration report)")
                                             : QString(),
                             examples(cov.never)),
                .remedy = QStringLiteral(
                              "migrate the legacy data into the environment it belongs to: moltctl migrate "
                              "<%1>; the legacy "
                              "bucket is never modified")
                              .arg(named.join(QLatin1Char('|'))),
                .fixCommand = cmd});
        if (!cov.changed.isEmpty())
            add(Finding{
                .check = check,
                .severity = Severity::Warning,
                .environment = legacy.display,
                .title = QStringLiteral("%1 legacy objects changed since they were migrated")
                             .arg(cov.changed.size()),
                .evidence = QStringLiteral("%1 differs in size or MD5 from the migration report: %2")
                                .arg(legacy.names.bucket, examples(cov.changed)),
                .remedy = QStringLiteral(
                    "something still writes the legacy bucket (an old worker without ENVIRONMENT?); stop it, "
                    "decide which copy is current, then migrate again"),
                .fixCommand = cmd});
    }

    // An object's MD5 (lower-case hex): from the listing, else by reading it (up to kMaxHashedObject);
    // empty when neither tells (multipart, too large, unreadable).
    QByteArray md5Of(StorageBackend &b, const ObjectInfo &o) const
    {
        QByteArray md5 = o.md5.isEmpty() && !o.isMultipart() ? ObjectInfo::md5FromEtag(o.etag) : o.md5;
        if (md5.isEmpty() && !o.isMultipart() && o.size <= kMaxHashedObject) {
            const auto bytes = b.getBytes(o.key, o.size + 1).result();
            if (bytes)
                md5 = QCryptographicHash::hash(bytes.value(), QCryptographicHash::Md5).toHex();
        }
        return md5.toLower();
    }

    // ---- migration: do the targets still hold what was migrated into them? ----

    // Lists every environment with a migration report and notes, per environment, the migrated keys
    // its bucket no longer holds with the recorded size and checksum.
    void findGoneMigrations()
    {
        for (int i = 0; i < envs().size(); ++i) {
            const AuditEnvironment &c = envs().at(i);
            if (!c.hasReport || !readable(i))
                continue;
            const auto listing = c.backend->list(ListRequest{}, cancel()).result();
            if (!listing) {
                notChecked(QStringLiteral("leftover"), c.display,
                           QStringLiteral("cannot tell whether %1 still holds what was migrated into it")
                               .arg(c.display),
                           listing.error().message,
                           QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket));
                m_unlistedTargets.insert(i);
                continue;
            }
            QHash<QString, ObjectInfo> now;
            for (const ObjectInfo &o : listing.value().objects)
                now.insert(o.key, o);
            QSet<QString> gone;
            for (auto it = c.migrated.cbegin(); it != c.migrated.cend(); ++it) {
                const auto found = now.constFind(it.key());
                if (found == now.cend()) {
                    gone.insert(it.key());
                    m_missing[i].insert(it.key());
                } else if (found->size != it->size ||
                           (!it->md5.isEmpty() && md5Of(*c.backend, *found) != it->md5)) {
                    gone.insert(it.key());
                }
            }
            if (!gone.isEmpty())
                m_gone.insert(i, gone);
        }
    }

    bool goneFromAll(const QString &key) const
    {
        bool anyGone = false;
        for (int i = 0; i < envs().size(); ++i) {
            if (!envs().at(i).migrated.contains(key))
                continue;
            if (!m_gone.value(i).contains(key))
                return false;
            anyGone = true;
        }
        return anyGone;
    }

    // One finding per target that lost migrated objects; true when every target is intact.
    bool reportGoneObjects()
    {
        for (auto it = m_gone.cbegin(); it != m_gone.cend(); ++it) {
            const AuditEnvironment &c = envs().at(it.key());
            const QSet<QString> missingSet = m_missing.value(it.key());
            QStringList keys(missingSet.cbegin(), missingSet.cend());
            keys.sort();
            const qsizetype changed = it.value().size() - keys.size();
            QStringList all(it.value().cbegin(), it.value().cend());
            all.sort();
            const QString since = deletedSince(c);
            add(Finding{
                .check = QStringLiteral("leftover"),
                .severity = Severity::Warning,
                .environment = c.display,
                .title =
                    QStringLiteral("%1 of %2 objects migrated into %3 are gone from it%4%5")
                        .arg(keys.size())
                        .arg(c.migrated.size())
                        .arg(c.names.bucket, since.isEmpty() ? QString() : QStringLiteral(" since ") + since,
                             changed > 0 ? QStringLiteral(" (%1 more changed since)").arg(changed)
                                         : QString()),
                .evidence =
                    QStringLiteral("%1's %2 (migrated %3) lists %4, which %5 no longer holds with the "
                                   "recorded size and MD5%6")
                        .arg(c.display, QString::fromLatin1(MigrationReport::kKey),
                             c.migratedAt.isValid() ? c.migratedAt.toString(Qt::ISODate)
                                                    : QStringLiteral("at an unknown time"),
                             all.mid(0, 5).join(QStringLiteral(", ")) +
                                 (all.size() > 5 ? QStringLiteral(", …") : QString()),
                             c.names.bucket,
                             since.isEmpty()
                                 ? QStringLiteral("; the activity log names no sync that deleted them")
                                 : QString()),
                .remedy =
                    QStringLiteral("the legacy bucket still has them: migrate again, and add them to the "
                                   "local folders sync uploads from so the next sync does not delete them"),
                .fixCommand = QStringLiteral("moltctl migrate %1").arg(envArg(c.names))});
        }
        return m_gone.isEmpty() && m_unlistedTargets.isEmpty();
    }

    // The first sync after the migration that deleted objects in c's bucket, from the activity log.
    QString deletedSince(const AuditEnvironment &c) const
    {
        if (options().activityLogPath.isEmpty())
            return {};
        const auto entries = ActivityLog(options().activityLogPath).readAll();
        if (!entries)
            return {};
        for (const ActivityEntry &e : entries.value()) {
            if (e.action != QLatin1String("sync") || e.environment != c.display ||
                (c.migratedAt.isValid() && e.time < c.migratedAt) ||
                !e.resultSummary.contains(QLatin1String("deleted ")))
                continue;
            return QStringLiteral("the sync of %1 (%2)")
                .arg(e.time.toUTC().toString(Qt::ISODate), e.resultSummary);
        }
        return {};
    }

    QMap<int, QSet<QString>> m_gone;    // env index -> migrated keys its bucket no longer holds as recorded
    QMap<int, QSet<QString>> m_missing; // env index -> those of them it does not hold at all
    QSet<int> m_unlistedTargets;
};

} // namespace

std::unique_ptr<AuditCheck> makeLeftoverCheck()
{
    return std::make_unique<LeftoverCheck>();
}

} // namespace moltdesk::checks
