// The "freshness" check of the isolation audit: .last-sync: age, and whether its absence loses data at
// restart (era-aware).
#include "BuiltInChecks.h"
#include "CheckBase.h"
#include "ControlKeys.h"
#include "LastSync.h"

#include <QFile>

namespace moltdesk::checks {

namespace {

class FreshnessCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("freshness"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkFreshness();
    }

private:
    // ---- 6a. freshness ----

    int staleHours() const
    {
        return options().staleAfterHours > 0 ? options().staleAfterHours : ws().profile().staleAfterHours;
    }

    void checkFreshness()
    {
        const QDateTime now =
            options().now.isValid() ? options().now.toUTC() : QDateTime::currentDateTimeUtc();
        for (int i = 0; i < envs().size(); ++i) {
            const AuditEnvironment &c = envs().at(i);
            if (!readable(i)) {
                bucketNotChecked(name(), c);
                continue;
            }
            const auto raw = c.backend->getBytes(QString::fromLatin1(LastSync::kKey), 4096).result();
            if (!raw) {
                if (raw.error().kind == ErrorKind::NotFound)
                    judgeMissingLastSync(c);
                else
                    add(Finding{.check = name(),
                                .severity = Severity::NotChecked,
                                .environment = c.display,
                                .title = QStringLiteral("cannot read %1's .last-sync").arg(c.display),
                                .evidence = raw.error().message,
                                .remedy = QStringLiteral("check access to %1 and run the audit again")
                                              .arg(c.names.bucket)});
                continue;
            }
            const auto when = LastSync::parse(raw.value());
            if (!when) {
                add(Finding{.check = name(),
                            .severity = Severity::Warning,
                            .environment = c.display,
                            .title = QStringLiteral("%1's .last-sync is unreadable").arg(c.display),
                            .evidence = QStringLiteral("%1: %2").arg(
                                when.error().message, QString::fromUtf8(raw.value().left(64)).trimmed()),
                            .remedy = QStringLiteral("the container's restore compares this timestamp; run a "
                                                     "sync so it is rewritten")});
                continue;
            }
            judgeAge(c, when.value().toUTC(), now);
        }
    }

    // A .last-sync that could be read: in the future, stale (expected for legacy), or fresh.
    void judgeAge(const AuditEnvironment &c, const QDateTime &t, const QDateTime &now)
    {
        const int hours = staleHours();
        const qint64 age = t.secsTo(now);
        const QString rel = LastSync::relativeAge(t, now);
        Finding f{.check = name(), .environment = c.display};
        if (age < -kFutureToleranceSecs) {
            f.severity = Severity::Warning;
            f.title = QStringLiteral("%1's last sync is in the future").arg(c.display);
            f.evidence = QStringLiteral(".last-sync says %1, %2 seconds after this machine's clock")
                             .arg(t.toString(Qt::ISODate))
                             .arg(-age);
            f.remedy =
                QStringLiteral("fix the clock of the machine that synced; a future timestamp makes every "
                               "restore think the bucket is newer");
        } else if (age > qint64(hours) * 3600 && c.names.isLegacy()) {
            // Nothing should sync the legacy bucket once environments have their own: old is expected.
            f.severity = Severity::Ok;
            f.title = QStringLiteral("%1 last synced %2").arg(c.display, rel);
            f.evidence = QStringLiteral(".last-sync in %1 says %2; the legacy bucket is not synced any more, "
                                        "which is expected once every environment has its own bucket")
                             .arg(c.names.bucket, t.toString(Qt::ISODate));
        } else if (age > qint64(hours) * 3600) {
            f.severity = Severity::Warning;
            f.title = QStringLiteral("%1 last synced %2").arg(c.display, rel);
            f.evidence = QStringLiteral(".last-sync in %1 says %2, older than %3 hours")
                             .arg(c.names.bucket, t.toString(Qt::ISODate))
                             .arg(hours);
            f.remedy = QStringLiteral("check that the container's cron sync runs, or sync now");
            f.fixCommand = QStringLiteral("moltctl sync %1").arg(envArg(c.names));
        } else {
            f.severity = Severity::Ok;
            f.title = QStringLiteral("%1 last synced %2").arg(c.display, rel);
            f.evidence = QStringLiteral(".last-sync in %1 says %2 (limit %3 hours)")
                             .arg(c.names.bucket, t.toString(Qt::ISODate))
                             .arg(hours);
        }
        add(f);
    }

    // Which generation of the container restores this bucket. The rsync era (the seed's start script,
    // layout clawdbot/) restores only when the bucket's .last-sync exists and is newer; the rclone era
    // (layout openclaw/) keeps .last-sync in the container's /tmp, so the bucket holds none.
    struct Era
    {
        enum Kind { Unknown, Rsync, Rclone } kind = Unknown;
        QString why;
    };

    Era eraOfScript() const
    {
        const QString path = ws().profile().startScriptPath;
        if (path.isEmpty())
            return {};
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray text = f.read(1024 * 1024);
        const QString name = QFileInfo(path).fileName();
        if (text.contains(".last-sync"))
            return {Era::Rsync,
                    QStringLiteral("%1 restores only when the bucket's .last-sync is newer").arg(name)};
        if (text.contains("rclone"))
            return {Era::Rclone, QStringLiteral("%1 restores with rclone and reads no .last-sync").arg(name)};
        return {};
    }

    Era eraOf(const QStringList &topPrefixes) const
    {
        if (const Era e = eraOfScript(); e.kind != Era::Unknown)
            return e;
        if (topPrefixes.contains(QLatin1String("openclaw/")))
            return {Era::Rclone, QStringLiteral("the bucket has the openclaw/ layout")};
        if (topPrefixes.contains(QLatin1String("clawdbot/")))
            return {Era::Rsync, QStringLiteral("the bucket has the clawdbot/ layout")};
        for (const SyncSet &set : ws().profile().syncSets) {
            if (set.prefix == QLatin1String("openclaw/"))
                return {Era::Rclone, QStringLiteral("the profile syncs openclaw/")};
            if (set.prefix == QLatin1String("clawdbot/"))
                return {Era::Rsync, QStringLiteral("the profile syncs clawdbot/")};
        }
        return {};
    }

    void judgeMissingLastSync(const AuditEnvironment &c)
    {
        const QString check = QStringLiteral("freshness");
        ListRequest root;
        root.delimiter = QStringLiteral("/");
        const auto top = c.backend->list(root, cancel()).result();
        if (!top) {
            notChecked(check, c.display,
                       QStringLiteral("cannot list %1 to judge its missing .last-sync").arg(c.names.bucket),
                       top.error().message,
                       QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket));
            return;
        }
        bool populated = !top.value().commonPrefixes.isEmpty();
        for (const ObjectInfo &o : top.value().objects)
            populated = populated || !isControlKey(o.key);
        if (!populated) {
            add(Finding{.check = check,
                        .severity = Severity::Ok,
                        .environment = c.display,
                        .title = QStringLiteral("%1 holds no data and no .last-sync").arg(c.names.bucket),
                        .evidence = QStringLiteral("nothing to restore from %1 yet").arg(c.names.bucket)});
            return;
        }
        const Era era = eraOf(top.value().commonPrefixes);
        if (era.kind == Era::Rclone || c.names.isLegacy()) {
            add(Finding{
                .check = check,
                .severity = Severity::Ok,
                .environment = c.display,
                .title = QStringLiteral("no .last-sync in %1").arg(c.names.bucket),
                .evidence =
                    era.kind == Era::Rclone
                        ? QStringLiteral("%1 holds data but no .last-sync, which is normal in the rclone era "
                                         "(%2): upstream "
                                         "keeps it in the container's /tmp")
                              .arg(c.names.bucket, era.why)
                        : QStringLiteral("%1 holds no .last-sync; the legacy bucket is not restored any more")
                              .arg(c.names.bucket)});
            return;
        }
        if (era.kind == Era::Unknown) {
            notChecked(
                check, c.display,
                QStringLiteral("cannot tell whether %1's restore needs .last-sync").arg(c.display),
                QStringLiteral("%1 holds data but no .last-sync, and neither the start script, the bucket's "
                               "layout nor the profile tells whether its container restores by .last-sync")
                    .arg(c.names.bucket),
                QStringLiteral("set \"startScript\" in the profile to the container's start-moltbot.sh"));
            return;
        }
        add(Finding{
            .check = check,
            .severity = c.names.isProduction() ? Severity::Failure : Severity::Warning,
            .environment = c.display,
            .title =
                QStringLiteral(
                    "%1 holds data but no .last-sync: the container will not restore it at the next start")
                    .arg(c.names.bucket),
            .evidence =
                QStringLiteral("%1 (%2); without .last-sync the start script starts fresh and its next sync "
                               "replaces the backup: data loss at restart")
                    .arg(era.why, c.names.bucket),
            .remedy = QStringLiteral("sync %1 now so .last-sync is written after the data").arg(c.display),
            .fixCommand = QStringLiteral("moltctl sync %1").arg(envArg(c.names))});
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeFreshnessCheck()
{
    return std::make_unique<FreshnessCheck>();
}

} // namespace moltdesk::checks
