#include "AuditReport.h"

#include <QJsonArray>

namespace moltdesk {

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Ok:
        return QStringLiteral("ok");
    case Severity::NotChecked:
        return QStringLiteral("not-checked");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Failure:
        return QStringLiteral("failure");
    }
    return QStringLiteral("unknown");
}

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Holds:
        return QStringLiteral("holds");
    case Verdict::Broken:
        return QStringLiteral("broken");
    case Verdict::Unverified:
        return QStringLiteral("unverified");
    }
    return QStringLiteral("unverified");
}

QString CheckStatus::state() const
{
    if (failures > 0)
        return QStringLiteral("failed");
    if (!ran)
        return QStringLiteral("not-checked");
    return warnings > 0 ? QStringLiteral("warning") : QStringLiteral("passed");
}

QString accessName(AccessCell::Access a)
{
    switch (a) {
    case AccessCell::Access::NotTested:
        return QStringLiteral("not-tested");
    case AccessCell::Access::Denied:
        return QStringLiteral("denied");
    case AccessCell::Access::Allowed:
        return QStringLiteral("allowed");
    case AccessCell::Access::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

Severity AuditReport::overall() const
{
    Severity worst = Severity::Ok;
    for (const Finding &f : findings) {
        if (int(f.severity) > int(worst))
            worst = f.severity;
    }
    // A cancelled audit proves nothing: never let it read as clean.
    if (!complete && worst == Severity::Ok)
        worst = Severity::NotChecked;
    return worst;
}

QList<CheckStatus> AuditReport::checkStatuses() const
{
    QList<CheckStatus> out;
    QStringList names = checks;
    for (const Finding &f : findings) {
        if (!names.contains(f.check))
            names.append(f.check);
    }
    for (const QString &name : std::as_const(names)) {
        CheckStatus st;
        st.check = name;
        int total = 0;
        for (const Finding &f : findings) {
            if (f.check != name)
                continue;
            ++total;
            st.failures += f.severity == Severity::Failure ? 1 : 0;
            st.warnings += f.severity == Severity::Warning ? 1 : 0;
            st.notChecked += f.severity == Severity::NotChecked ? 1 : 0;
            st.ok += f.severity == Severity::Ok ? 1 : 0;
        }
        // A check that said nothing at all did not run: silence is never a pass.
        st.ran = total > 0 && st.notChecked == 0;
        out.append(st);
    }
    return out;
}

Verdict AuditReport::verdict() const
{
    if (count(Severity::Failure) > 0)
        return Verdict::Broken;
    if (!complete)
        return Verdict::Unverified;
    for (const CheckStatus &st : checkStatuses()) {
        if (!st.ran)
            return Verdict::Unverified;
    }
    return Verdict::Holds;
}

int AuditReport::count(Severity s) const
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.severity == s ? 1 : 0;
    return n;
}

namespace {

// One entry per check: whether it ran, its state, and for each part that could not run, why and what
// would let it run.
QJsonArray checksToJson(const AuditReport &r)
{
    QJsonArray cs;
    for (const CheckStatus &st : r.checkStatuses()) {
        QJsonArray why;
        for (const Finding &f : r.findings) {
            if (f.check == st.check && f.severity == Severity::NotChecked)
                why.append(QJsonObject{{QStringLiteral("environment"), f.environment},
                                       {QStringLiteral("title"), f.title},
                                       {QStringLiteral("why"), f.evidence},
                                       {QStringLiteral("toRun"), f.remedy}});
        }
        cs.append(QJsonObject{{QStringLiteral("check"), st.check},
                              {QStringLiteral("ran"), st.ran},
                              {QStringLiteral("state"), st.state()},
                              {QStringLiteral("notChecked"), why}});
    }
    return cs;
}

} // namespace

QJsonObject AuditReport::toJson() const
{
    QJsonArray fs;
    for (const Finding &f : findings) {
        QJsonObject o{{QStringLiteral("check"), f.check},
                      {QStringLiteral("severity"), severityName(f.severity)},
                      {QStringLiteral("environment"), f.environment},
                      {QStringLiteral("title"), f.title},
                      {QStringLiteral("evidence"), f.evidence},
                      {QStringLiteral("remedy"), f.remedy}};
        if (!f.file.isEmpty())
            o.insert(QStringLiteral("file"), f.file);
        if (f.line > 0)
            o.insert(QStringLiteral("line"), f.line);
        if (!f.fixCommand.isEmpty())
            o.insert(QStringLiteral("fixCommand"), f.fixCommand);
        fs.append(o);
    }
    QJsonArray ps;
    for (const PathRow &p : paths) {
        ps.append(
            QJsonObject{{QStringLiteral("environment"), p.environment},
                        {QStringLiteral("workerBucket"), p.workerBucket},
                        {QStringLiteral("mountPath"), p.mountPath},
                        {QStringLiteral("mountSource"), p.mountSource},
                        {QStringLiteral("writePath"), p.writePath},
                        {QStringLiteral("readPath"), p.readPathKnown ? QJsonValue(p.readPath) : QJsonValue()},
                        {QStringLiteral("readSource"), p.readSource},
                        {QStringLiteral("mountedBy"), p.mountedBy},
                        {QStringLiteral("agree"), p.agree},
                        {QStringLiteral("ownBucket"), p.ownBucket},
                        {QStringLiteral("workerEnvironment"),
                         p.workerEnvironmentSet ? QJsonValue(p.workerEnvironment) : QJsonValue()},
                        {QStringLiteral("boundBucket"), p.boundBucket},
                        {QStringLiteral("boundSource"), p.boundSource},
                        {QStringLiteral("writeAgrees"), p.writeAgrees},
                        {QStringLiteral("readAgrees"), p.readAgrees}});
    }
    const QJsonArray cs = checksToJson(*this);
    QJsonArray ms;
    for (const AccessCell &c : matrix) {
        QJsonObject o{{QStringLiteral("credentialsOf"), c.credentialsOf},
                      {QStringLiteral("bucket"), c.bucket},
                      {QStringLiteral("bucketOf"), c.bucketOf},
                      {QStringLiteral("access"), accessName(c.access)},
                      {QStringLiteral("canList"), c.canList},
                      {QStringLiteral("canWrite"), c.canWrite},
                      {QStringLiteral("expected"), c.expected},
                      {QStringLiteral("detail"), c.detail}};
        if (!c.accessKeyId.isEmpty())
            o.insert(QStringLiteral("accessKeyId"), c.accessKeyId);
        ms.append(o);
    }
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("moltdesk-audit")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("generated"),
         generated.isValid() ? generated.toUTC().toString(Qt::ISODate) : QString()},
        {QStringLiteral("profile"), profilePath},
        {QStringLiteral("storage"), storageMode},
        {QStringLiteral("probeWrite"), probeWrite},
        {QStringLiteral("complete"), complete},
        {QStringLiteral("verdict"), verdictName(verdict())},
        {QStringLiteral("overall"), severityName(overall())},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("ok"), count(Severity::Ok)},
                                               {QStringLiteral("notChecked"), count(Severity::NotChecked)},
                                               {QStringLiteral("warning"), count(Severity::Warning)},
                                               {QStringLiteral("failure"), count(Severity::Failure)}}},
        {QStringLiteral("environments"), QJsonArray::fromStringList(environments)},
        {QStringLiteral("paths"), ps},
        {QStringLiteral("matrix"), ms},
        {QStringLiteral("checks"), cs},
        {QStringLiteral("inputs"), QJsonArray::fromStringList(inputs)},
        {QStringLiteral("findings"), fs}};
}

} // namespace moltdesk
