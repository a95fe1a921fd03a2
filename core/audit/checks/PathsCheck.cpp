// The "paths" check of the isolation audit: Mount, write and read path of each environment agree (BACKUP_DIR
// from the start script; mountinfo in mount mode).
#include "BuiltInChecks.h"
#include "CheckBase.h"
#include "MountInfo.h"
#include "StartScript.h"

#include <QDir>

namespace moltdesk::checks {

namespace {

class PathsCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("paths"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkPaths();
    }

private:
    static inline const QString check = QStringLiteral("paths");
    QString m_scriptPath;
    std::optional<StartScript> m_script;
    QString m_scriptProblem;
    std::optional<MountInfo> m_mounts;

    void checkPaths()
    {
        loadInputs();
        for (const AuditEnvironment &c : envs()) {
            PathRow row = baseRow(c);
            Severity sev = judgeWrite(c, row);
            sev = worst(sev, judgeRead(c, row));
            row.agree = row.writeAgrees && row.readAgrees && row.readPathKnown;
            QString mountNote;
            if (mountMode() && m_mounts)
                sev = worst(sev, checkMountState(c, row, *m_mounts, mountNote));
            if (sev == Severity::Ok)
                add(Finding{
                    .check = check,
                    .severity = Severity::Ok,
                    .environment = c.display,
                    .title = QStringLiteral("mount, write and read paths agree"),
                    .evidence =
                        QStringLiteral(
                            "the worker mounts %1 at %2 (%3); sync writes %4; restore reads %5 (%6)%7")
                            .arg(row.workerBucket, row.mountPath, c.mountSource, row.writePath, row.readPath,
                                 row.readSource, mountNote)});
            m_sink->addPathRow(row);
        }
    }

    // The start script and (mount mode) mountinfo, read once per audit.
    void loadInputs()
    {
        m_scriptPath = ws().profile().startScriptPath;
        m_script.reset();
        m_scriptProblem.clear();
        m_mounts.reset();
        if (!m_scriptPath.isEmpty()) {
            auto s = StartScript::load(m_scriptPath);
            if (s)
                m_script = s.value();
            else
                m_scriptProblem = s.error().message;
        }
        if (!m_scriptProblem.isEmpty())
            add(Finding{.check = check,
                        .severity = Severity::NotChecked,
                        .title = QStringLiteral("cannot read the container's start script"),
                        .evidence = m_scriptProblem,
                        .remedy = QStringLiteral(
                            "fix \"startScript\" in the profile so it points at start-moltbot.sh"),
                        .file = m_scriptPath});
        if (mountMode()) {
            auto mi = MountInfo::load(options().mountInfoPath);
            if (mi)
                m_mounts = mi.value();
            else
                add(Finding{.check = check,
                            .severity = Severity::NotChecked,
                            .title = QStringLiteral("cannot tell what is mounted"),
                            .evidence = mi.error().message,
                            .remedy =
                                QStringLiteral("run the audit where %1 is readable (inside the container)")
                                    .arg(options().mountInfoPath)});
        }
    }

    PathRow baseRow(const AuditEnvironment &c) const
    {
        PathRow row;
        row.environment = c.display;
        row.workerBucket = workerBucket(c.workerEnvironment);
        row.mountPath = workerMount(c.workerEnvironment);
        row.mountSource = c.mountSource;
        row.ownBucket = c.names.bucket;
        row.workerEnvironment = c.workerEnvironment.value_or(QString());
        row.workerEnvironmentSet = c.workerEnvironment.has_value();
        row.boundBucket = c.boundBucket;
        row.boundSource = c.boundSource;
        row.writePath = mountMode() ? ws().mountDirectory(c.names) : c.names.bucket;
        return row;
    }

    // Sync writes where the worker mounts the bucket.
    Severity judgeWrite(const AuditEnvironment &c, PathRow &row)
    {
        Severity sev = Severity::Ok;
        bool writeOk;
        if (mountMode()) {
            const QString hostMount =
                QDir::cleanPath(ws().profile().storage.root + QLatin1Char('/') + row.mountPath);
            writeOk = hostMount == row.writePath;
            if (!writeOk)
                add(Finding{
                    .check = check,
                    .severity = Severity::Failure,
                    .environment = c.display,
                    .title = QStringLiteral("sync writes %1, but the worker mounts %2 at %3")
                                 .arg(row.writePath, row.workerBucket, row.mountPath),
                    .evidence =
                        QStringLiteral("moltdesk writes %1's data to %2; the worker (%3) mounts bucket %4 at "
                                       "%5 (%6 here), so the "
                                       "container never sees what sync writes")
                            .arg(c.display, row.writePath, c.mountSource, row.workerBucket, row.mountPath,
                                 hostMount),
                    .remedy = QStringLiteral("make the worker deploy %1 with vars.ENVIRONMENT = \"%1\"")
                                  .arg(c.names.environment),
                    .file = c.mountFile,
                    .line = c.mountLine});
        } else {
            writeOk = row.workerBucket == c.names.bucket;
            if (!writeOk)
                add(Finding{
                    .check = check,
                    .severity = Severity::Failure,
                    .environment = c.display,
                    .title = QStringLiteral("sync writes bucket %1, but the worker mounts %2")
                                 .arg(c.names.bucket, row.workerBucket),
                    .evidence =
                        QStringLiteral("moltdesk writes %1's data to bucket %2; the worker (%3) mounts "
                                       "bucket %4 at %5, so the "
                                       "container never sees what sync writes")
                            .arg(c.display, c.names.bucket, c.mountSource, row.workerBucket, row.mountPath),
                    .remedy = QStringLiteral("make the worker deploy %1 with vars.ENVIRONMENT = \"%1\"")
                                  .arg(c.names.environment),
                    .file = c.mountFile,
                    .line = c.mountLine});
        }
        if (!writeOk)
            sev = Severity::Failure;

        row.writeAgrees = writeOk;
        return sev;
    }

    // The container's restore (BACKUP_DIR of the start script) reads where the worker mounts.
    Severity judgeRead(const AuditEnvironment &c, PathRow &row)
    {
        Severity sev = Severity::Ok;
        row.readAgrees = true;
        if (m_scriptPath.isEmpty()) {
            // moltdesk's own restore reads where its sync writes, but the container's restore was not
            // seen: that hop of the chain is not checked.
            row.readPathKnown = false;
            row.readSource = QStringLiteral("not checked: no \"startScript\" in the profile");
            notChecked(check, c.display,
                       QStringLiteral("where the container restores %1 from was not checked").arg(c.display),
                       QStringLiteral("the profile names no start script, so BACKUP_DIR of the container is "
                                      "unknown (moltdesk's own restore reads %1)")
                           .arg(row.writePath),
                       QStringLiteral("add \"startScript\": \"path/to/start-moltbot.sh\" to the profile"));
            return worst(sev, Severity::NotChecked);
        }
        if (!m_script) {
            row.readPathKnown = false;
            row.readSource = m_scriptProblem;
            return sev;
        }
        const BackupDirEvaluation ev = m_script->evaluateBackupDir(c.workerEnvironment);
        if (!ev.evaluated) {
            row.readPathKnown = false;
            row.readSource = ev.problem;
            readNotEvaluated(c, row, ev);
            return worst(sev, Severity::NotChecked);
        }
        row.readPath = ev.value;
        row.readSource = fileLine(m_scriptPath, ev.line);
        row.readAgrees = QDir::cleanPath(ev.value) == QDir::cleanPath(row.mountPath);
        if (row.readAgrees)
            return sev;
        readElsewhere(c, row, ev);
        return Severity::Failure;
    }

    QString withEnvironment(const AuditEnvironment &c) const
    {
        return c.workerEnvironment ? QStringLiteral("ENVIRONMENT=%1").arg(*c.workerEnvironment)
                                   : QStringLiteral("ENVIRONMENT unset");
    }

    void readNotEvaluated(const AuditEnvironment &c, const PathRow &row, const BackupDirEvaluation &ev)
    {
        const QString sname = QFileInfo(m_scriptPath).fileName();
        add(Finding{
            .check = check,
            .severity = Severity::NotChecked,
            .environment = c.display,
            .title = QStringLiteral("cannot tell where the container restores %1 from").arg(c.display),
            .evidence = QStringLiteral("%1 with %2: %3")
                            .arg(ev.line > 0 ? fileLine(m_scriptPath, ev.line) : sname, withEnvironment(c),
                                 ev.problem),
            .remedy = QStringLiteral("check BACKUP_DIR in %1 by hand: it must be %2 for %3; a plain "
                                     "assignment or the seed's if [ -n \"$ENVIRONMENT\" ] form can be "
                                     "checked automatically")
                          .arg(sname, row.mountPath, c.display),
            .file = m_scriptPath,
            .line = ev.line});
    }

    // The restore reads another path than the worker mounts: the data sync writes is lost at restart.
    void readElsewhere(const AuditEnvironment &c, const PathRow &row, const BackupDirEvaluation &ev)
    {
        add(Finding{
            .check = check,
            .severity = Severity::Failure,
            .environment = c.display,
            .title =
                QStringLiteral("restore reads %1, but %2 is mounted at %3: data written by sync would be "
                               "lost at restart")
                    .arg(ev.value, row.workerBucket, row.mountPath),
            .evidence =
                QStringLiteral("%1: %2 gives BACKUP_DIR=%3 with %4; the worker mounts %5 at %6 (%7) and "
                               "sync writes %8. The container restores from a path nothing writes to, "
                               "starts fresh, and the next sync replaces the backup")
                    .arg(fileLine(m_scriptPath, ev.line), ev.assignment, ev.value, withEnvironment(c),
                         row.workerBucket, row.mountPath, c.mountSource, row.writePath),
            .remedy =
                QStringLiteral("derive BACKUP_DIR from ENVIRONMENT in %1, as the seed's Phase 2 fix does: "
                               "if [ -n \"$ENVIRONMENT\" ]; then BACKUP_DIR=\"%2-$ENVIRONMENT\"; else "
                               "BACKUP_DIR=\"%2\"; fi; make sure the worker passes ENVIRONMENT to the "
                               "container, then rebuild the image")
                    .arg(QFileInfo(m_scriptPath).fileName(), ws().naming().bases().mountBase),
            .file = m_scriptPath,
            .line = ev.line});
    }

    Severity checkMountState(const AuditEnvironment &c, PathRow &row, const MountInfo &mounts,
                             QString &okNote)
    {
        const QString dir = row.writePath;
        if (const MountEntry *e = mounts.at(dir)) {
            row.mountedBy = e->fsType;
            const QString bucket = MountInfo::bucketOfSource(*e);
            if (!bucket.isEmpty() && bucket != c.names.bucket) {
                add(Finding{
                    .check = check,
                    .severity = Severity::Failure,
                    .environment = c.display,
                    .title =
                        QStringLiteral("%1 is a mount of bucket %2, not %3").arg(dir, bucket, c.names.bucket),
                    .evidence = QStringLiteral("mountinfo: %1 on %2 type %3").arg(e->source, dir, e->fsType),
                    .remedy =
                        QStringLiteral("unmount %1 and mount bucket %2 there").arg(dir, c.names.bucket)});
                return Severity::Failure;
            }
            if (!e->fsType.startsWith(QLatin1String("fuse."))) {
                add(Finding{
                    .check = check,
                    .severity = Severity::Warning,
                    .environment = c.display,
                    .title = QStringLiteral("%1 is a %2 mount, not a bucket mount").arg(dir, e->fsType),
                    .evidence = QStringLiteral("mountinfo: %1 on %2 type %3; s3fs or rclone mounts show as "
                                               "fuse.s3fs or fuse.rclone")
                                    .arg(e->source, dir, e->fsType),
                    .remedy =
                        QStringLiteral(
                            "mount bucket %1 at %2 with s3fs or rclone, or ignore this for a local copy")
                            .arg(c.names.bucket, dir)});
                return Severity::Warning;
            }
            okNote = QStringLiteral("; %1 is mounted by %2 (%3)").arg(dir, e->fsType, e->source);
            return Severity::Ok;
        }
        const QFileInfo fi(dir);
        if (!fi.exists()) {
            row.mountedBy = QStringLiteral("missing");
            add(Finding{
                .check = check,
                .severity = Severity::Warning,
                .environment = c.display,
                .title = QStringLiteral("%1 does not exist").arg(dir),
                .evidence = QStringLiteral("no directory and no mount at %1, where %2's bucket %3 should be")
                                .arg(dir, c.display, c.names.bucket),
                .remedy = QStringLiteral("mount bucket %1 at %2 (s3fs or rclone)").arg(c.names.bucket, dir)});
            return Severity::Warning;
        }
        if (const MountEntry *up = mounts.containing(dir);
            up && up->fsType.startsWith(QLatin1String("fuse."))) {
            row.mountedBy = QStringLiteral("inside %1 at %2").arg(up->fsType, up->mountPoint);
            add(Finding{.check = check,
                        .severity = Severity::Warning,
                        .environment = c.display,
                        .title = QStringLiteral("%1 is a folder inside the %2 mount at %3")
                                     .arg(dir, up->fsType, up->mountPoint),
                        .evidence = QStringLiteral("mountinfo has no mount at %1 itself; what sync writes "
                                                   "there lands in whatever bucket is "
                                                   "mounted at %2 (%3)")
                                        .arg(dir, up->mountPoint, up->source),
                        .remedy = QStringLiteral("mount bucket %1 at %2 itself").arg(c.names.bucket, dir)});
            return Severity::Warning;
        }
        row.mountedBy = QStringLiteral("plain directory");
        add(Finding{
            .check = check,
            .severity = Severity::Warning,
            .environment = c.display,
            .title = QStringLiteral("%1 is a plain directory, not a bucket mount").arg(dir),
            .evidence = QStringLiteral(
                            "mountinfo (%1) lists no mount at %2: files written there stay on this disk and "
                            "never reach R2")
                            .arg(options().mountInfoPath, dir),
            .remedy = QStringLiteral(
                          "mount bucket %1 at %2 (s3fs or rclone), or ignore this for a local demo workspace")
                          .arg(c.names.bucket, dir)});
        return Severity::Warning;
    }
};

} // namespace

std::unique_ptr<AuditCheck> makePathsCheck()
{
    return std::make_unique<PathsCheck>();
}

} // namespace moltdesk::checks
