#include "Plan.h"

#include <QJsonArray>
#include <QLocale>

namespace moltdesk {

Error makeRefusal(const char *code, const QString &message)
{
    Error e = makeError(ErrorKind::Refused, message);
    e.code = QLatin1String(code);
    return e;
}

namespace {
constexpr PlanAction kAll[] = {PlanAction::Upload, PlanAction::Replace,  PlanAction::Delete,
                               PlanAction::Keep,   PlanAction::Download, PlanAction::Copy,
                               PlanAction::Skip,   PlanAction::Conflict};

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}
} // namespace

QString planKindName(Plan::Kind k)
{
    switch (k) {
    case Plan::Kind::Sync:
        return QStringLiteral("sync");
    case Plan::Kind::Restore:
        return QStringLiteral("restore");
    case Plan::Kind::Migrate:
        return QStringLiteral("migrate");
    }
    return {};
}

QString planActionName(PlanAction a)
{
    switch (a) {
    case PlanAction::Upload:
        return QStringLiteral("upload");
    case PlanAction::Replace:
        return QStringLiteral("replace");
    case PlanAction::Delete:
        return QStringLiteral("delete");
    case PlanAction::Keep:
        return QStringLiteral("keep");
    case PlanAction::Download:
        return QStringLiteral("download");
    case PlanAction::Copy:
        return QStringLiteral("copy");
    case PlanAction::Skip:
        return QStringLiteral("skip");
    case PlanAction::Conflict:
        return QStringLiteral("conflict");
    }
    return {};
}

QString formatBytes(qint64 bytes)
{
    const double b = double(bytes);
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    if (b < 1e6)
        return QStringLiteral("%1 kB").arg(b / 1e3, 0, 'f', 1);
    if (b < 1e9)
        return QStringLiteral("%1 MB").arg(b / 1e6, 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(b / 1e9, 0, 'f', 2);
}

qint64 PlanCounts::transferFiles() const
{
    return countOf(PlanAction::Upload) + countOf(PlanAction::Replace) + countOf(PlanAction::Download) +
           countOf(PlanAction::Copy);
}

qint64 PlanCounts::transferBytes() const
{
    return bytesOf(PlanAction::Upload) + bytesOf(PlanAction::Replace) + bytesOf(PlanAction::Download) +
           bytesOf(PlanAction::Copy);
}

PlanCounts Plan::counts() const
{
    PlanCounts c;
    for (const PlanItem &i : items) {
        ++c.count[int(i.action)];
        c.bytes[int(i.action)] += i.size;
    }
    return c;
}

QString Plan::summaryLine() const
{
    const PlanCounts c = counts();
    QStringList parts;
    QList<PlanAction> shown;
    switch (kind) {
    case Kind::Sync:
        shown = {PlanAction::Upload, PlanAction::Replace, PlanAction::Delete, PlanAction::Keep};
        break;
    case Kind::Restore:
        shown = {PlanAction::Download, PlanAction::Replace, PlanAction::Delete, PlanAction::Keep};
        break;
    case Kind::Migrate:
        shown = {PlanAction::Copy, PlanAction::Skip, PlanAction::Conflict};
        break;
    }
    for (PlanAction a : shown)
        parts << planActionName(a) + QLatin1Char(' ') + number(c.countOf(a));
    QString s = parts.join(QStringLiteral(" · "));
    s += QStringLiteral(" (%1 to transfer)").arg(formatBytes(c.transferBytes()));
    if (kind == Kind::Restore && !restoreNeeded)
        s = QStringLiteral("nothing to restore: ") + restoreDecision;
    return s;
}

QJsonObject Plan::toJson(bool withItems) const
{
    QJsonObject o;
    o.insert(QStringLiteral("kind"), planKindName(kind));
    o.insert(QStringLiteral("environment"),
             environment.isLegacy() ? QJsonValue(QJsonValue::Null) : QJsonValue(environment.environment));
    o.insert(QStringLiteral("source"), source);
    o.insert(QStringLiteral("target"), target);
    const PlanCounts c = counts();
    QJsonObject counts;
    for (PlanAction a : kAll)
        counts.insert(planActionName(a), QJsonObject{{QStringLiteral("count"), double(c.countOf(a))},
                                                     {QStringLiteral("bytes"), double(c.bytesOf(a))}});
    o.insert(QStringLiteral("counts"), counts);
    o.insert(QStringLiteral("transferBytes"), double(c.transferBytes()));
    o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(warnings));
    if (kind == Kind::Sync) {
        o.insert(QStringLiteral("deletesOfMigrated"), double(deletesOfMigrated));
        o.insert(QStringLiteral("deletionsSkipped"), double(deletionsSkipped));
    }
    if (refusal)
        o.insert(QStringLiteral("refusal"), refusal->message);
    if (kind == Kind::Restore) {
        o.insert(QStringLiteral("restoreNeeded"), restoreNeeded);
        o.insert(QStringLiteral("decision"), restoreDecision);
        o.insert(QStringLiteral("layout"), layout);
    }
    o.insert(QStringLiteral("needsConfirmation"), needsConfirmation());
    if (withItems) {
        QJsonArray arr;
        for (const PlanItem &i : items) {
            if (i.action == PlanAction::Keep || i.action == PlanAction::Skip)
                continue; // the counts say how many; listing every unchanged file helps nobody
            QJsonObject io{{QStringLiteral("action"), planActionName(i.action)},
                           {QStringLiteral("key"), i.key},
                           {QStringLiteral("size"), double(i.size)}};
            if (!i.localPath.isEmpty())
                io.insert(QStringLiteral("path"), i.localPath);
            if (!i.note.isEmpty())
                io.insert(QStringLiteral("note"), i.note);
            arr.append(io);
        }
        o.insert(QStringLiteral("changes"), arr);
    }
    return o;
}

void JobResult::setAsideCancelledTransfers()
{
    const qsizetype stopped = errors.removeIf([](const Error &e) { return e.kind == ErrorKind::Cancelled; });
    if (stopped == 0)
        return;
    failed = qMax<qint64>(0, failed - stopped);
    notes << QStringLiteral("%1 transfer(s) in flight were stopped by the cancel before they completed")
                 .arg(stopped);
}

QString JobResult::outcomeName() const
{
    switch (outcome) {
    case Outcome::Succeeded:
        return QStringLiteral("succeeded");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Outcome::Refused:
        return QStringLiteral("refused");
    case Outcome::NothingToDo:
        return QStringLiteral("nothing-to-do");
    }
    return {};
}

QString JobResult::summaryLine() const
{
    QStringList parts;
    const auto add = [&](const char *what, qint64 n) {
        if (n)
            parts << QLatin1String(what) + QLatin1Char(' ') + number(n);
    };
    add("uploaded", uploaded);
    add("replaced", replaced);
    add("downloaded", downloaded);
    add("copied", copied);
    add("deleted", deleted);
    add("kept", kept);
    add("skipped", skipped);
    add("failed", failed);
    QString s = outcomeName() + QStringLiteral(": ") +
                (parts.isEmpty() ? QStringLiteral("no changes") : parts.join(QStringLiteral(", ")));
    s += QStringLiteral(" · %1 transferred in %2 s")
             .arg(formatBytes(bytesTransferred))
             .arg(double(elapsedMs) / 1000.0, 0, 'f', 1);
    if (!errors.isEmpty())
        s += QStringLiteral(" · first error: ") + errors.first().toString();
    return s;
}

QJsonObject JobResult::toJson() const
{
    QJsonObject o{{QStringLiteral("kind"), planKindName(kind)},
                  {QStringLiteral("environment"), environment},
                  {QStringLiteral("outcome"), outcomeName()},
                  {QStringLiteral("uploaded"), double(uploaded)},
                  {QStringLiteral("replaced"), double(replaced)},
                  {QStringLiteral("deleted"), double(deleted)},
                  {QStringLiteral("downloaded"), double(downloaded)},
                  {QStringLiteral("copied"), double(copied)},
                  {QStringLiteral("kept"), double(kept)},
                  {QStringLiteral("skipped"), double(skipped)},
                  {QStringLiteral("failed"), double(failed)},
                  {QStringLiteral("bytesTransferred"), double(bytesTransferred)},
                  {QStringLiteral("elapsedMs"), double(elapsedMs)}};
    o.insert(QStringLiteral("lastSyncWritten"),
             lastSyncWritten.isEmpty() ? QJsonValue(QJsonValue::Null)
                                       : QJsonValue(QString::fromLatin1(lastSyncWritten).trimmed()));
    if (!reportPath.isEmpty())
        o.insert(QStringLiteral("report"), reportPath);
    QJsonArray errs;
    for (const Error &e : errors)
        errs.append(QJsonObject{{QStringLiteral("kind"), errorKindName(e.kind)},
                                {QStringLiteral("message"), e.message},
                                {QStringLiteral("subject"), e.subject}});
    o.insert(QStringLiteral("errors"), errs);
    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
    return o;
}

} // namespace moltdesk
