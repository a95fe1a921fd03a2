#include "ActivityLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSysInfo>

namespace moltdesk {

QJsonObject ActivityEntry::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("time"), time.toUTC().toString(Qt::ISODate));
    o.insert(QStringLiteral("environment"), environment);
    o.insert(QStringLiteral("action"), action);
    o.insert(QStringLiteral("plan"), planSummary);
    o.insert(QStringLiteral("outcome"), outcome);
    o.insert(QStringLiteral("result"), resultSummary);
    o.insert(QStringLiteral("errors"), QJsonArray::fromStringList(errors));
    o.insert(QStringLiteral("profile"), profile);
    o.insert(QStringLiteral("source"), source);
    o.insert(QStringLiteral("target"), target);
    o.insert(QStringLiteral("overrides"), QJsonArray::fromStringList(overrides));
    o.insert(QStringLiteral("who"), who);
    return o;
}

ActivityEntry ActivityEntry::fromJson(const QJsonObject &o)
{
    ActivityEntry e;
    e.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate);
    e.environment = o.value(QStringLiteral("environment")).toString();
    e.action = o.value(QStringLiteral("action")).toString();
    e.planSummary = o.value(QStringLiteral("plan")).toString();
    e.outcome = o.value(QStringLiteral("outcome")).toString();
    e.resultSummary = o.value(QStringLiteral("result")).toString();
    const QJsonArray errs = o.value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &v : errs)
        e.errors << v.toString();
    e.profile = o.value(QStringLiteral("profile")).toString();
    e.source = o.value(QStringLiteral("source")).toString();
    e.target = o.value(QStringLiteral("target")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("overrides")).toArray())
        e.overrides << v.toString();
    e.who = o.value(QStringLiteral("who")).toString();
    return e;
}

QString ActivityEntry::details() const
{
    QString out = QStringLiteral("%1  %2  %3: %4\n")
                      .arg(time.toUTC().toString(Qt::ISODate), environment, action, outcome);
    if (!who.isEmpty())
        out += QStringLiteral("by: ") + who + QLatin1Char('\n');
    if (!profile.isEmpty())
        out += QStringLiteral("profile: ") + profile + QLatin1Char('\n');
    if (!source.isEmpty())
        out += QStringLiteral("from: ") + source + QLatin1Char('\n');
    if (!target.isEmpty())
        out += QStringLiteral("into: ") + target + QLatin1Char('\n');
    if (!planSummary.isEmpty())
        out += QStringLiteral("plan: ") + planSummary + QLatin1Char('\n');
    if (!overrides.isEmpty())
        out += QStringLiteral("overrides: ") + overrides.join(QStringLiteral(", ")) + QLatin1Char('\n');
    if (!resultSummary.isEmpty())
        out += QStringLiteral("result: ") + resultSummary + QLatin1Char('\n');
    for (const QString &e : errors)
        out += QStringLiteral("error: ") + e + QLatin1Char('\n');
    return out;
}

Status ActivityLog::exportTo(const QString &path, const QList<ActivityEntry> &entries)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot create %1: %2").arg(path, f.errorString()),
                         path);
    for (const ActivityEntry &e : entries)
        f.write(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n');
    if (!f.commit())
        return makeError(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()),
                         path);
    return success();
}

QString ActivityEntry::currentUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return user + QLatin1Char('@') + QSysInfo::machineHostName();
}

ActivityLog::ActivityLog(QString path) : m_path(std::move(path)) {}

QString ActivityLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/activity.jsonl");
}

Status ActivityLog::append(const ActivityEntry &entry)
{
    QMutexLocker lock(&m_mutex);
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return makeError(ErrorKind::Local, QStringLiteral("cannot create the folder of %1").arg(m_path),
                         m_path);
    QFile f(m_path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return makeError(ErrorKind::Local, QStringLiteral("cannot open %1: %2").arg(m_path, f.errorString()),
                         m_path);
    const QByteArray line = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (f.write(line) != line.size() || !f.flush())
        return makeError(ErrorKind::Local, QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString()),
                         m_path);
    return success();
}

Result<QList<ActivityEntry>> ActivityLog::readAll(int maxEntries) const
{
    QMutexLocker lock(&m_mutex);
    QList<ActivityEntry> out;
    QFile f(m_path);
    if (!f.exists())
        return out;
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot read %1: %2").arg(m_path, f.errorString()),
                         m_path);
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            continue;
        out << ActivityEntry::fromJson(doc.object());
    }
    if (maxEntries > 0 && out.size() > maxEntries)
        out = out.mid(out.size() - maxEntries);
    return out;
}

} // namespace moltdesk
