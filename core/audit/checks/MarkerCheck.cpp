// The "marker" check of the isolation audit: Each bucket carries its own identity marker.
#include "BuiltInChecks.h"
#include "CheckBase.h"
#include "IdentityMarker.h"

namespace moltdesk::checks {

namespace {

class MarkerCheck final : public CheckBase
{
public:
    QString name() const override { return QStringLiteral("marker"); }
    void run(const AuditContext &context, FindingSink &sink) override
    {
        begin(context, sink);
        checkMarkers();
    }

private:
    // ---- 3. identity markers ----

    void checkMarkers()
    {
        const QString check = QStringLiteral("marker");
        const QString key = QString::fromLatin1(IdentityMarker::kKey);
        for (int i = 0; i < envs().size(); ++i) {
            const AuditEnvironment &c = envs().at(i);
            if (!readable(i)) {
                bucketNotChecked(check, c);
                continue;
            }
            const MarkerReading found = IdentityMarker::read(*c.backend, c.names);
            if (found.state == MarkerState::Missing) {
                add(Finding{
                    .check = check,
                    .severity = Severity::Warning,
                    .environment = c.display,
                    .title = QStringLiteral("%1 has no identity marker").arg(c.names.bucket),
                    .evidence = QStringLiteral("%1 holds no %2, so nothing tells which environment the "
                                               "bucket belongs to; sync "
                                               "cannot refuse to write into a wrong bucket")
                                    .arg(c.backend->location(), key),
                    .remedy = QStringLiteral("stamp it once you are sure it is %1's bucket").arg(c.display),
                    .fixCommand = QStringLiteral("moltctl stamp %1").arg(envArg(c.names))});
                continue;
            }
            if (found.state == MarkerState::NotRead) {
                add(Finding{
                    .check = check,
                    .severity = Severity::NotChecked,
                    .environment = c.display,
                    .title = QStringLiteral("cannot read %1's identity marker").arg(c.display),
                    .evidence = found.error->message,
                    .remedy =
                        QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket)});
                continue;
            }
            if (found.state == MarkerState::Unreadable) {
                // Evidence: sync refuses this bucket and stamp keeps it unless told --force.
                add(Finding{
                    .check = check,
                    .severity = Severity::Warning,
                    .environment = c.display,
                    .title = QStringLiteral("%1's identity marker is unreadable").arg(c.names.bucket),
                    .evidence =
                        QStringLiteral("%1/%2: %3").arg(c.backend->location(), key, found.error->message),
                    .remedy = QStringLiteral("look at the file (sync refuses this bucket until then); if the "
                                             "bucket is %1's, replace it with moltctl stamp %2 --force")
                                  .arg(c.display, envArg(c.names))});
                continue;
            }
            const IdentityMarker &mk = *found.marker;
            const QString markerEnv = mk.environmentLabel();
            if (found.state == MarkerState::Foreign) {
                add(Finding{
                    .check = check,
                    .severity = Severity::Failure,
                    .environment = c.display,
                    .title = QStringLiteral("%1 carries the marker of %2: the bucket is cross-wired")
                                 .arg(c.names.bucket, markerEnv),
                    .evidence =
                        QStringLiteral(
                            "%1/%2 says environment %3 (bucket %4, written %5), but this is %6's bucket")
                            .arg(c.backend->location(), key, markerEnv, mk.bucket,
                                 mk.written.isValid() ? mk.written.toString(Qt::ISODate)
                                                      : QStringLiteral("at an unknown time"),
                                 c.display),
                    .remedy = QStringLiteral(
                                  "find out how %1's data got into %2 (a sync run with the wrong "
                                  "environment or a copied "
                                  "bucket); compare the contents, move them where they belong, then delete "
                                  "the marker and "
                                  "run moltctl stamp %3")
                                  .arg(markerEnv, c.names.bucket, envArg(c.names))});
            } else if (found.forOtherBucket(c.names)) {
                add(Finding{
                    .check = check,
                    .severity = Severity::Warning,
                    .environment = c.display,
                    .title = QStringLiteral("%1's marker was written for bucket %2")
                                 .arg(c.names.bucket, mk.bucket),
                    .evidence = QStringLiteral(
                                    "%1/%2 names environment %3 but bucket %4: it was probably copied from "
                                    "another bucket")
                                    .arg(c.backend->location(), key, markerEnv, mk.bucket),
                    .remedy =
                        QStringLiteral("delete the marker and run moltctl stamp %1").arg(envArg(c.names)),
                    .fixCommand = QStringLiteral("moltctl stamp %1").arg(envArg(c.names))});
            } else {
                add(Finding{.check = check,
                            .severity = Severity::Ok,
                            .environment = c.display,
                            .title = QStringLiteral("%1 carries its own marker").arg(c.names.bucket),
                            .evidence = QStringLiteral("%1/%2 names environment %3")
                                            .arg(c.backend->location(), key, markerEnv)});
            }
        }
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeMarkerCheck()
{
    return std::make_unique<MarkerCheck>();
}

} // namespace moltdesk::checks
