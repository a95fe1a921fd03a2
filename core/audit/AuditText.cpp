#include "AuditText.h"

#include <QFileInfo>

namespace moltdesk {

namespace {

QString pad(const QString &s, qsizetype width)
{
    return s.size() >= width ? s : s + QString(width - s.size(), QLatin1Char(' '));
}

QString table(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &r : rows) {
        for (qsizetype i = 0; i < r.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = qMax(widths.at(i), r.at(i).size());
        }
    }
    QString out;
    for (const QStringList &r : rows) {
        QString line = QStringLiteral("  ");
        for (qsizetype i = 0; i < r.size(); ++i)
            line += (i + 1 < r.size() ? pad(r.at(i), widths.at(i) + 2) : r.at(i));
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out += line + QLatin1Char('\n');
    }
    return out;
}

QString cellText(const AccessCell &c)
{
    QString t;
    switch (c.access) {
    case AccessCell::Access::NotTested:
        return QStringLiteral("– not tested");
    case AccessCell::Access::Error:
        return QStringLiteral("? error");
    case AccessCell::Access::Denied:
        t = QStringLiteral("✘ denied");
        break;
    case AccessCell::Access::Allowed:
        t = c.expected ? QStringLiteral("✔ own") : QStringLiteral("▲ REACHES");
        break;
    }
    if (c.access == AccessCell::Access::Allowed && c.canWrite)
        t += QStringLiteral(" (write)");
    else if (c.access == AccessCell::Access::Allowed && !c.canList)
        t += QStringLiteral(" (write only)");
    return t;
}

QString symbol(Severity s)
{
    switch (s) {
    case Severity::Ok:
        return QStringLiteral("✔");
    case Severity::NotChecked:
        return QStringLiteral("?");
    case Severity::Warning:
        return QStringLiteral("▲");
    case Severity::Failure:
        return QStringLiteral("✘");
    }
    return QStringLiteral("?");
}

QString verdictText(Verdict v)
{
    switch (v) {
    case Verdict::Holds:
        return QStringLiteral("✔ isolation HOLDS (every check ran, none failed)");
    case Verdict::Broken:
        return QStringLiteral("✘ isolation BROKEN");
    case Verdict::Unverified:
        return QStringLiteral("? isolation UNVERIFIED (no failure found, but not every check could run)");
    }
    return QStringLiteral("? unverified");
}

QString indentBlock(const QString &label, const QString &text)
{
    return QStringLiteral("      %1 %2\n").arg(label, text);
}

} // namespace

namespace {

QString headerText(const AuditReport &report)
{
    QString out;
    out += QStringLiteral("Isolation audit of %1 (%2 storage%3)\n")
               .arg(report.profilePath.isEmpty() ? QStringLiteral("the profile") : report.profilePath,
                    report.storageMode.isEmpty() ? QStringLiteral("unknown") : report.storageMode,
                    report.probeWrite ? QStringLiteral(", write probes on") : QString());
    const Severity overall = report.overall();
    const Verdict verdict = report.verdict();
    out += QStringLiteral("Verdict: %1\n").arg(verdictText(verdict));
    out += QStringLiteral("Overall: %1 %2 (%3 failures, %4 warnings, %5 not checked, %6 ok)%7\n")
               .arg(symbol(overall), severityName(overall).toUpper())
               .arg(report.count(Severity::Failure))
               .arg(report.count(Severity::Warning))
               .arg(report.count(Severity::NotChecked))
               .arg(report.count(Severity::Ok))
               .arg(report.complete ? QString() : QStringLiteral(" - INCOMPLETE, the audit was cancelled"));
    QStringList notRun;
    for (const CheckStatus &st : report.checkStatuses()) {
        if (!st.ran)
            notRun << st.check;
    }
    if (!notRun.isEmpty())
        out += QStringLiteral("Not fully checked: %1\n").arg(notRun.join(QStringLiteral(", ")));
    return out + QLatin1Char('\n');
}

// Rows: whose credentials; columns: whose bucket.
QString matrixText(const AuditReport &report)
{
    QString out = QStringLiteral("Credential scoping (rows: whose credentials, columns: whose bucket)\n");
    if (report.matrix.isEmpty())
        return out + (report.storageMode == QLatin1String("mount")
                          ? QStringLiteral("  does not apply: mount mode uses no credentials\n\n")
                          : QStringLiteral("  not tested\n\n"));
    const QStringList columns = report.environments;
    QList<QStringList> rows;
    QStringList header{QString()};
    for (const QString &c : columns) {
        QString bucket;
        for (const AccessCell &cell : report.matrix) {
            if (cell.bucketOf == c)
                bucket = cell.bucket;
        }
        header << (bucket.isEmpty() ? c : QStringLiteral("%1 (%2)").arg(c, bucket));
    }
    rows << header;
    for (const QString &r : columns) {
        QStringList row{r};
        for (const QString &c : columns) {
            QString text = QStringLiteral("– not tested");
            for (const AccessCell &cell : report.matrix) {
                if (cell.credentialsOf == r && cell.bucketOf == c)
                    text = cellText(cell);
            }
            row << text;
        }
        rows << row;
    }
    return out + table(rows) +
           QStringLiteral(
               "  ✔ own bucket reachable   ✘ denied   ▲ REACHES another environment's bucket   – not "
               "tested   ? could not tell\n\n");
}

// Paths side by side.
QString pathsText(const AuditReport &report)
{
    QString out = QStringLiteral(
        "Paths (mount: where the worker mounts; write: where sync writes; read: where restore reads)\n");
    if (report.paths.isEmpty())
        return out + QStringLiteral("  none\n\n");
    QList<QStringList> rows;
    const bool mount = report.storageMode == QLatin1String("mount");
    QStringList header{QStringLiteral("environment"), QStringLiteral("bucket"), QStringLiteral("mount path"),
                       QStringLiteral("write path"), QStringLiteral("read path")};
    if (mount)
        header << QStringLiteral("mounted by");
    header << QString();
    rows << header;
    for (const PathRow &p : report.paths) {
        QStringList row{p.environment, p.workerBucket, p.mountPath, p.writePath,
                        p.readPathKnown ? p.readPath : QStringLiteral("? unknown")};
        if (mount)
            row << p.mountedBy;
        row << (p.agree           ? QStringLiteral("✔")
                : p.readPathKnown ? QStringLiteral("✘ disagree")
                                  : QStringLiteral("?"));
        rows << row;
    }
    return out + table(rows) + QLatin1Char('\n');
}

QString findingText(const Finding &f)
{
    const Severity s = f.severity;
    QString out =
        QStringLiteral("  %1 [%2] %3%4\n")
            .arg(symbol(s), f.check,
                 f.environment.isEmpty() ? QString() : f.environment + QStringLiteral(": "), f.title);
    if (s == Severity::Ok)
        return out; // the title says it; evidence is in --json
    if (!f.evidence.isEmpty())
        out += indentBlock(QStringLiteral("seen:"), f.evidence);
    if (!f.file.isEmpty())
        out += indentBlock(QStringLiteral("at:  "),
                           f.line > 0 ? QStringLiteral("%1:%2").arg(f.file).arg(f.line) : f.file);
    if (!f.remedy.isEmpty())
        out += indentBlock(s == Severity::NotChecked ? QStringLiteral("to run:") : QStringLiteral("fix: "),
                           f.remedy);
    if (!f.fixCommand.isEmpty())
        out += indentBlock(QStringLiteral("run: "), f.fixCommand);
    return out;
}

// Findings, worst first.
QString findingsText(const AuditReport &report)
{
    QString out;
    for (Severity s : {Severity::Failure, Severity::Warning, Severity::NotChecked, Severity::Ok}) {
        const int n = report.count(s);
        if (n == 0)
            continue;
        const QString heading = s == Severity::Failure      ? QStringLiteral("Failures")
                                : s == Severity::Warning    ? QStringLiteral("Warnings")
                                : s == Severity::NotChecked ? QStringLiteral("Not checked")
                                                            : QStringLiteral("OK");
        out += QStringLiteral("%1 (%2)\n").arg(heading).arg(n);
        for (const Finding &f : report.findings) {
            if (f.severity == s)
                out += findingText(f);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace

QString renderAuditText(const AuditReport &report)
{
    return headerText(report) + matrixText(report) + pathsText(report) + findingsText(report);
}

} // namespace moltdesk
