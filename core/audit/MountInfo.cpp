#include "MountInfo.h"

#include <QDir>
#include <QFile>

namespace moltdesk {

Result<MountInfo> MountInfo::load(const QString &path)
{
    QFile f(path);
    // /proc files report size 0, so read until the end instead of trusting size().
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Local, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()),
                         path);
    return parse(f.readAll());
}

QString MountInfo::unescape(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const char c = field.at(i);
        if (c == '\\' && i + 3 < field.size()) {
            const QByteArray oct = field.mid(i + 1, 3);
            bool ok = oct.size() == 3;
            for (char d : oct)
                ok = ok && d >= '0' && d <= '7';
            if (ok) {
                out.append(char(oct.toInt(nullptr, 8)));
                i += 3;
                continue;
            }
        }
        out.append(c);
    }
    return QString::fromUtf8(out);
}

MountInfo MountInfo::parse(const QByteArray &text)
{
    MountInfo info;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : lines) {
        // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
        const QList<QByteArray> f = line.trimmed().split(' ');
        if (f.size() < 7)
            continue;
        const qsizetype dash = f.indexOf(QByteArray("-"), 6);
        if (dash < 0 || dash + 1 >= f.size())
            continue;
        MountEntry e;
        e.mountPoint = unescape(f.at(4));
        e.fsType = unescape(f.at(dash + 1));
        e.source = dash + 2 < f.size() ? unescape(f.at(dash + 2)) : QString();
        info.m_entries.append(e);
    }
    return info;
}

const MountEntry *MountInfo::at(const QString &path) const
{
    const QString p = QDir::cleanPath(path);
    // Later lines are mounted on top of earlier ones at the same point.
    for (qsizetype i = m_entries.size() - 1; i >= 0; --i) {
        if (QDir::cleanPath(m_entries.at(i).mountPoint) == p)
            return &m_entries.at(i);
    }
    return nullptr;
}

const MountEntry *MountInfo::containing(const QString &path) const
{
    const QString p = QDir::cleanPath(path);
    const MountEntry *best = nullptr;
    qsizetype bestLen = -1;
    for (qsizetype i = m_entries.size() - 1; i >= 0; --i) {
        const QString mp = QDir::cleanPath(m_entries.at(i).mountPoint);
        if (mp == p)
            continue;
        const bool above =
            mp == QLatin1String("/") ? p.startsWith(QLatin1Char('/')) : p.startsWith(mp + QLatin1Char('/'));
        if (above && mp.size() > bestLen) {
            best = &m_entries.at(i);
            bestLen = mp.size();
        }
    }
    return best;
}

QString MountInfo::bucketOfSource(const MountEntry &entry)
{
    if (entry.fsType != QLatin1String("fuse.rclone"))
        return {};
    const qsizetype colon = entry.source.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return {};
    QString rest = entry.source.mid(colon + 1);
    while (rest.startsWith(QLatin1Char('/')))
        rest.remove(0, 1);
    return rest.section(QLatin1Char('/'), 0, 0);
}

} // namespace moltdesk
