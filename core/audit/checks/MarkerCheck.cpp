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
    // ---- 3. identity markers: one finding per environment, by what IdentityMarker::read found ----

    static QString key() { return QString::fromLatin1(IdentityMarker::kKey); }
    Finding finding(const AuditEnvironment &c, Severity severity) const
    {
        return Finding{.check = name(), .severity = severity, .environment = c.display};
    }

    void checkMarkers()
    {
        for (int i = 0; i < envs().size(); ++i) {
            const AuditEnvironment &c = envs().at(i);
            if (!readable(i)) {
                bucketNotChecked(name(), c);
                continue;
            }
            const MarkerReading found = IdentityMarker::read(*c.backend, c.names);
            switch (found.state) {
            case MarkerState::Missing:
                missing(c);
                break;
            case MarkerState::NotRead:
                notRead(c, *found.error);
                break;
            case MarkerState::Unreadable:
                unreadable(c, *found.error);
                break;
            case MarkerState::Foreign:
                crossWired(c, *found.marker);
                break;
            case MarkerState::Own:
                if (found.forOtherBucket(c.names))
                    copied(c, *found.marker);
                else
                    own(c, *found.marker);
                break;
            }
        }
    }

    void missing(const AuditEnvironment &c)
    {
        Finding f = finding(c, Severity::Warning);
        f.title = QStringLiteral("%1 has no identity marker").arg(c.names.bucket);
        f.evidence =
            QStringLiteral("%1 holds no %2, so nothing tells which environment the bucket belongs to; "
                           "sync cannot refuse to write into a wrong bucket")
                .arg(c.backend->location(), key());
        f.remedy = QStringLiteral("stamp it once you are sure it is %1's bucket").arg(c.display);
        f.fixCommand = QStringLiteral("moltctl stamp %1").arg(envArg(c.names));
        add(f);
    }

    void notRead(const AuditEnvironment &c, const Error &error)
    {
        Finding f = finding(c, Severity::NotChecked);
        f.title = QStringLiteral("cannot read %1's identity marker").arg(c.display);
        f.evidence = error.message;
        f.remedy = QStringLiteral("check access to %1 and run the audit again").arg(c.names.bucket);
        add(f);
    }

    // Evidence: sync refuses this bucket and stamp keeps it unless told --force.
    void unreadable(const AuditEnvironment &c, const Error &error)
    {
        Finding f = finding(c, Severity::Warning);
        f.title = QStringLiteral("%1's identity marker is unreadable").arg(c.names.bucket);
        f.evidence = QStringLiteral("%1/%2: %3").arg(c.backend->location(), key(), error.message);
        f.remedy = QStringLiteral("look at the file (sync refuses this bucket until then); if the bucket is "
                                  "%1's, replace it with moltctl stamp %2 --force")
                       .arg(c.display, envArg(c.names));
        add(f);
    }

    void crossWired(const AuditEnvironment &c, const IdentityMarker &mk)
    {
        const QString markerEnv = mk.environmentLabel();
        Finding f = finding(c, Severity::Failure);
        f.title = QStringLiteral("%1 carries the marker of %2: the bucket is cross-wired")
                      .arg(c.names.bucket, markerEnv);
        f.evidence =
            QStringLiteral("%1/%2 says environment %3 (bucket %4, written %5), but this is %6's bucket")
                .arg(c.backend->location(), key(), markerEnv, mk.bucket,
                     mk.written.isValid() ? mk.written.toString(Qt::ISODate)
                                          : QStringLiteral("at an unknown time"),
                     c.display);
        f.remedy =
            QStringLiteral("find out how %1's data got into %2 (a sync run with the wrong environment or a "
                           "copied bucket); compare the contents, move them where they belong, then delete "
                           "the marker and run moltctl stamp %3")
                .arg(markerEnv, c.names.bucket, envArg(c.names));
        add(f);
    }

    void copied(const AuditEnvironment &c, const IdentityMarker &mk)
    {
        Finding f = finding(c, Severity::Warning);
        f.title = QStringLiteral("%1's marker was written for bucket %2").arg(c.names.bucket, mk.bucket);
        f.evidence =
            QStringLiteral(
                "%1/%2 names environment %3 but bucket %4: it was probably copied from another bucket")
                .arg(c.backend->location(), key(), mk.environmentLabel(), mk.bucket);
        f.remedy = QStringLiteral("delete the marker and run moltctl stamp %1").arg(envArg(c.names));
        f.fixCommand = QStringLiteral("moltctl stamp %1").arg(envArg(c.names));
        add(f);
    }

    void own(const AuditEnvironment &c, const IdentityMarker &mk)
    {
        Finding f = finding(c, Severity::Ok);
        f.title = QStringLiteral("%1 carries its own marker").arg(c.names.bucket);
        f.evidence = QStringLiteral("%1/%2 names environment %3")
                         .arg(c.backend->location(), key(), mk.environmentLabel());
        add(f);
    }
};

} // namespace

std::unique_ptr<AuditCheck> makeMarkerCheck()
{
    return std::make_unique<MarkerCheck>();
}

} // namespace moltdesk::checks
